"""The audit entry of every domain operation, written by the event the
operation fires, in the operation's own transaction: the records' database
and the audit database are one ZODB multi-database, so the entry commits or
aborts with the change it describes (two-phase commit) — the HTTP deposit,
the console import and a test calling ``deposit()`` write it alike."""
from ..db import jar_of
from . import AUDIT_DB, get_log, make_entry


def on_record_event(event):
    if event.action is None:
        return
    entry = make_entry(event.actor, event.action, event.record.path, event.outcome,
                       nobody="system", **event.detail)
    get_log(jar_of(event.record).get_connection(AUDIT_DB)).append(entry)
