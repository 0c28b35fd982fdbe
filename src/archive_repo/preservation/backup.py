"""Backups (Circular 02/2019/TT-BNV: daily incremental, monthly full, at
least two copies on independent media, a log entry and a minute per run).

Each destination folder holds, after a run::

    records/  audit/    repozo repositories of Data.fs and Audit.fs
    blobs/<stamp>/      a complete blob generation; files unchanged since the
                        previous generation are hard links to it (rsync
                        --link-dest style), so a generation costs only what changed
    runs/<stamp>.json   the run's manifest (what restore reads)
    minutes/<stamp>.pdf the backup minute (biên bản sao lưu)

The order is the point: both FileStorages first, **then** the blobs, so a
blob generation is never older than the Data.fs it goes with (blob files are
added by later transactions, removed only by a pack).  A generation is
written under ``<stamp>.partial`` and renamed when complete; the manifest is
written last, so a run that stopped half-way is simply not a restore point.

Full backups: ``--full``, the 1st of the month (Vietnam time), or the first
backup after a pack.  The log entry of every run (who, when, what, sizes,
the SHA-256 of every file produced) is kept in the audit database.
"""
import hashlib
import json
import os
import shutil
import time
from datetime import datetime, timezone

from BTrees.LOBTree import LOBTree
from persistent import Persistent
from ZODB.POSException import POSKeyError

from .. import audit, db, timeutil
from ..resources import get_root
from .events import append_standalone, archive_repo, make_event, object_id
from .fixity import select
from .storage import (STAMP, StorageError, is_file_storage, last_transaction, paths_of,
                      repozo, snapshot)

BACKUPS_KEY = "archive_repo.preservation.backups"
PARTS = (("records", "records"), ("audit", "audit"))


class BackupLog(Persistent):
    """``runs``: number → the run's manifest as JSON text;
    ``packed_after``: set by a pack (the next backup is full), cleared by a full one."""

    def __init__(self):
        self.runs = LOBTree()
        self.packed_after = None


def get_backup_log(conn):
    return db.kept(conn.get_connection(audit.AUDIT_DB).root(), BACKUPS_KEY, BackupLog)


def logged_runs(registry):
    with db.reading(registry, audit.AUDIT_DB) as conn:
        log = conn.root().get(BACKUPS_KEY)
        return [json.loads(t) for t in log.runs.values()] if log is not None else []


def sha256_of(path):
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


# -- the steps ---------------------------------------------------------------

def backup_storage(source, repository, full):
    """repozo into ``repository``; {file name: (size, sha256)} it produced."""
    os.makedirs(repository, exist_ok=True)
    before = set(os.listdir(repository))
    repozo("-B", "-r", repository, "-f", source, *(["-F"] if full else []))
    made = sorted(set(os.listdir(repository)) - before)
    # repozo rewrites its .dat / .index in place: they are produced too
    made += [n for n in os.listdir(repository) if n.endswith((".dat", ".index"))
             and n not in made]
    return {name: (os.path.getsize(os.path.join(repository, name)),
                   sha256_of(os.path.join(repository, name))) for name in sorted(made)}


def blob_files(blobs):
    """Relative paths of the committed blob files (and the layout marker)."""
    for folder, dirs, files in os.walk(blobs):
        rel = os.path.relpath(folder, blobs)
        if rel == "tmp" or rel.startswith("tmp" + os.sep):
            dirs[:] = []
            continue
        for name in files:
            yield os.path.normpath(os.path.join(rel, name))


def unchanged(source, previous):
    try:
        a, b = os.stat(source), os.stat(previous)
    except FileNotFoundError:
        return False
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


def backup_blobs(blobs, generations, stamp):
    """A new generation ``generations/stamp``; (files, linked, {copied: (size, sha256)})."""
    os.makedirs(generations, exist_ok=True)
    done = sorted(n for n in os.listdir(generations) if not n.endswith(".partial"))
    previous = os.path.join(generations, done[-1]) if done else None
    target = os.path.join(generations, stamp + ".partial")
    shutil.rmtree(target, ignore_errors=True)
    files, linked, copied = 0, 0, {}
    for rel in blob_files(blobs):
        source, dest = os.path.join(blobs, rel), os.path.join(target, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        files += 1
        if previous and unchanged(source, os.path.join(previous, rel)):
            os.link(os.path.join(previous, rel), dest)
            linked += 1
            continue
        shutil.copy2(source, dest)
        copied[rel] = (os.path.getsize(dest), sha256_of(dest))
    os.rename(target, os.path.join(generations, stamp))
    return files, linked, copied


def wants_full(registry, requested, destination):
    if requested or timeutil.now().day == 1:
        return True
    if not os.path.isdir(os.path.join(destination, "runs")) or not os.listdir(
            os.path.join(destination, "runs")):
        return True
    with db.reading(registry, audit.AUDIT_DB) as conn:
        log = conn.root().get(BACKUPS_KEY)
        return bool(log is not None and log.packed_after)


def utc_stamp():
    return datetime.now(timezone.utc).strftime(STAMP)


def wait_past(destination):
    """Start after the second of the destination's last run: repozo names
    its files by the second, and a restore ``-D <run>`` must not pick up a
    later run's file of the same second (only quick successive runs wait)."""
    runs = os.path.join(destination, "runs")
    done = sorted(os.listdir(runs)) if os.path.isdir(runs) else []
    while done and utc_stamp() <= done[-1].split(".")[0]:
        time.sleep(0.05)


def backup_to(registry, destination, full, who):
    """One destination: the FileStorages, then (named by the time they are
    done) the blob generation; the run's manifest."""
    paths = paths_of(registry)
    full = wants_full(registry, full, destination)
    wait_past(destination)
    manifest = {"who": who, "destination": os.path.abspath(destination), "full": full,
                "records_tid": last_transaction(registry),
                "tool": archive_repo().label, "files": {}}
    for part, attr in PARTS:
        made = backup_storage(getattr(paths, attr), os.path.join(destination, part), full)
        manifest["files"].update({"%s/%s" % (part, n): v for n, v in made.items()})
    stamp = manifest["id"] = utc_stamp()
    manifest["at"] = timeutil.isoformat(timeutil.now())
    files, linked, copied = backup_blobs(paths.blobs, os.path.join(destination, "blobs"),
                                         stamp)
    manifest["files"].update({"blobs/%s/%s" % (stamp, n): v for n, v in copied.items()})
    manifest["blobs"] = {"generation": stamp, "files": files, "linked": linked,
                         "copied": len(copied)}
    manifest["bytes"] = sum(size for size, _ in manifest["files"].values())
    return manifest


def snapshot_to(registry, destination, who):
    """One destination of a RelStorage deployment: both databases copied into
    ``snapshots/<stamp>/{records,audit}/Data.fs`` (records with its blobs),
    always a full copy; the run's manifest."""
    wait_past(destination)
    stamp = utc_stamp()
    manifest = {"who": who, "destination": os.path.abspath(destination), "full": True,
                "records_tid": last_transaction(registry), "id": stamp,
                "tool": archive_repo().label, "kind": "snapshot", "files": {}}
    top = os.path.join(destination, "snapshots")
    for part, name in PARTS:
        database = (db.database(registry) if part == "records"
                    else db.database(registry, audit.AUDIT_DB))
        for path in snapshot(database, os.path.join(top, stamp + ".partial", part),
                             part == "records"):
            rel = os.path.relpath(path, os.path.join(top, stamp + ".partial"))
            manifest["files"]["snapshots/%s/%s" % (stamp, rel)] = (os.path.getsize(path),
                                                                   sha256_of(path))
    os.rename(os.path.join(top, stamp + ".partial"), os.path.join(top, stamp))
    manifest["at"] = timeutil.isoformat(timeutil.now())
    manifest["blobs"] = {"generation": stamp, "files": sum(
        1 for n in manifest["files"] if "/records/blobs/" in n), "linked": 0}
    manifest["blobs"]["copied"] = manifest["blobs"]["files"]
    manifest["bytes"] = sum(size for size, _ in manifest["files"].values())
    return manifest


def write_manifest(destination, manifest, minute):
    for folder in ("runs", "minutes"):
        os.makedirs(os.path.join(destination, folder), exist_ok=True)
    minute_path = os.path.join(destination, "minutes", manifest["id"] + ".pdf")
    with open(minute_path, "wb") as f:
        f.write(minute)
    manifest["minute"] = {"file": "minutes/%s.pdf" % manifest["id"],
                          "sha256": hashlib.sha256(minute).hexdigest()}
    path = os.path.join(destination, "runs", manifest["id"] + ".json")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1, sort_keys=True)
    os.rename(path + ".tmp", path)


def backup(registry, destinations, full=False, who="system", minute=None):
    """Back up to every destination; the manifests (also logged in the archive)."""
    if not destinations:
        raise StorageError("no_destination", "Cần ít nhất một thư mục đích (--to).")
    manifests = []
    for destination in destinations:
        manifest = (backup_to(registry, destination, full, who) if is_file_storage(registry)
                    else snapshot_to(registry, destination, who))
        write_manifest(destination, manifest, (minute or _no_minute)(manifest))
        manifests.append(manifest)
    append_standalone(registry, replication_events(registry, manifests))
    with db.transaction(registry, audit.AUDIT_DB) as conn:
        log = get_backup_log(conn)
        for manifest in manifests:
            number = (log.runs.maxKey() + 1) if len(log.runs) else 1
            log.runs[number] = json.dumps(manifest, ensure_ascii=False)
        if all(m["full"] for m in manifests):
            log.packed_after = None
    return manifests


def replication_events(registry, manifests):
    """A PREMIS ``replication`` event for every version whose file a run
    copied (files linked from the previous generation were replicated by
    an earlier run and already have theirs)."""
    if not is_file_storage(registry):
        return snapshot_events(registry, manifests)
    paths = paths_of(registry)
    copied = {}
    for m in manifests:
        prefix = "blobs/%s/" % m["blobs"]["generation"]
        for name in m["files"]:
            if name.startswith(prefix):
                copied.setdefault(name[len(prefix):], []).append(m)
    made = []
    with db.reading(registry) as conn:
        for _, record, version in select(get_root(conn)):
            try:
                rel = os.path.relpath(version.blob.committed(), paths.blobs)
            except POSKeyError:     # a lost file: fixity reports it, nothing was copied
                continue
            for m in copied.get(rel, ()):
                made.append(make_event(record.path, "replication", "success", archive_repo(),
                                       {"backup": m["id"], "destination": m["destination"],
                                        "full": m["full"]},
                                       objects=[object_id(record.path, version)]))
    return made


def snapshot_events(registry, manifests):
    """A snapshot copies every version: one replication event each."""
    with db.reading(registry) as conn:
        return [make_event(record.path, "replication", "success", archive_repo(),
                           {"backup": m["id"], "destination": m["destination"],
                            "full": True}, objects=[object_id(record.path, version)])
                for _, record, version in select(get_root(conn)) for m in manifests]


def _no_minute(manifest):
    return b""
