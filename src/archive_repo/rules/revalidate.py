"""Re-running the rules on stored documents (``archive-repo revalidate``).

A new report goes *beside* the deposit-time one (``Version.reports``); the
original is evidence of why the document was accepted and is never replaced.
The timing rule is judged against the original deposit time: revalidation
asks "was this document valid when it was sent?" under today's trust roots.

A run has an id stored in the root (``job_state``); ``--resume`` skips the
versions that already carry a report of the last unfinished run, so a job
interrupted after hours restarts where it stopped.

Each record that gains a report fires ``RecordModified(what="revalidation",
action="revalidate")`` itself (``revalidate_record``, given the registry),
so the change feed, the indexes and the audit trail learn of it in the same
transaction.  The rules run in a :class:`~.pool.RulePool` (both cores, the
``rule_workers`` setting); the reports are written here, batch by batch.
"""
import uuid

from persistent.mapping import PersistentMapping

from .. import timeutil
from ..events import RecordModified, fire
from .issuer import issuer_of
from .pool import RulePool

JOB = "revalidate"


def select_records(root, agency=None, year=None):
    """Records to revalidate, lazily, in agency/year/number order."""
    codes = [agency] if agency else list(root.agencies.keys())
    for code in codes:
        container = root.agencies[code]
        years = [year] if year else container.existing_years()
        for y in years:
            if y in container.data:
                yield from container.data[y].values()


def job_state(root):
    state = getattr(root, "job_state", None)
    if state is None:
        state = root.job_state = PersistentMapping()
    return state


def start_run(root, resume):
    state = job_state(root)
    last = state.get(JOB)
    if resume and last and not last.get("finished"):
        return last["run_id"]
    run_id = uuid.uuid4().hex
    state[JOB] = {"run_id": run_id, "started_at": timeutil.isoformat(timeutil.now()),
                  "finished": False}
    return run_id


def _pending(record, run_id):
    return [v for v in record.versions if not any(r.get("run_id") == run_id for r in v.reports)]


def _keep(record, made, run_id, registry, actor):
    """Attach the new reports (``[(version, report)]``) and announce them."""
    for version, report in made:
        report["run_id"] = run_id
        report["kind"] = "revalidation"
        version.reports.append(report)
    if made and registry is not None:
        fire(registry, RecordModified(
            record, None, action="revalidate", actor=actor, what="revalidation",
            detail={"run_id": run_id, "legal_status": [r["legal_status"] for _, r in made]}))
    return [report for _, report in made]


def job_of(record, version):
    """What the rules judge a stored version on (a pool job)."""
    return version.blob.committed(), record.metadata, version.deposited_at, issuer_of(record)


def revalidate_record(record, policy, run_id, registry=None, actor=None, pool=None):
    """New reports for the versions of ``record`` not yet done in this run;
    returns them (empty: nothing changed).  ``registry`` None: a dry run,
    nothing kept and nothing announced."""
    versions = _pending(record, run_id)
    reports = (pool or RulePool(policy)).map(job_of(record, v) for v in versions)
    return _keep(record, list(zip(versions, reports)), run_id, registry, actor)


def _batches(records, size):
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def revalidate(root, policy, commit, agency=None, year=None, resume=False,
               every=50, dry_run=False, progress=None, registry=None, pool=None):
    """Revalidate every version of the selected records; ``commit()`` is
    called every ``every`` records (not in a dry run: nothing is kept,
    nothing changed).  Each batch of ``every`` records is judged by
    ``pool`` (a :class:`~.pool.RulePool`; default: this process) and
    written here.  Returns counts by legal status."""
    run_id = start_run(root, resume)
    commit()
    pool = pool or RulePool(policy)
    counts = {"equivalent_to_paper": 0, "reference_only": 0, "skipped": 0}
    for batch in _batches(select_records(root, agency, year), every):
        pending = [(record, _pending(record, run_id)) for record in batch]
        reports = iter(pool.map(job_of(r, v) for r, versions in pending for v in versions))
        for record, versions in pending:
            made = _keep(record, [(v, next(reports)) for v in versions], run_id,
                         None if dry_run else registry, None)
            counts["skipped"] += len(record.versions) - len(made)
            for report in made:
                counts[report["legal_status"]] = counts.get(report["legal_status"], 0) + 1
            if progress:
                progress(record)
        if not dry_run:
            commit()
    if not dry_run:
        job_state(root)[JOB] = dict(job_state(root)[JOB], finished=True)
        commit()
    return counts
