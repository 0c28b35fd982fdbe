"""Fixity: re-read every stored version, recompute SHA-256 and size.

Each file is ``ok``, ``changed`` (other bytes or size), ``missing`` (the
blob file is gone) or ``error`` (it could not be read: permissions, a
directory where the file should be, a storage fault).  A version of a
destroyed record (disposal: the bytes gone on purpose, by a decision) is
``destroyed``: counted and listed with the decision's reference, not a
failure — an auditor must see it was destroyed, not lost.  Nothing but a
complete read with matching digest and size is ``ok`` — DSpace's checker
once recorded success on mismatches and Archivematica's exited 0 after an
internal error.

Where results go (the audit database, never the records'): a run checks
without writing to the records database, so it neither grows it nor
conflicts with deposits, and a backup taken after a check holds the same
records as before it.  ``FixityState`` keeps each version's last check and
one summary per run (start, end, counts, every file that was not ok); a run
stopped by its budget (or a crash) is resumed from its cursor.
Failed checks are also PREMIS ``fixity check`` events of the record; a
successful one is the version's last check (shown by the record, its API and
DAV ``validation.json``) and the run summary, not an event per file per
sweep, which would grow the event log by the whole archive every month.
"""
import hashlib
import json
import time

from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import POSKeyError

from .. import audit, db, timeutil
from ..resources import get_root
from . import events

FIXITY_KEY = "archive_repo.preservation.fixity"
OK, CHANGED, MISSING, ERROR = "ok", "changed", "missing", "error"
DESTROYED = "destroyed"
STATUSES = (OK, CHANGED, MISSING, ERROR, DESTROYED)
LABELS = {OK: "nguyên vẹn", CHANGED: "bị thay đổi", MISSING: "bị mất", ERROR: "lỗi đọc",
          DESTROYED: "đã tiêu hủy theo quyết định"}
BLOCK = 1 << 20
BATCH = 200             # versions per commit of the state


class FixityState(Persistent):
    """``last``: (record path, version number) → (at stamp, status);
    ``runs``: run id → its summary as JSON text (immutable once finished);
    ``open_run``: the id of the run a ``--resume`` continues, or None."""

    def __init__(self):
        self.last = OOBTree()
        self.runs = LOBTree()
        self.open_run = None


def get_state(conn):
    return db.kept(conn.get_connection(audit.AUDIT_DB).root(), FIXITY_KEY, FixityState)


def find_state(conn):
    """The state if it exists (reads never create it)."""
    return conn.get_connection(audit.AUDIT_DB).root().get(FIXITY_KEY)


# -- one file --------------------------------------------------------------

def digest(path):
    """(SHA-256 hex, size) of the file at ``path``."""
    with open(path, "rb") as file:
        found = hashlib.file_digest(file, "sha256")
        size = file.tell()
    return found.hexdigest(), size


def blob_path(version):
    """The committed blob file of ``version`` (POSKeyError when the storage
    has no file for it)."""
    return version.blob.committed()


def check_version(version):
    """``(status, detail)`` for one stored version."""
    path = None
    try:
        path = blob_path(version)
        sha256, size = digest(path)
    except (POSKeyError, FileNotFoundError):
        return MISSING, {"file": path}
    except Exception as exc:        # anything else is an error, never "ok"
        return ERROR, {"file": path, "error": "%s: %s" % (type(exc).__name__, exc)}
    if sha256 != version.sha256 or size != version.size:
        return CHANGED, {"file": path, "sha256": sha256, "size": size,
                         "expected_sha256": version.sha256, "expected_size": version.size}
    return OK, {}


# -- which files -----------------------------------------------------------

def select(root, agency=None, year=None, after=None, destroyed=False):
    """(path, version) in agency / year / number / version order, after the
    key ``after`` (a resumed run's cursor).  Destroyed records (a tombstone,
    the bytes gone on purpose) only with ``destroyed``: a run reports them,
    restore and upgrade checks have nothing of them to read."""
    codes = [agency] if agency else list(root.agencies.keys())
    for code in codes:
        container = root.agencies.get(code)
        if container is None:
            continue
        for y in ([year] if year else container.existing_years()):
            if y not in container.data:
                continue
            for record in container.data[y].values():
                if record.destroyed and not destroyed:
                    continue
                for version in record.versions:
                    key = (code, y, record.number, version.number)
                    if after is None or key > tuple(after):
                        yield key, record, version


# -- a run -----------------------------------------------------------------

def new_summary(agency, year, due_days):
    return {"started": timeutil.isoformat(timeutil.now()), "finished": None,
            "complete": False, "scope": {"agency": agency, "year": year,
                                         "due_days": due_days},
            "checked": 0, "skipped": 0, "counts": {s: 0 for s in STATUSES},
            "problems": [], "destroyed": [], "cursor": None}


def is_due(state, path, number, due_days, now_stamp):
    if due_days is None:
        return True
    last = state.last.get((path, number))
    return last is None or now_stamp - last[0] >= due_days * 86400 * 10 ** 6


class Run:
    """One fixity run: checks, and every ``BATCH`` versions commits the
    checks' results and its cursor to the audit database."""

    def __init__(self, registry, agency=None, year=None, budget_minutes=None,
                 resume=False, due_days=None, progress=None):
        self.registry, self.progress = registry, progress
        self.deadline = (time.monotonic() + budget_minutes * 60) if budget_minutes else None
        with db.transaction(registry, audit.AUDIT_DB) as conn:
            state = get_state(conn)
            if resume and state.open_run is not None:
                self.id = state.open_run
                self.summary = json.loads(state.runs[self.id])
                # a run opened before destroyed versions were reported
                self.summary["counts"].setdefault(DESTROYED, 0)
                self.summary.setdefault("destroyed", [])
            else:
                self.id = (state.runs.maxKey() + 1) if len(state.runs) else 1
                self.summary = new_summary(agency, year, due_days)
                state.runs[self.id] = json.dumps(self.summary)
                state.open_run = self.id
        self.pending, self.failed_events = [], []

    @property
    def scope(self):
        return self.summary["scope"]

    def execute(self):
        """Check the scope (or what is left of it); the run's summary."""
        with db.reading(self.registry) as conn:
            root = get_root(conn)
            state = find_state(conn)
            now_stamp = timeutil.to_stamp(timeutil.now())
            for key, record, version in select(root, self.scope["agency"],
                                               self.scope["year"], self.summary["cursor"],
                                               destroyed=True):
                if self.deadline is not None and time.monotonic() > self.deadline:
                    break
                if record.destroyed:
                    self.note_destroyed(record, version)
                elif not is_due(state, record.path, version.number, self.scope["due_days"],
                              now_stamp):
                    self.summary["skipped"] += 1
                else:
                    self.check(record, version)
                self.summary["cursor"] = list(key)
                if len(self.pending) >= BATCH:
                    self.save()
                    # else the reading connection's cache holds every record
                    conn.cacheGC()
            else:
                self.summary["complete"] = True
        self.save()
        return self.summary

    def check(self, record, version):
        status, detail = check_version(version)
        self.summary["checked"] += 1
        self.summary["counts"][status] += 1
        self.pending.append(((record.path, version.number), status))
        if status != OK:
            problem = dict(detail, path=record.path, version=version.number, status=status)
            self.summary["problems"].append(problem)
            self.failed_events.append(events.make_event(
                record.path, "fixity check", "failure", events.archive_repo(),
                dict(detail, status=status, run=self.id),
                objects=[events.object_id(record.path, version)]))
        if self.progress:
            self.progress()

    def note_destroyed(self, record, version):
        """Nothing to read: the tombstone says which decision destroyed it."""
        stone = record.tombstone
        self.summary["counts"][DESTROYED] += 1
        self.summary["destroyed"].append({
            "path": record.path, "version": version.number, "status": DESTROYED,
            "sha256": version.sha256, "decision": stone.get("decision_number"),
            "decision_date": stone.get("decision_date"),
            "destroyed_at": stone.get("destroyed_at")})
        if self.progress:
            self.progress()

    def save(self):
        finished = self.summary["complete"]
        stamp = timeutil.to_stamp(timeutil.now())
        if finished:
            self.summary["finished"] = timeutil.isoformat(timeutil.now())
        with db.transaction(self.registry, audit.AUDIT_DB) as conn:
            state = get_state(conn)
            for key, status in self.pending:
                state.last[key] = (stamp, status)
            log = events.get_events(conn)
            for event in self.failed_events:
                log.append(event)
            state.runs[self.id] = json.dumps(self.summary, ensure_ascii=False)
            if finished:
                state.open_run = None
        self.pending, self.failed_events = [], []


def run_fixity(registry, agency=None, year=None, budget_minutes=None, resume=False,
               due_days=None, progress=None):
    """Check the selected versions; returns (run id, summary)."""
    run = Run(registry, agency, year, budget_minutes, resume, due_days, progress)
    return run.id, run.execute()


def all_ok(summary):
    """Every file read was intact (destroyed versions are no failure)."""
    return not summary["problems"]


# -- reading the results ---------------------------------------------------

def last_check(conn, path, number):
    """``{"at", "status"}`` of the version's last check, or None."""
    state = find_state(conn)
    found = state.last.get((path, number)) if state is not None else None
    if found is None:
        return None
    return {"at": timeutil.isoformat(timeutil.from_stamp(found[0])), "status": found[1]}


def runs(conn, limit=20):
    state = find_state(conn)
    if state is None or not len(state.runs):
        return []
    keys = list(state.runs.keys())[-limit:]
    return [dict(json.loads(state.runs[k]), id=k) for k in reversed(keys)]


def count_versions(root, agency=None, year=None):
    """What a run goes through (its progress bar's total)."""
    return sum(1 for _ in select(root, agency, year, destroyed=True))
