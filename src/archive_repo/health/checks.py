"""The checks of what every concern shares: the records' storage and the
free space of the volumes the archive writes."""
import os
import shutil

from .. import db
from ..settings import get_settings


def storage(registry):
    with db.reading(registry) as conn:
        conn.root()
        last = conn.db().lastTransaction()
    return {"status": "ok", "last_transaction": last.hex()}


def volumes(registry):
    """The folders the archive writes: the records' and the audit's
    storage (FileStorage file or blob folder), the full-text index."""
    found = {}
    for name in (db.RECORDS, db.AUDIT):
        storage = db.database(registry, name).storage
        for attr in ("_file_name", "blob_dir", "fshelper"):
            value = getattr(storage, attr, None)
            value = getattr(value, "base_dir", value)
            if isinstance(value, str):
                found.setdefault(os.path.dirname(os.path.abspath(value)) if attr == "_file_name"
                                 else value, None)
    found.setdefault(get_settings(registry).index_dir, None)
    return [path for path in found if os.path.isdir(path)]


def free_mb(path):
    return shutil.disk_usage(path).free >> 20


def disk(registry):
    floor = get_settings(registry).min_free_mb
    free = {path: free_mb(path) for path in volumes(registry)}
    low = [path for path, mb in free.items() if mb < floor]
    return {"status": "failed" if low else "ok", "min_free_mb": floor,
            "free_mb": min(free.values()) if free else None, "low": len(low)}
