"""Where the archive's bytes are: the records and audit FileStorages and
the blob folder, read from the opened databases (not from the URIs, which
zodburi may have resolved differently), and ``repozo`` run in-process.

Only FileStorage is backed up here.  A RelStorage/PostgreSQL deployment
uses the database's own dump (``pg_dump``) or ``zodbconvert`` plus the same
blob generations (README, operator's chapter)."""
import os
from dataclasses import dataclass

from ZODB.scripts import repozo as _repozo

from .. import audit, db
from ..errors import ArchiveError

STAMP = "%Y-%m-%d-%H-%M-%S"        # repozo's own names, UTC


class StorageError(ArchiveError):
    status = 400


@dataclass(frozen=True)
class Paths:
    records: str        # Data.fs
    audit: str          # Audit.fs
    blobs: str          # the blob folder of the records storage


def file_storage(database, what):
    storage = database.storage
    if not hasattr(storage, "getName") or not os.path.isfile(str(storage.getName())):
        raise StorageError("unsupported_storage",
                           "Cơ sở dữ liệu %s không phải FileStorage: hãy sao lưu bằng công cụ "
                           "của CSDL (pg_dump/zodbconvert), xem README." % what)
    return storage


def paths_of(registry):
    records = file_storage(db.database(registry), "hồ sơ")
    audit_fs = file_storage(db.database(registry, audit.AUDIT_DB), "nhật ký")
    # zodburi wraps a FileStorage in a BlobStorage (``fshelper``); a
    # FileStorage opened with ``blob_dir`` has its own
    helper = getattr(records, "fshelper", None)
    blobs = helper.base_dir if helper is not None else getattr(records, "blob_dir", None)
    if not blobs:
        raise StorageError("no_blob_storage", "Cơ sở dữ liệu hồ sơ không có thư mục blob.")
    return Paths(records.getName(), audit_fs.getName(), blobs)


def last_transaction(registry):
    """The records database's newest transaction id, as hex."""
    return db.database(registry).storage.lastTransaction().hex()


def repozo(*argv):
    """Run ``repozo`` with ``argv``; StorageError with its message on failure."""
    try:
        _repozo.main(list(argv))
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise StorageError("repozo_failed", "repozo thất bại: %s" % exc.code) from None
