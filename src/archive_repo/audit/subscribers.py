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
    log = get_log(jar_of(event.record).get_connection(AUDIT_DB))
    # a record brought in from an archival package keeps the history it had
    # there, before the entry of its import, each entry marked as imported
    for old in event.info.get("carried_audit", ()):
        log.append(dict(old, detail=dict(old["detail"], imported_from=event.info["package"])))
    log.append(entry)


def on_agency_event(event):
    """Directory changes an operator makes, in the transaction of the change."""
    entry = make_entry(event.actor, event.action, event.target, event.outcome,
                       nobody="system", **event.detail)
    get_log(jar_of(event.root).get_connection(AUDIT_DB)).append(entry)


def on_person_event(event):
    """Sign-ins and account changes, in the transaction of the change (a
    failed sign-in commits its counter and its entry together)."""
    entry = make_entry(event.actor, event.action, event.target, event.outcome,
                       nobody="anonymous" if event.request is not None else "system",
                       **event.detail)
    get_log(jar_of(event.root).get_connection(AUDIT_DB)).append(entry)
