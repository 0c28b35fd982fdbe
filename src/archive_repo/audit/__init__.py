"""The audit trail: who did what, when, with what outcome — every entry kept.

Where it lives, and why: in a second named ZODB database (``audit``, setting
``zodbconn.uri.audit``).  Reads of documents must be audited, and writing
that into the records' database would turn every GET into a commit there,
growing it and colliding with deposits.  A second database joins the same
two-phase commit, so a deposit and its audit entry commit or abort together,
while a read commits only to the audit database.

Shape: entries sit in an ``LOBTree`` keyed by a microsecond timestamp with
random low bits, and a per-target index (``OOBTree`` path → ``LOTreeSet`` of
keys) answers a record's history without scanning.  Concurrent appends
insert *different* keys, which BTrees' own bucket conflict resolution merges,
so readers of the same record do not conflict with each other; only a bucket
split in both transactions at once conflicts, and pyramid_retry replays it.
Nothing is ever pruned (Substance D's AppendStack prunes to 1 000 events,
which is wrong for an archive).
"""
import logging
import random
import time

import transaction
from BTrees.LOBTree import LOBTree, LOTreeSet
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from .. import timeutil

log = logging.getLogger(__name__)
AUDIT_DB = "audit"
AUDIT_KEY = "archive_repo.audit"


class AuditLog(Persistent):
    def __init__(self):
        self.entries = LOBTree()
        self.by_target = OOBTree()

    def append(self, entry):
        key = (time.time_ns() // 1000) << 8 | random.getrandbits(8)
        while not self.entries.insert(key, entry):
            key += 1
        target = entry.get("target")
        if target:
            keys = self.by_target.get(target)
            if keys is None:
                keys = self.by_target[target] = LOTreeSet()
            keys.insert(key)
        return key

    def for_target(self, target):
        keys = self.by_target.get(target)
        if keys is None:
            return []
        return [self.entries[k] for k in keys]

    def __len__(self):
        return len(self.entries)

    def latest(self, limit=100):
        keys = list(self.entries.keys()[-limit:]) if len(self.entries) else []
        return [self.entries[k] for k in reversed(keys)]


def get_log(conn):
    """The AuditLog in the audit database reached through ``conn``."""
    root = conn.root()
    audit = root.get(AUDIT_KEY)
    if audit is None:
        audit = root[AUDIT_KEY] = AuditLog()
    return audit


def make_entry(actor, action, target, outcome="ok", **detail):
    """``actor`` is a TokenInfo or None (anonymous / command line)."""
    return {
        "at": timeutil.isoformat(timeutil.now()),
        "actor": getattr(actor, "token_id", None) or "system",
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
    entry = make_entry(request.identity, action, target, outcome, **detail)
    get_log(audit_conn(request)).append(entry)
    return entry


def record_after_abort(request, action, target, outcome, **detail):
    """Append an entry in a transaction of its own once the request's has
    been aborted (a refusal must be audited although nothing else is kept)."""
    entry = make_entry(request.identity, action, target, outcome, **detail)

    def write(request):
        write_standalone(request.registry, entry)

    request.add_finished_callback(write)
    return entry


def write_standalone(registry, entry):
    db = registry._zodb_databases[AUDIT_DB]
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        for attempt in range(5):
            try:
                with tm:
                    get_log(conn).append(entry)
                return
            except Exception as exc:  # ConflictError: try again
                if attempt == 4 or not _retryable(exc):
                    log.exception("audit entry lost: %r", entry)
                    return
    finally:
        conn.close()


def _retryable(exc):
    from ZODB.POSException import ConflictError
    return isinstance(exc, ConflictError)


def history(request, target):
    return get_log(audit_conn(request)).for_target(target)
