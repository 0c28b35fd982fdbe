"""Restoring a backup into a new place, then proving it.

``restore(settings, source, target, at)``: pick the last complete run at or
before ``at`` (its manifest, ``runs/<stamp>.json``), ``repozo -R`` both
FileStorages as of that run, copy that run's blob generation — refusing a
generation older than the Data.fs it would serve (a pack in between would
leave records pointing at missing blobs) — then open the restored archive as
an app and verify it: a new change-feed id (connectors' cursors name the old
history), every version of every record present with its SHA-256, the
catalog and the full text rebuilt and compared with the records.  The
result, a restore minute and an ``archive.ini`` for the new place are
written beside it; anything wrong is listed with the record it concerns.
"""
import json
import os
import shutil
from datetime import datetime

from .. import audit, db, timeutil
from ..dav.changes import new_feed_id
from ..indexing import apply_pending, fulltext_of
from ..indexing.follow import Cursor
from ..indexing.rebuild import differences
from ..resources import get_root
from . import fixity, minutes
from .storage import StorageError, repozo

RESTORED_INI = """[app:main]
use = egg:archive_repo
zodbconn.uri = file://{target}/Data.fs?blobstorage_dir={target}/blobs
zodbconn.uri.audit = file://{target}/Audit.fs
archive_repo.index_dir = {target}/index
{extra}
"""


def parse_at(text):
    """"YYYY-MM-DD HH:MM[:SS]" in Vietnam time → an aware datetime (a time
    without seconds means the whole minute)."""
    for form, second in (("%Y-%m-%d %H:%M:%S", None), ("%Y-%m-%d %H:%M", 59)):
        try:
            moment = datetime.strptime(text.strip(), form)
        except ValueError:
            continue
        if second is not None:
            moment = moment.replace(second=second)
        return moment.replace(tzinfo=timeutil.VN_TZ)
    raise StorageError("invalid_time", "Thời điểm phải có dạng \"YYYY-MM-DD HH:MM\" "
                       "(giờ Việt Nam): %r" % text)


def runs_in(source):
    folder = os.path.join(source, "runs")
    if not os.path.isdir(folder):
        raise StorageError("no_backup", "Không có bản sao lưu nào trong %s." % source)
    found = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                found.append(json.load(f))
    return found


def choose_run(source, at=None):
    runs = runs_in(source)
    if at is not None:
        runs = [r for r in runs if datetime.fromisoformat(r["at"]) <= at]
    if not runs:
        raise StorageError("no_backup", "Không có bản sao lưu nào trong %s trước thời điểm "
                           "đã chọn." % source)
    return runs[-1]


def newest_storage_backup(repository, stamp):
    """The stamp of the newest repozo file at or before ``stamp``."""
    names = [n.split(".")[0] for n in os.listdir(repository)
             if n.endswith((".fs", ".deltafs", ".fsz", ".deltafsz"))]
    names = [n for n in names if n <= stamp]
    return max(names) if names else None


def check_generation(source, run):
    generation = run["blobs"]["generation"]
    folder = os.path.join(source, "blobs", generation)
    storage_stamp = newest_storage_backup(os.path.join(source, "records"), run["id"])
    if not os.path.isdir(folder) or storage_stamp is None or generation < storage_stamp:
        raise StorageError("blobs_older_than_database",
                           "Thế hệ tệp blob %s thiếu hoặc cũ hơn bản sao cơ sở dữ liệu %s: "
                           "không khôi phục (văn bản sẽ trỏ tới tệp không còn)."
                           % (generation, storage_stamp))
    return folder


def recover(source, run, target):
    os.makedirs(target)
    for part, name in (("records", "Data.fs"), ("audit", "Audit.fs")):
        repozo("-R", "-r", os.path.join(source, part), "-o", os.path.join(target, name),
               "-D", run["id"])
    shutil.copytree(check_generation(source, run), os.path.join(target, "blobs"))
    index = os.path.join(target, "index")
    os.makedirs(index, exist_ok=True)
    # The restored outbox may index a few records before the feed is
    # followed; a cursor of another feed makes the follower start from the
    # feed's first entry all the same (indexing/follow.py), so the new full
    # text covers every record.
    Cursor(index).write("restored", 0)


def restored_settings(settings, target):
    values = {k: v for k, v in settings.items() if k.startswith(("archive_repo.", "retry."))}
    values.update({
        "zodbconn.uri": "file://%s/Data.fs?blobstorage_dir=%s/blobs" % (target, target),
        "zodbconn.uri.audit": "file://%s/Audit.fs" % target,
        "archive_repo.index_dir": os.path.join(target, "index"),
    })
    return values


def verify(registry):
    """(records, versions, problems) of the restored archive."""
    problems, records, versions = [], 0, 0
    apply_pending(registry)             # the full text of the empty index folder
    with db.reading(registry) as conn:
        root = get_root(conn)
        seen = set()
        for _, record, version in fixity.select(root):
            seen.add(record.path)
            versions += 1
            status, detail = fixity.check_version(version)
            if status != fixity.OK:
                problems.append({"path": "%s/versions/%d" % (record.path, version.number),
                                 "problem": "%s %s" % (status, fixity.LABELS[status])})
        records = len(seen)
        for kind, paths in differences(root, fulltext_of(registry)).items():
            problems += [{"path": p, "problem": "index: " + kind} for p in paths]
    return records, versions, problems


def restore(settings, source, target, open_app, at=None, who="system"):
    """Restore ``source`` (a backup destination) into the new folder
    ``target``; ``open_app(settings)`` starts the restored archive's app.
    The result (``ok`` False when verification failed)."""
    target = os.path.abspath(target)
    if os.path.exists(target) and os.listdir(target):
        raise StorageError("target_not_empty", "Thư mục khôi phục %s đã có dữ liệu: hãy chọn "
                           "thư mục mới." % target)
    if os.path.isdir(target):
        os.rmdir(target)
    run = choose_run(source, at)
    recover(source, run, target)
    values = restored_settings(settings, target)
    write_ini(target, values)
    app = open_app(values)
    try:
        with db.transaction(app.registry) as conn:
            feed_id = new_feed_id(conn)
        records, versions, problems = verify(app.registry)
        result = {"at": timeutil.isoformat(timeutil.now()), "who": who,
                  "source": os.path.abspath(source), "run": run["id"], "target": target,
                  "records": records, "versions": versions, "feed_id": feed_id,
                  "problems": problems, "ok": not problems}
        audit.write_standalone(app.registry, audit.make_entry(
            None, "restore", "/", "ok" if result["ok"] else "failed", nobody=who,
            source=result["source"], run=run["id"], problems=len(problems)))
    finally:
        db.close_all(app.registry)
    with open(os.path.join(target, "restore.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    with open(os.path.join(target, "restore-minute.pdf"), "wb") as f:
        f.write(minutes.restore_minute(result))
    return result


def write_ini(target, values):
    skip = ("zodbconn.uri", "zodbconn.uri.audit", "archive_repo.index_dir")
    extra = "\n".join("%s = %s" % (k, v) for k, v in sorted(values.items())
                      if k not in skip and k.startswith("archive_repo.")
                      and k != "archive_repo.console")
    with open(os.path.join(target, "archive.ini"), "w", encoding="utf-8") as f:
        f.write(RESTORED_INI.format(target=target, extra=extra))

