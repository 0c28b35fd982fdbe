"""PREMIS 3 preservation events, kept append-only in the audit database.

The API other concerns call (dossiers, disposal, packages)::

    record_event(registry, record, "deletion", "success", agent, detail, at=None,
                 objects=[...])

joins the transaction that holds ``record`` (the event commits or aborts
with the change it describes, like an audit entry), while
:func:`record_event_standalone` writes events about a record *path* in a
transaction of its own (console jobs that change nothing in the records
database: fixity, backup, export).

Why the audit database: it is already the append-only store of the archive,
in its own FileStorage, merged on concurrent appends (``audit.AuditLog``).
The events live in a second ``AuditLog`` under their own key, so the
who-did-what trail and the preservation history stay separate lists that
share one proven structure.  An event is packed in the log's fields:
``at`` (+07:00), ``actor`` (the agent's name), ``role`` (its PREMIS agent
type), ``action`` (the event type), ``target`` (the record path),
``outcome``, ``detail`` (identifier, detail, agent version, linked objects).
"""
import uuid
from dataclasses import dataclass
from importlib import metadata

from .. import audit, db, timeutil

PREMIS_KEY = "archive_repo.preservation.premis"

# PREMIS 3 event types (Library of Congress vocabulary id.loc.gov/vocabulary/
# preservation/eventType) the archive records, with their Vietnamese names.
EVENT_TYPES = {
    "ingestion": ("ing", "tiếp nhận"),
    "message digest calculation": ("mes", "tính mã băm"),
    "format identification": ("for", "nhận dạng định dạng"),
    "validation": ("val", "kiểm tra hợp lệ"),
    "digital signature validation": ("dig", "kiểm tra chữ ký số"),
    "fixity check": ("fix", "kiểm tra toàn vẹn"),
    "replication": ("rep", "sao lưu"),
    "information package creation": ("inf", "tạo gói thông tin"),
    "transfer": ("tra", "chuyển giao"),
    "accession": ("acc", "thu nhận vào lưu trữ"),
    "migration": ("mig", "chuyển đổi định dạng"),
    "normalization": ("nor", "chuẩn hóa"),
    "deletion": ("del", "hủy"),
}
OUTCOMES = ("success", "failure", "warning")


@dataclass(frozen=True)
class Agent:
    """Who did it: software with its version, or a person (a token id)."""
    name: str
    type: str = "software"
    version: str = ""

    @property
    def label(self):
        return "%s %s" % (self.name, self.version) if self.version else self.name


def software(name, distribution=None):
    """The agent for a Python distribution, with its installed version."""
    try:
        version = metadata.version(distribution or name)
    except metadata.PackageNotFoundError:
        version = "unknown"
    return Agent(name, "software", version)


def archive_repo():
    return software("archive_repo")


def person(actor):
    """The agent for a TokenInfo (None: the console, i.e. the archive itself)."""
    token = getattr(actor, "token_id", None)
    return Agent(token, "person") if token else archive_repo()


def get_events(conn):
    """The event log in the audit database reached through ``conn``."""
    return db.kept(conn.root(), PREMIS_KEY, audit.AuditLog)


def make_event(target, type, outcome, agent, detail=None, at=None, objects=()):
    if type not in EVENT_TYPES:
        raise ValueError("unknown PREMIS event type %r" % type)
    if outcome not in OUTCOMES:
        raise ValueError("unknown PREMIS outcome %r" % outcome)
    return {
        "at": timeutil.isoformat(at or timeutil.now()),
        "actor": agent.name, "role": agent.type, "agency": None,
        "action": type, "target": target, "outcome": outcome,
        "detail": {"id": "urn:uuid:%s" % uuid.uuid4(), "agent_version": agent.version,
                   "detail": detail if detail is not None else {},
                   "objects": list(objects)},
    }


def record_event(registry, record, type, outcome, agent, detail=None, at=None, objects=()):
    """Append one event about ``record`` in the transaction holding it."""
    event = make_event(record.path, type, outcome, agent, detail, at, objects)
    get_events(db.jar_of(record).get_connection(audit.AUDIT_DB)).append(event)
    return event


def record_event_standalone(registry, path, type, outcome, agent, detail=None, at=None,
                            objects=()):
    """Append one event about the record at ``path`` in a transaction of its own."""
    event = make_event(path, type, outcome, agent, detail, at, objects)
    append_standalone(registry, [event])
    return event


def append_standalone(registry, events):
    if not events:
        return
    with db.transaction(registry, audit.AUDIT_DB) as conn:
        log = get_events(conn)
        for event in events:
            log.append(event)


def events_of(conn, path):
    """The events of the record at ``path``, oldest first (``conn``: any
    connection of the multi-database)."""
    log = conn.get_connection(audit.AUDIT_DB).root().get(PREMIS_KEY)
    if log is None:
        return []
    return sorted(log.for_target(path), key=lambda e: e["at"])


def object_id(path, version):
    """The identifier of a stored version (a PREMIS object)."""
    return "%s/versions/%d" % (path, version.number if hasattr(version, "number")
                               else version)
