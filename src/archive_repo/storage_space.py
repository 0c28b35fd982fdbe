"""Free space on the volumes the archive writes: the records' and the
audit's storage (FileStorage file, blob folder) and the full-text index.

Measured before: with the disk full, deposits were 500 and, in 2 of 6
trials, kept failing after space was freed (a half-written audit record)
until a restart.  A deposit is now refused with 507 ``storage_full``
before a byte is spooled while any volume is below
``archive_repo.min_free_mb``; ``/health`` reports the same.
"""
import os
import shutil

from . import db
from .errors import ArchiveError
from .settings import get_settings


class StorageFull(ArchiveError):
    status = 507

    def __init__(self, floor):
        super().__init__("storage_full",
                         "Không đủ dung lượng đĩa để lưu văn bản (cần còn trống ít nhất %d MB); "
                         "không có gì được lưu. Hãy báo quản trị hệ thống." % floor,
                         [{"min_free_mb": floor}])


def volumes(registry):
    """The folders the archive writes (those that exist)."""
    found = []
    for name in (db.RECORDS, db.AUDIT):
        storage = db.database(registry, name).storage
        file_name = getattr(storage, "_file_name", None)
        if isinstance(file_name, str):
            found.append(os.path.dirname(os.path.abspath(file_name)))
        blob_dir = getattr(storage, "blob_dir", None)
        if isinstance(blob_dir, str):
            found.append(blob_dir)
    found.append(get_settings(registry).index_dir)
    return [path for path in dict.fromkeys(found) if os.path.isdir(path)]


def free_mb(registry):
    """Free MB of each volume, by folder."""
    return {path: shutil.disk_usage(path).free >> 20 for path in volumes(registry)}


def check_free_space(registry):
    """Raise StorageFull when a volume is below the floor."""
    floor = get_settings(registry).min_free_mb
    if floor and any(mb < floor for mb in free_mb(registry).values()):
        raise StorageFull(floor)
