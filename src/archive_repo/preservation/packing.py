"""Packing the records database (removes ZODB history and unreferenced
blobs).  The archive's own versions are explicit objects, so packing loses
no version — but it does make older backups' blob generations the only
copy of what it removed, and the next incremental backup meaningless:
``pack`` refuses unless a full backup was taken after the last transaction,
and marks the next backup full."""
import json

from .. import audit, db
from .backup import BACKUPS_KEY, get_backup_log
from .storage import StorageError, last_transaction


def last_full_backup(registry):
    with db.reading(registry, audit.AUDIT_DB) as conn:
        log = conn.root().get(BACKUPS_KEY)
        runs = [json.loads(t) for t in log.runs.values()] if log is not None else []
    full = [r for r in runs if r["full"]]
    return full[-1] if full else None


def check_pack_allowed(registry):
    found = last_full_backup(registry)
    tid = last_transaction(registry)
    if found is None or found["records_tid"] < tid:
        raise StorageError("backup_required",
                           "Chưa có bản sao lưu toàn bộ sau giao dịch cuối của cơ sở dữ liệu: "
                           "chạy `archive-repo backup --full --to …` rồi mới dọn (pack).",
                           status=409)
    return found


def pack(registry):
    """Pack the records database (history older than now); the backup it
    relied on."""
    found = check_pack_allowed(registry)
    db.database(registry).pack()
    with db.transaction(registry, audit.AUDIT_DB) as conn:
        get_backup_log(conn).packed_after = last_transaction(registry)
    return found
