"""The change feed: an ordered, persistent log of what happened to records,
for connectors that sync incrementally ("what changed since change N?").

Two stages, so that no object is written by every change in every agency:

1. **Per-agency logs, written with the change.**  Every ``RecordAdded`` /
   ``RecordModified`` appends one entry to its agency's own ``AgencyLog``
   *in the transaction that made the change* (key = that log's highest key
   + 1).  Concurrent changes in two agencies touch two different BTrees and
   never conflict.  Two concurrent changes in one agency insert the same key
   into the same bucket; BTrees refuse to merge that (ConflictError) and the
   loser is retried and takes the next key — so within an agency, key k+1
   only commits after key k: keys become visible in order, with no gap that
   fills in later.
2. **The sequencer, run after commit**, gives visible entries their global,
   gap-free number: it reads every agency log past the key it reached
   there last time (``sequenced``), merges the new entries by time (each
   agency's own order kept), and appends them to ``entries`` numbered
   head+1, head+2… in a transaction of its own.  Only sequencers write
   ``entries``: the feed's view (``GET /dav/changes``) and each node's index
   worker run it before they read (``sequence_now``); two at once conflict
   on ``entries`` and one is retried — the depositors never wait for it.

Why a reader never misses an entry, nor sees one twice: a reader only sees
numbered entries, and numbers are handed out once, in one transaction, in
order.  An entry that commits late in agency A (a smaller time than entries
already numbered in agency B) is simply numbered after them when it becomes
visible: its agency's mark says it was not taken yet, and within A keys
become visible in order (stage 1), so nothing behind the mark can appear
later.  A cursor is therefore still an integer, "the last number I
processed", and every cursor handed out before this design still means the
same change (the evolve step keeps the numbers).

Times: ``at`` is the change's own time; ``visible`` (the fifth field) is
``at`` raised to the previous entry's ``visible`` so that it never decreases
along the numbers.  "Changes since time T" is a binary search on
``visible`` (``cursor_at``): every change at or after T has ``visible`` ≥ T,
so none is missed (a change just before T, numbered late, may be included).

The log lives in the records database (under its own key in the ZODB
root), so it survives restarts and is backed up with the records.  Its
``feed_id`` is random and made with it: a connector sends it back with its
cursor, and a log that was made anew (a new or rebuilt database, the log
dropped and backfilled) answers "feed changed" instead of quietly serving
numbers that now mean other changes.  A restore copies the id along with
the old numbers, so whatever restores a backup calls ``new_feed_id``
(a restored log that has not yet reached the connector's cursor is also
caught by ``cursor_ahead``).  Listing summaries live beside it, in
``summaries.py``'s own structure.
"""
import heapq
import uuid

from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from transaction.interfaces import TransientError

from .. import db, timeutil
from . import summaries

LOG_KEY = "archive_repo.dav.changes"
MAX_LIMIT = 5000
SEQUENCE_ATTEMPTS = 20


class Change:
    """One entry, as read back (entries are stored as plain tuples)."""

    __slots__ = ("seq", "at", "path", "what", "version")

    def __init__(self, seq, stored):
        self.seq = seq
        at, self.path, self.what, self.version = stored[:4]
        self.at = timeutil.from_stamp(at)


class AgencyLog(Persistent):
    """The entries of the changes one agency made, before (and after) they
    are numbered: ``entries``: local key → (at stamp, record path, what,
    version)."""

    def __init__(self):
        self.entries = LOBTree()

    def last_key(self):
        try:
            return self.entries.maxKey()
        except ValueError:
            return 0

    def append(self, path, what, at, version=None):
        key = self.last_key() + 1
        self.entries[key] = (timeutil.to_stamp(at), path, what, version)
        return key


class ChangeLog(Persistent):
    """``entries``: global number → (at, record path, what, version,
    visible), written by the sequencer only;
    ``agencies``: agency code → AgencyLog, written by the changes (each in
    the log of the agency that made it);
    ``sequenced``: agency code → the last local key numbered;
    ``feed_id``: this log's identity (a new one whenever the log is made
    anew or a backup is restored)."""

    def __init__(self):
        self.entries = LOBTree()
        self.agencies = OOBTree()
        self.sequenced = OOBTree()
        self.feed_id = make_feed_id()

    def head(self):
        """The newest numbered change (0 when empty)."""
        try:
            return self.entries.maxKey()
        except ValueError:
            return 0

    def agency_log(self, code):
        found = self.agencies.get(code)
        if found is None:
            found = self.agencies[code] = AgencyLog()
        return found

    def append(self, agency_code, path, what, at, version=None):
        """Stage 1: the entry, in the log of ``agency_code`` (numbered
        later)."""
        return self.agency_log(agency_code).append(path, what, at, version)

    def waiting(self):
        """``(agency code, AgencyLog, mark)`` of every agency log holding
        visible entries not numbered yet."""
        return [(code, agency, self.sequenced.get(code, 0))
                for code, agency in self.agencies.items()
                if agency.last_key() > self.sequenced.get(code, 0)]

    def sequence(self):
        """Stage 2: number every visible entry not numbered yet; returns how
        many were numbered."""
        waiting = self.waiting()
        if not waiting:
            return 0
        streams = [[(stored[0], code, key, stored)
                    for key, stored in agency.entries.items(mark + 1)]
                   for code, agency, mark in waiting]
        seq = self.head()
        visible = self.entries[seq][4] if seq else 0
        # heapq.merge takes each stream's items in that stream's order, so an
        # agency's own order survives even a clock that stepped back
        for at, code, key, stored in heapq.merge(*streams, key=lambda item: item[0]):
            seq += 1
            visible = max(visible, at)
            self.entries[seq] = tuple(stored) + (visible,)
        for (code, _, _), stream in zip(waiting, streams):
            self.sequenced[code] = stream[-1][2]
        return sum(len(stream) for stream in streams)

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
        """The cursor whose next change is the first visible at or after
        ``moment`` (see the module doc on times)."""
        low, high = 1, self.head() + 1
        while low < high:
            middle = (low + high) // 2
            if timeutil.from_stamp(self.entries[middle][4]) < moment:
                low = middle + 1
            else:
                high = middle
        return low - 1



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
    index, counts = summaries.ensure_index(conn), summaries.ensure_counts(conn)
    for at, path, record in sorted(found, key=lambda item: item[:2]):
        log.append(record.agency_code, path, "added", at, record.current.number)
        summaries.touch(conn, record, at)
        if not record.destroyed:
            summaries.store(index, counts, record, at)
    log.sequence()


def note(record, what, writer=None):
    """The change, in the log of the agency that made it (``writer``: the
    actor's agency; by default the record's own).  Eight receivers
    accepting deliveries of one sender's records at once write eight logs,
    not the sender's."""
    at = timeutil.now()
    conn = db.jar_of(record)
    ensure_log(conn).append(writer or record.agency_code, record.path, what, at,
                            record.current.number)
    summaries.touch(conn, record, at)
    index, counts = summaries.ensure_index(conn), summaries.ensure_counts(conn)
    if record.destroyed:
        summaries.drop(index, counts, record)
    else:
        summaries.store(index, counts, record, max(at, record.current.deposited_at))


def sequence_now(database, attempts=SEQUENCE_ATTEMPTS):
    """Number what is waiting, in a transaction of its own on ``database``
    (a ``ZODB.DB``); a conflict with another sequencer is retried.  Returns
    the head afterwards (0 without a log)."""
    from ..retrying import pause
    for attempt in range(attempts):
        with db.opened(database) as conn:
            tm = conn.transaction_manager
            tm.begin()
            log = get_log(conn)
            if log is None or not log.waiting():
                return log.head() if log is not None else 0
            try:
                log.sequence()
                head = log.head()
                tm.commit()
                return head
            except TransientError:
                tm.abort()
        pause(attempt)
    return 0


def per_agency(conn):
    """A log of the single-log shape (every change numbered in one LOBTree
    in its own transaction, summaries and ``latest`` inside the log) takes
    this shape: its numbers are kept, so cursors handed out before mean the
    same changes; entries gain ``visible``; ``latest`` becomes the records'
    ``summaries.touch`` stamps and the summaries move to their own root key."""
    log = get_log(conn)
    if log is None:
        return
    log._p_activate()           # a ghost's __dict__ is empty
    if "agencies" in log.__dict__:
        return
    # the start-up hook may have made the (empty) new index already
    index = summaries.ensure_index(conn)
    for key, year in (log.__dict__.get("summaries") or {}).items():
        if key not in index:
            index[key] = year
    log.agencies, log.sequenced = OOBTree(), OOBTree()
    visible = 0
    for seq, stored in list(log.entries.items()):
        visible = max(visible, stored[0])
        log.entries[seq] = tuple(stored[:4]) + (visible,)
    from ..resources import get_root
    agencies = get_root(conn).agencies
    for path, seq in log.__dict__.get("latest", {}).items():
        _, code, year, number = path.split("/")
        try:
            record = agencies[code].data[int(year)][int(number)]
        except KeyError:
            continue
        summaries.touch(conn, record, timeutil.from_stamp(log.entries[seq][0]))
    for gone in ("summaries", "latest"):
        log.__dict__.pop(gone, None)
    log._p_changed = True


def on_record_added(event):
    note(event.record, "added")


def on_record_modified(event):
    note(event.record, event.info.get("what") or "modified",
         getattr(event.actor, "agency", None))


def on_application_created(event):
    """Create (and backfill) the log when the app starts."""
    with db.transaction(event.app.registry) as conn:
        ensure_log(conn)
        summaries.ensure_index(conn)
        summaries.ensure_touched(conn)
        summaries.ensure_counts(conn)
