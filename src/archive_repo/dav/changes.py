"""The change feed: an ordered, persistent log of what happened to records,
for connectors that sync incrementally ("what changed since change N?").

Every ``RecordAdded`` / ``RecordModified`` appends one entry *in the
transaction that made the change*, so an entry exists exactly when its
change committed.

Ordering rule (why a reader never misses an entry): an entry's number is
the log's highest number + 1, inserted into an ``LOBTree``.  Two concurrent
transactions that pick the same number insert the same key into the same
bucket; BTrees refuse to merge that (ConflictError) and pyramid_retry
replays one of them, which then takes the next number.  So a transaction
can only commit number n+1 after number n has committed: numbers become
visible in order, without gaps that fill in later.  A connector that keeps
the last number it processed (its cursor) and asks for "> cursor" sees
every change once.  The price is that concurrent changes to *any* records
conflict on this log and one is retried — cheap at a province's volume.

Times: an entry's ``at`` is taken in the transaction that commits it, and
that transaction can only take number n+1 once number n has committed
(above), so ``at`` never decreases along the numbers (given a clock that
does not step back).  "Changes since time T" is therefore a binary search
for the first number at or after T (``cursor_at``), log2(head) loads.

The log lives in the records database (under its own key in the ZODB
root), so it survives restarts and is backed up with the records.  Its
``feed_id`` is random and made with it: a connector sends it back with its
cursor, and a log that was made anew (a new or rebuilt database, the log
dropped and backfilled) answers "feed changed" instead of quietly serving
numbers that now mean other changes.  A restore copies the id along with
the old numbers, so whatever restores a backup calls ``new_feed_id``
(a restored log that has not yet reached the connector's cursor is also
caught by ``cursor_ahead``).
"""
import uuid

from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from .. import db, timeutil
from . import summaries

LOG_KEY = "archive_repo.dav.changes"
MAX_LIMIT = 5000


class Change:
    """One entry, as read back (entries are stored as plain tuples)."""

    __slots__ = ("seq", "at", "path", "what", "version")

    def __init__(self, seq, stored):
        self.seq = seq
        at, self.path, self.what, self.version = stored
        self.at = timeutil.from_stamp(at)


class ChangeLog(Persistent):
    """``entries``: number → (at as a timeutil stamp, record path, what,
    version number);
    ``latest``: record path → number of its newest entry;
    ``summaries``: what listings show of each record (summaries.py);
    ``feed_id``: this log's identity (a new one whenever the log is made
    anew or a backup is restored)."""

    def __init__(self):
        self.entries = LOBTree()
        self.latest = OOBTree()
        self.summaries = summaries.new_index()
        self.feed_id = make_feed_id()

    def head(self):
        """The newest change number (0 when empty)."""
        try:
            return self.entries.maxKey()
        except ValueError:
            return 0

    def append(self, path, what, at, version=None):
        seq = self.head() + 1
        self.entries[seq] = (timeutil.to_stamp(at), path, what, version)
        self.latest[path] = seq
        return seq

    def since(self, cursor, limit):
        """Up to ``limit`` changes numbered above ``cursor``, oldest first,
        and whether more follow."""
        found = []
        for seq, stored in self.entries.items(cursor + 1):
            if len(found) == limit:
                return found, True
            found.append(Change(seq, stored))
        return found, False

    def cursor_at(self, moment):
        """The cursor whose next change is the first at or after ``moment``
        (numbers run 1..head without gaps; see the module doc on times)."""
        low, high = 1, self.head() + 1
        while low < high:
            middle = (low + high) // 2
            if timeutil.from_stamp(self.entries[middle][0]) < moment:
                low = middle + 1
            else:
                high = middle
        return low - 1

    def modified_at(self, path):
        """When ``path`` last changed according to the log, or None."""
        seq = self.latest.get(path)
        return timeutil.from_stamp(self.entries[seq][0]) if seq is not None else None


def make_feed_id():
    return uuid.uuid4().hex


def new_feed_id(conn):
    """Give the log a new identity (after restoring a backup): connectors'
    stored cursors are then refused with ``feed_changed``."""
    log = ensure_log(conn)
    log.feed_id = make_feed_id()
    return log.feed_id


def get_log(conn):
    return conn.root().get(LOG_KEY)


def ensure_log(conn):
    log = get_log(conn)
    if log is None:
        log = conn.root()[LOG_KEY] = ChangeLog()
        backfill(log, conn)
    return log


def backfill(log, conn):
    """Records deposited before the log existed enter it once, oldest
    first, as ``added`` — so a connector starting at 0 sees everything."""
    from ..resources import get_root
    found = [(record.deposited_at, record.path, record)
             for agency in get_root(conn).agencies.values()
             for year in agency.values()
             for record in year.values() if record.current is not None]
    for at, path, record in sorted(found, key=lambda item: item[:2]):
        log.append(path, "added", at, record.current.number)
        if not record.destroyed:
            summaries.store(log.summaries, record, at)


def note(record, what):
    at = timeutil.now()
    log = ensure_log(db.jar_of(record))
    seq = log.append(record.path, what, at, record.current.number)
    if record.destroyed:
        summaries.drop(log.summaries, record)
    else:
        summaries.store(log.summaries, record, max(at, record.current.deposited_at))
    return seq


def on_record_added(event):
    note(event.record, "added")


def on_record_modified(event):
    note(event.record, event.info.get("what") or "modified")


def on_application_created(event):
    """Create (and backfill) the log when the app starts."""
    with db.transaction(event.app.registry) as conn:
        ensure_log(conn)
