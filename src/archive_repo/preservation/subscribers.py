"""The PREMIS events of the domain operations, written by the events they
fire (in their transaction): a deposit or an imported record is an
ingestion, a message digest calculation, a format identification and a
digital signature validation of its first version; a new version the same
for it; a revalidation run a digital signature validation of each version
it re-checked; a disposal a deletion of each version."""
from .. import audit
from ..db import jar_of
from ..events import RecordAdded, RecordModified
from . import formats
from .events import archive_repo, get_events, object_id, person, record_event


def on_added(event):
    carried = event.info.get("carried_events")
    if carried is not None:
        transferred(event, carried)
    else:
        ingest(event, event.record.versions[0])


def transferred(event, carried):
    """A record brought in from a package keeps the events it had (same
    identifiers, dates, agents) and gains a ``transfer`` event."""
    record = event.record
    log = get_events(jar_of(record).get_connection(audit.AUDIT_DB))
    for old in carried:
        log.append(old)
    record_event(None, record, "transfer", "success", archive_repo(),
                 {"package": event.info.get("package")},
                 objects=[object_id(record.path, v) for v in record.versions])


def on_modified(event):
    handler = MODIFIED.get(event.info.get("what"))
    if handler is not None:
        handler(event)


def on_new_version(event):
    ingest(event, event.record.current)


def on_revalidation(event):
    record = event.record
    for version in record.versions:
        if version.reports:
            signature_validation(event, version, version.reports[-1], "revalidation")


def on_destroyed(event):
    """Disposal (records.disposal): the tombstone stays, the bytes go."""
    record = event.record
    record_event(None, record, "deletion", "success", person(event.actor),
                 dict(event.detail, action=event.action),
                 objects=[object_id(record.path, v) for v in record.versions])


MODIFIED = {"version": on_new_version, "revalidation": on_revalidation,
            "destroyed": on_destroyed}


def ingest(event, version):
    record, registry = event.record, event.request.registry if event.request else None
    objects = [object_id(record.path, version)]
    record_event(registry, record, "ingestion", "success", person(event.actor),
                 {"action": event.action, "filename": version.filename,
                  "reason": version.reason}, at=version.deposited_at, objects=objects)
    record_event(registry, record, "message digest calculation", "success", archive_repo(),
                 {"algorithm": "SHA-256", "digest": version.sha256, "size": version.size},
                 at=version.deposited_at, objects=objects)
    identify(registry, record, version, objects)
    signature_validation(event, version, version.report or {}, "deposit")


def identify(registry, record, version, objects):
    # The upload is in the blob already (uncommitted until the transaction
    # commits); reading it is a few milliseconds of pikepdf.
    with version.blob.open("r") as file:
        facts = formats.identify(file)
    outcome = "success" if facts.get("format") == "PDF" and "error" not in facts else "failure"
    tool = formats.tool()
    record_event(registry, record, "format identification", outcome, tool,
                 dict(facts, tool=tool.label), objects=objects)


def signature_validation(event, version, report, why):
    signatures = report.get("signatures", [])
    outcome = "success" if report.get("legal_status") == "equivalent_to_paper" else "warning"
    record_event(None, event.record, "digital signature validation", outcome, archive_repo(),
                 {"why": why, "legal_status": report.get("legal_status"),
                  "engine_version": report.get("engine_version"),
                  "run_id": report.get("run_id"), "signatures": len(signatures),
                  "valid_signatures": sum(1 for s in signatures
                                              if s.get("valid") and s.get("intact", True))},
                 objects=[object_id(event.record.path, version)])


def includeme(config):
    config.add_subscriber(on_added, RecordAdded)
    config.add_subscriber(on_modified, RecordModified)
