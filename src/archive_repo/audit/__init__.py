"""The audit trail: who did what, when, with what outcome — every entry kept.

Where it lives, and why: in a second named ZODB database (``audit``, setting
``zodbconn.uri.audit``).  Reads of documents must be audited, and writing
that into the records' database would turn every GET into a commit there,
growing it and colliding with deposits.  A second database joins the same
two-phase commit, so a deposit and its audit entry commit or abort together,
while a read commits only to the audit database.

Shape: new entries go to a small *tail* of their agency whose conflict
resolution merges concurrent appends (one tail per agency: requests about
two agencies never touch the same object); every ``FLUSH_AT`` entries a
tail is moved into BTrees keyed for reading:
``(target, key)`` → entry (a record's history is a range scan) and
``key → target`` (the whole log in time order).  Appending straight into
the BTrees conflicted whenever two requests split the newest bucket at once
(measured with bench/workflow.py: 141 replays for 320 accepts by 8 threads).
Nothing is ever pruned (Substance D's AppendStack prunes to 1 000 events,
which is wrong for an archive).

Entries are stored as tuples of strings, not dicts, and no value is a
persistent object: BTrees' conflict resolution could not merge buckets whose
values were dicts (measured: 1 of 10 concurrent appends resolved with dict
values, 10 of 10 with tuples).
"""
import heapq
import itertools
import json
import logging
import os
import random
import time
import uuid

from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from zope.interface import Interface

from .. import db, timeutil
from . import journal

log = logging.getLogger(__name__)
AUDIT_DB = "audit"
AUDIT_KEY = "archive_repo.audit"


class AuditTail(Persistent):
    """The newest entries, appended by every request and merged — not
    refused — when two transactions append at once (after Substance D's
    ``AppendStack``).

    Merge rule (``_p_resolveConflict``): each transaction either *appends*
    (keeps ``generation``, adds entries at the end) or *flushes* (moves the
    entries into the archive BTrees, empties the tail, bumps ``generation``).
    Appends on both sides: the committed entries, then the new side's
    additions.  A flush on one side and appends on the other: the flushed
    (empty) tail plus the other side's additions, which were not flushed.
    Two flushes, or anything that is not an append, cannot be merged: the
    ConflictError is raised and pyramid_retry replays the request.  Entries
    are never dropped."""

    def __init__(self):
        self.generation = 0
        self.entries = ()

    def append(self, row):
        self.entries = self.entries + (row,)

    def _p_resolveConflict(self, old, committed, new):
        from ZODB.POSException import ConflictError
        old_entries = tuple(old["entries"])
        if new["generation"] == old["generation"]:
            base, grown = committed, new
        elif committed["generation"] == old["generation"]:
            base, grown = new, committed
        else:
            raise ConflictError("two flushes of the audit tail")
        if tuple(grown["entries"][:len(old_entries)]) != old_entries:
            raise ConflictError("audit tail changed other than by appending")
        appended_both = base["generation"] == old["generation"]
        if appended_both and tuple(base["entries"][:len(old_entries)]) != old_entries:
            raise ConflictError("audit tail changed other than by appending")
        merged = dict(base)
        merged["entries"] = tuple(base["entries"]) + tuple(grown["entries"][len(old_entries):])
        return merged


class AuditLog(Persistent):
    """Entries live first in their agency's tail (``tails``: the first
    segment of the target → AuditTail, merged on concurrent appends), then,
    once that tail holds ``FLUSH_AT`` entries, in two BTrees: ``by_target``
    maps ``(target, key)`` to the entry, so a record's history is one range
    scan; ``chronology`` maps ``key`` to its target, so the whole log reads in
    time order.  Only immutable values (strings, tuples) are stored.

    One tail per agency, not one for all: every request of every agency
    rewrote the single tail, so its pickle was invalidated in every other
    connection's cache at each commit and reloaded there, and two flushes
    at once conflicted (issue 12).  Requests about two agencies now touch
    two tails; readers merge the tails with the chronology by key."""

    # Every append re-pickles its tail: at 200 it was the largest
    # object a deposit wrote (16 KB); at 50, 5.6 KB, the flush (one per 50
    # requests) moving the rest (bench/deposit.py, objects and bytes).
    FLUSH_AT = 50
    # Each append flushes at its own threshold in FLUSH_AT … FLUSH_AT +
    # FLUSH_SPREAD - 1: with one threshold, every request appending to a
    # tail of FLUSH_AT - 1 entries flushed it, and two flushes cannot be
    # merged — a tenth of the accepts by eight receivers replayed
    # (bench/workflow.py: 30–37 of 320).
    FLUSH_SPREAD = 25

    def __init__(self):
        self.by_target = OOBTree()
        self.chronology = LOBTree()
        self.tails = OOBTree()

    def tail_of(self, target):
        """The tail entries about ``target`` go to (made on first use)."""
        shard = shard_of(target)
        found = self.tails.get(shard)
        if found is None:
            found = self.tails[shard] = AuditTail()
        return found

    def append(self, entry):
        key = (time.time_ns() // 1000) << 8 | random.getrandbits(8)
        tail = self.tail_of(entry.get("target"))
        tail.append((key,) + _pack(entry))
        if len(tail.entries) >= self.FLUSH_AT + key % (self.FLUSH_SPREAD or 1):
            self.flush_tail(tail)
        return key

    def flush_tail(self, tail):
        self.file(tail.entries)
        tail.entries = ()
        tail.generation += 1

    def flush(self):
        """Move every tail's entries into the BTrees."""
        for tail in self.tails.values():
            if tail.entries:
                self.flush_tail(tail)

    def file(self, rows):
        for row in rows:
            key, packed = row[0], row[1:]
            target = packed[FIELDS.index("target")] or ""
            while not self.chronology.insert(key, target):
                key += 1
            self.by_target[(target, key)] = packed

    def tail_rows(self):
        """Every tail's rows ``(key,) + packed``, oldest first."""
        return sorted((row for tail in self.tails.values() for row in tail.entries),
                      key=lambda row: row[0])

    def for_target(self, target):
        keyed = list(self.by_target.items(min=(target, 0), max=(target, 2 ** 63 - 1)))
        rows = [(key, packed) for (_, key), packed in keyed]
        index = FIELDS.index("target") + 1
        tail = self.tails.get(shard_of(target))
        rows += [(row[0], row[1:]) for row in (tail.entries if tail is not None else ())
                 if row[index] == target]
        return [_unpack(packed) for _, packed in sorted(rows, key=lambda row: row[0])]

    def __len__(self):
        return len(self.chronology) + sum(len(tail.entries) for tail in self.tails.values())

    def _newest_rows(self):
        """``(key, packed)`` of every entry, newest first: the tails merged
        with the chronology read backwards one entry at a time (a filter
        that stops early loads only what it read)."""
        tails = ((row[0], row[1:]) for row in reversed(self.tail_rows()))
        filed = ((key, _Filed(self.by_target, target, key))
                 for key, target in _backwards(self.chronology))
        for key, packed in heapq.merge(tails, filed, key=lambda item: item[0], reverse=True):
            yield key, packed() if isinstance(packed, _Filed) else packed

    def newest_first(self):
        """Every entry, newest first."""
        for _, packed in self._newest_rows():
            yield _unpack(packed)

    def latest(self, limit=100):
        return [_unpack(packed) for _, packed in itertools.islice(self._newest_rows(), limit)]


class _Filed:
    """A filed entry, loaded only when the merge reaches it."""

    __slots__ = ("tree", "target", "key")

    def __init__(self, tree, target, key):
        self.tree, self.target, self.key = tree, target, key

    def __call__(self):
        return self.tree[(self.target, self.key)]


def shard_of(target):
    """Which tail an entry about ``target`` goes to: its agency (the first
    segment of a record's path), or the first segment of any other path."""
    return (target or "").lstrip("/").split("/", 1)[0]


def tails_per_agency(root):
    """Evolve step: an audit log of the one-tail shape files its tail's
    entries into the BTrees and gets the per-agency tails."""
    log = get_log(root._p_jar.get_connection(AUDIT_DB))
    log._p_activate()           # a ghost's __dict__ is empty
    old = log.__dict__.pop("tail", None)
    if "tails" not in log.__dict__:
        log.tails = OOBTree()
    if old is not None:
        log.file(old.entries)
    log._p_changed = True


def _backwards(tree):
    items = tree.items()
    for index in range(len(items) - 1, -1, -1):
        yield items[index]


FIELDS = ("at", "actor", "role", "agency", "action", "target", "outcome", "detail")


def _pack(entry):
    return tuple(json.dumps(entry[f], ensure_ascii=False) if f == "detail" else entry[f]
                 for f in FIELDS)


def _unpack(row):
    entry = dict(zip(FIELDS, row))
    entry["detail"] = json.loads(entry["detail"])
    return entry


def get_log(conn):
    """The AuditLog in the audit database reached through ``conn``."""
    return db.kept(conn.root(), AUDIT_KEY, AuditLog)


def make_entry(actor, action, target, outcome="ok", nobody="system", **detail):
    """``actor`` is a TokenInfo or a Person, or None: ``nobody`` names who
    acted then (the command line: "system"; a request without a token:
    "anonymous").  A person is named as people read it ("Nguyễn Thị Hoa,
    Văn thư, Sở Nội vụ") in ``detail['by']``, as they were named that day."""
    by = getattr(actor, "display", None)
    if by:
        detail = dict(detail, by=by)
    return {
        "at": timeutil.isoformat(timeutil.now()),
        "actor": getattr(actor, "token_id", None) or nobody,
        "role": getattr(actor, "role", None),
        "agency": getattr(actor, "agency", None),
        "action": action,
        "target": target,
        "outcome": outcome,
        "detail": detail,
    }


def audit_conn(request):
    from pyramid_zodbconn import get_connection
    return get_connection(request, AUDIT_DB)


def record(request, action, target, outcome="ok", **detail):
    """Append an entry in the request's own transaction: it commits or
    aborts with the change it describes."""
    entry = make_entry(request.identity, action, target, outcome, nobody="anonymous",
                       **detail)
    get_log(audit_conn(request)).append(entry)
    return entry


def record_read(request, action, target, **detail):
    """A read's entry, written once the answer is made, in a transaction of
    its own — or, when the audit database cannot take it, kept in the
    read-audit journal (journal.py) and filed later: the read is answered."""
    entry = make_entry(request.identity, action, target, "ok", nobody="anonymous", **detail)
    request.add_finished_callback(lambda request: write_read(request.registry, entry))
    return entry


def journal_path(registry):
    from ..settings import get_settings
    settings = get_settings(registry)
    return settings.audit_journal or os.path.join(
        os.path.dirname(os.path.abspath(settings.index_dir)), "audit-journal.jsonl")


JOURNALED_KEY = "archive_repo.audit.journaled"


def _file_entries(registry, entries):
    """Append ``entries`` in one transaction of the audit database; an entry
    with a ``journal_id`` already filed is skipped.  Conflicts are retried;
    any other failure is raised."""
    from BTrees.OOBTree import OOTreeSet
    from transaction.interfaces import TransientError
    for attempt in range(5):
        try:
            with db.transaction(registry, AUDIT_DB) as conn:
                log, filed = get_log(conn), db.kept(conn.root(), JOURNALED_KEY, OOTreeSet)
                for entry in entries:
                    mark = entry["detail"].get("journal_id")
                    if mark is not None and not filed.insert(mark):
                        continue
                    log.append(entry)
            return
        except TransientError:
            if attempt == 4:
                raise


def flush_journal(registry):
    """File the journal's entries into the audit database; True when the
    journal is empty afterwards."""
    path = journal_path(registry)
    with journal.lock():
        if not journal.has_entries(path):
            return True
        try:
            _file_entries(registry, journal.waiting(path))
        except Exception as exc:        # still unwritable: they stay in the journal
            log.warning("read-audit journal not filed yet (%s: %s)", type(exc).__name__, exc)
            return False
        journal.clear(path)
        return True


def write_read(registry, entry):
    path = journal_path(registry)
    if flush_journal(registry):
        try:
            _file_entries(registry, [entry])
            return True
        except Exception as exc:        # disk full, server away: keep it locally
            log.warning("read-audit entry journaled (%s: %s)", type(exc).__name__, exc)
    marked = dict(entry, detail=dict(entry["detail"], journal_id=uuid.uuid4().hex))
    try:
        journal.append(path, marked)
    except OSError as exc:
        health_of(registry).lose(entry, exc)
    return False


def on_application_created(event):
    flush_journal(event.app.registry)


def record_after_abort(request, action, target, outcome, **detail):
    """Append an entry in a transaction of its own once the request's has
    been aborted (a refusal must be audited although nothing else is kept)."""
    entry = make_entry(request.identity, action, target, outcome, nobody="anonymous",
                       **detail)

    def write(request):
        write_standalone(request.registry, entry)

    request.add_finished_callback(write)
    return entry


class IAuditHealth(Interface):
    """Marker for the process's AuditHealth."""


class AuditHealth:
    """Entries this process could not write.  An audit entry that is lost is
    an error an operator must see: logged at ERROR with the entry itself (so
    it can be re-entered), counted here for ``/health``, and a console
    command that lost one exits non-zero."""

    def __init__(self):
        self.lost = 0
        self.last_lost = None

    def lose(self, entry, exc):
        self.lost += 1
        self.last_lost = entry
        log.error("AUDIT ENTRY LOST (%s: %s): %s", type(exc).__name__, exc,
                  json.dumps(entry, ensure_ascii=False))


def health_of(registry):
    found = registry.queryUtility(IAuditHealth)
    if found is None:
        found = AuditHealth()
        registry.registerUtility(found, IAuditHealth)
    return found


def write_standalone(registry, entry):
    """Append ``entry`` in a transaction of its own (a refusal, after the
    request's was aborted), retrying conflicts; a failure is counted and
    logged, never silent."""
    from ZODB.POSException import ConflictError
    for attempt in range(5):
        try:
            with db.transaction(registry, AUDIT_DB) as conn:
                get_log(conn).append(entry)
            return True
        except ConflictError as exc:
            if attempt == 4:
                health_of(registry).lose(entry, exc)
        except Exception as exc:        # disk full, storage closed: fail loudly
            health_of(registry).lose(entry, exc)
            return False
    return False


# Reads of a page are counted (access statistics) but are no step in the
# object's life: its history would otherwise grow by every visit.
NOT_HISTORY = frozenset({"view_record"})


def history(request, target):
    return [entry for entry in get_log(audit_conn(request)).for_target(target)
            if entry["action"] not in NOT_HISTORY]


def check_health(registry):
    """``/health``: the audit database can be read; entries lost by this
    process (each one logged at ERROR) make it ``degraded``."""
    with db.reading(registry, AUDIT_DB) as conn:
        get_log(conn)
    lost = health_of(registry).lost
    return {"status": "degraded" if lost else "ok", "lost_entries": lost}


def includeme(config):
    from ..events import AgencyChanged, PersonEvent, RecordEvent
    from .subscribers import on_agency_event, on_person_event, on_record_event
    config.add_subscriber(on_record_event, RecordEvent)
    config.add_subscriber(on_agency_event, AgencyChanged)
    config.add_health_check("audit", check_health)
    config.add_evolve_step(tails_per_agency, "2026-12-audit-tails-per-agency")
    from pyramid.events import ApplicationCreated
    config.add_subscriber(on_application_created, ApplicationCreated)
    config.add_subscriber(on_person_event, PersonEvent)
    from .dashboard import add_dashboard_figure
    config.add_directive("add_dashboard_figure", add_dashboard_figure)
    config.add_nav("Tổng quan", "/dashboard", roles=("archivist", "admin"), order=3)
    config.add_nav("Nhật ký", "/audit", roles=("archivist", "admin"), order=60)
