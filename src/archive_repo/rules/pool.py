"""The rule engine on both cores for bulk jobs (``revalidate``, ``import``).

``evaluate`` is a pure function of a file, its metadata, the deposit time and
the policy, and takes a core for tens of milliseconds per document; the ZODB
writes that follow are quick.  So a bulk job hands a batch of
``(path, metadata, deposited_at)`` to :class:`RulePool` and writes the
reports in its own process, in order — the database sees one writer, as
before.  Each worker process has its own copy of the policy, hence its own
certificate-path cache (``rules/pathcache.py``), warm after its first
documents.  ``archive_repo.rule_workers`` = 1 evaluates in the calling
process, with no pool at all; otherwise the workers start with the first
batch of two or more documents.
"""
import dataclasses
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from .engine import evaluate

_policy = None          # the worker process's policy (set by _start)


def _start(policy):
    global _policy
    _policy = policy


def evaluate_job(job, policy=None):
    """The report of a job: ``evaluate``'s arguments but the policy (the
    worker's own, unless given)."""
    path, metadata, deposited_at, *more = job
    return evaluate(path, metadata, deposited_at, policy or _policy, *more)


class RulePool:
    """``map(jobs)``: the reports of ``evaluate(path, metadata, at, policy,
    *more)`` for each job ``(path, metadata, at, *more)``, in order.  A context manager: the workers end with it."""

    def __init__(self, policy, workers=1):
        self.policy, self.workers = policy, workers
        self._executor = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None

    def _start_workers(self):
        # forkserver: a fresh interpreter per worker, never a fork of a
        # parent holding ZODB connections, threads and open files
        fresh = dataclasses.replace(self.policy, cache={})
        self._executor = ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("forkserver"),
            initializer=_start, initargs=(fresh,))

    def map(self, jobs):
        jobs = list(jobs)
        # one document is not worth starting interpreters for
        if self.workers < 2 or (self._executor is None and len(jobs) < 2):
            return [evaluate_job(job, self.policy) for job in jobs]
        if self._executor is None:
            self._start_workers()
        chunk = max(1, len(jobs) // (4 * self.workers))
        return list(self._executor.map(evaluate_job, jobs, chunksize=chunk))


def pool_for(registry, policy=None):
    """The RulePool a console job uses: the app's policy, ``rule_workers``
    processes."""
    from ..settings import get_settings
    from .engine import rule_policy
    return RulePool(policy or rule_policy(registry), get_settings(registry).rule_workers)
