"""Where the archive's bytes are: the records and audit FileStorages and
the blob folder, read from the opened databases (not from the URIs, which
zodburi may have resolved differently), and ``repozo`` run in-process.

FileStorage is backed up with repozo.  A RelStorage/PostgreSQL deployment
(blobs kept in the database) is copied, as ``zodbconvert`` does, into a
FileStorage with its blob folder per run: a snapshot that opens as it is
(:func:`snapshot`)."""
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


def is_file_storage(registry):
    storage = db.database(registry).storage
    return hasattr(storage, "getName") and os.path.isfile(str(storage.getName()))


def snapshot(database, folder, with_blobs):
    """Copy every transaction of ``database`` into a new FileStorage in
    ``folder`` (``Data.fs``, and ``blobs/`` when it keeps blobs) — what
    RelStorage's ``zodbconvert`` does; the files written."""
    from ZODB.FileStorage import FileStorage
    os.makedirs(folder)
    path = os.path.join(folder, "Data.fs")
    target = FileStorage(path, create=True,
                         blob_dir=os.path.join(folder, "blobs") if with_blobs else None)
    source = database.storage.new_instance() if hasattr(
        database.storage, "new_instance") else database.storage
    try:
        target.copyTransactionsFrom(source)
    finally:
        target.close()
        if source is not database.storage:
            source.release() if hasattr(source, "release") else source.close()
    return [os.path.join(base, n) for base, _, names in os.walk(folder) for n in names
            if not n.endswith((".index", ".lock", ".tmp", ".layout"))]


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
