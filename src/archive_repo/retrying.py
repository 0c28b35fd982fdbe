"""How requests survive ZODB conflicts.

A deposit does its expensive work once (multipart parse, spool, hash, rule
engine: ~70 ms) and only then registers (number, record, catalog, change
feed, audit: a few ms).  Replaying the whole request on a conflict re-ran
the rules, so the window for the next conflict was as long as the rules:
with 8 clients into one year, 38 of 160 deposits ran out of pyramid_retry's
10 attempts (500).  ``run_step`` commits the registration in a transaction
of its own, retried alone, with a per-agency-year lock in the process so
that threads of one server do not even race for the same number; when its
attempts run out the answer is 503 ``busy`` with ``Retry-After``.

Numbers are unique because the BTree refuses two deposits of the same key;
the loser's request is replayed by pyramid_retry (``retry.attempts``).
Replaying at once makes a herd: under 8 concurrent deposits into one year a
request lost 20 times in a row (measured).  A short random back-off,
doubling with each attempt, spreads the replays out.

To be replayable a request's body must be re-readable, so pyramid_retry
copies it (``make_body_seekable``: to a temp file) before any view runs —
a 5 GB upload would be read in full only to be answered 413.
``activate_hook`` gives such a request a single attempt, so the body stays
unread on the socket and the view refuses it from its Content-Length.
"""
import random
import threading
import time

from pyramid_retry import IBeforeRetry, is_last_attempt
from transaction.interfaces import TransientError

from .edxml import EDXML_TYPES
from .errors import ArchiveError
from .settings import get_settings

MAX_SLEEP = 0.5
RETRY_AFTER = "2"


class Busy(ArchiveError):
    """A write lost to concurrent writes more often than it may retry:
    nothing was stored, and the client may send it again."""
    status = 503

    def __init__(self, details=()):
        super().__init__("busy", "Hệ thống đang bận vì nhiều yêu cầu ghi cùng lúc; không có "
                         "gì được lưu. Hãy gửi lại sau ít giây.", details)
        self.headers = {"Retry-After": RETRY_AFTER}


_locks, _locks_guard = {}, threading.Lock()


def lock_for(key):
    """The in-process lock of ``key`` (an agency code and a year)."""
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def pause(attempt):
    time.sleep(random.uniform(0, min(MAX_SLEEP, 0.005 * 2 ** attempt)))


def run_step(request, step, key):
    """``step()`` — a request's whole write, its checks done — committed in
    a transaction of its own and retried alone on a conflict, under the
    lock of ``key``; returns what ``step`` returned, or raises Busy.

    The request's transaction so far must hold no writes (it is aborted:
    the step starts from the latest committed state, which also makes a
    conflict with the step that held the lock before unlikely).  Afterwards
    a fresh, empty transaction is left for pyramid_tm to end."""
    tm, attempts = request.tm, get_settings(request.registry).registration_attempts
    note, user = tm.get().description, tm.get().user
    tm.abort()
    try:
        for attempt in range(attempts):
            with lock_for(key):
                txn = tm.begin()
                txn.note(note)
                txn.user = user
                try:
                    result = step()
                    tm.commit()
                    return result
                except BaseException as exc:
                    tm.abort()
                    if not isinstance(exc, TransientError):
                        raise
            pause(attempt)
        raise Busy([{"attempts": attempts}])
    finally:
        tm.begin()


LONG_JOB_ATTEMPTS = 100


def commit_retrying(tm, work, attempts=LONG_JOB_ATTEMPTS):
    """A long job's batch: ``work()`` then commit (and begin the next
    transaction); on a conflict with concurrent writes, abort, back off and
    run the batch again — ``reindex`` exited 1 on a ConflictError when
    deposits arrived while it ran.  ``work`` must be repeatable."""
    for attempt in range(attempts):
        try:
            result = work()
            tm.commit()
            tm.begin()
            return result
        except TransientError:
            tm.abort()
            tm.begin()
            if attempt == attempts - 1:
                raise
            pause(attempt + 3)


def again_on_conflict(unit, attempts=LONG_JOB_ATTEMPTS):
    """A long job's unit that runs and commits its own transaction
    (``unit()``, aborted by it on an error — ``import``: one file): on a
    conflict with concurrent writes, back off and run it again; the job
    carries on instead of exiting on a ConflictError."""
    for attempt in range(attempts):
        try:
            return unit()
        except TransientError:
            if attempt == attempts - 1:
                raise
            pause(attempt + 3)


def rerun_on_conflict(tm, job, attempts=LONG_JOB_ATTEMPTS):
    """A resumable long job (``job(resume)``, committing as it goes): on a
    conflict, abort, back off and run it again with ``resume=True`` — what
    was committed is not done twice (``revalidate``: reports of the run)."""
    resume = False
    for attempt in range(attempts):
        try:
            return job(resume)
        except TransientError:
            tm.abort()
            tm.begin()
            if attempt == attempts - 1:
                raise
            pause(attempt + 3)
            resume = True


def body_limit(request):
    """The size limit the view will hold this request's body to: an edXML
    message's, or the upload limit (multipart deposits and versions; it is
    also far above any JSON body the archive takes)."""
    settings = get_settings(request.registry)
    if (request.content_type or "") in EDXML_TYPES:
        return settings.message_limit
    return settings.upload_limit


def activate_hook(request):
    """pyramid_retry's ``retry.activate_hook``: 1 attempt for a body declared
    larger than its limit (it will be refused, and is then never copied);
    None (the ``retry.attempts`` setting) otherwise."""
    length = request.content_length
    if length is not None and length > body_limit(request):
        return 1
    return None


def backoff(event):
    pause(event.environ.get("retry.attempt", 0))


class TransientPredicate:
    """View predicate ``transient_retry``: with ``False``, a view matches
    unless the error is a transient one (ZODB ConflictError) that
    pyramid_retry will replay.

    pyramid_tm renders an exception view for a failed *commit* before it
    tags the error retryable, so pyramid_retry's own ``retryable_error``
    predicate would let a catch-all view swallow the conflict as a 500.
    When no view matches, the error reaches pyramid_retry."""

    def __init__(self, value, config):
        self.value = value

    def text(self):
        return "transient_retry = %s" % self.value

    phash = text

    def __call__(self, context, request):
        will_retry = isinstance(context, TransientError) and not is_last_attempt(request)
        return will_retry == self.value


def includeme(config):
    config.add_view_predicate("transient_retry", TransientPredicate)
    config.add_subscriber(backoff, IBeforeRetry)
