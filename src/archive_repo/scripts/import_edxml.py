"""``archive-repo -c INI import FILE…`` — bulk import of edXML messages
(historical documents, or a batch from another system).

Each file is imported in its own transaction, in the order given, through
the same code as ``POST /{agency}/{year}/`` (edxml.importer).  Historical
documents were delivered long ago: no deliveries are created unless
``--deliver`` is given.  ``--skip-existing`` skips a message whose record is
already stored with the same bytes, so an interrupted run can be resumed
by running it again.  The first failure stops the run with a one-line error
naming the file (the files before it stay imported) — but a conflict with
concurrent writes (the server depositing into the same year) is no failure:
the file is read and imported again after a back-off
(``retrying.again_on_conflict``), and the run carries on.  At the end the
imported records are indexed for search, with their own progress bar.
"""
import os


from .. import db, timeutil
from ..rules import rule_policy
from ..settings import get_settings
from ..edxml.importer import ImportContext, import_message, metadata_of
from ..edxml.parse import read_stream
from ..errors import ArchiveError
from ..indexing import apply_pending
from ..resources import get_root
from ..retrying import again_on_conflict
from .progress import Progress
from ..indexing import worker_of


def add_arguments(parser):
    parser.add_argument("files", nargs="+", help="tệp .edxml")
    parser.add_argument("--deliver", action="store_true",
                        help="gửi văn bản đến các cơ quan nhận (mặc định: không, "
                             "văn bản lịch sử đã được gửi từ trước)")
    parser.add_argument("--skip-existing", action="store_true",
                        help="bỏ qua văn bản đã có trong kho với cùng nội dung (chạy lại "
                             "sau khi bị gián đoạn)")


def run(args, env):
    registry = env["registry"]
    progress = Progress(len(args.files), "import")
    counts = {"imported": 0, "skipped": 0}
    # one transaction per file, on a connection of the job's own
    with db.opened(db.database(registry)) as conn:
        try:
            for path in args.files:
                outcome = again_on_conflict(
                    lambda: _one(path, conn, conn.transaction_manager, registry, args))
                counts[outcome] += 1
                progress.step()
        finally:
            progress.close()
    print("đã nhập %(imported)d, bỏ qua %(skipped)d" % counts)
    index_imported(registry)
    return 0


def index_imported(registry):
    """Make the imported records searchable now: a console job runs no
    index worker, and leaving thousands of records to the server's
    start-up would leave search incomplete for a long while."""
    queued = worker_of(registry).pending_paths()
    if queued:
        bar = Progress(queued, "Lập chỉ mục")
        apply_pending(registry, bar.step)
        bar.close()


def _one(path, conn, tm, registry, args):
    settings = get_settings(registry)
    upload = settings.upload_limit
    tmpdir = conn.db().storage.temporaryDirectory()
    try:
        with open(path, "rb") as stream, tm:
            with read_stream(stream, settings.message_limit, tmpdir, upload) as message:
                return _apply(message, conn, tm, registry, args, (upload, tmpdir), path)
    except ArchiveError as exc:
        raise ArchiveError(exc.code, "%s: %s" % (os.path.basename(path), exc.message),
                           exc.details, exc.status)


def _apply(message, conn, tm, registry, args, limits, path):
    upload, tmpdir = limits
    root = get_root(conn)
    meta = metadata_of(message.header)
    agency = root.agencies.get(message.header.value("From/OrganId") or "")
    if agency is None:
        raise ArchiveError("unknown_agency", "cơ quan ban hành không có trong danh mục")
    try:
        year = agency[meta["issued_on"][:4]]
    except KeyError:
        raise ArchiveError("invalid_metadata", "thiếu hoặc sai ngày ban hành (PromulgationDate)")
    if args.skip_existing and _already(year, meta, message):
        return "skipped"
    ctx = ImportContext(year, None, timeutil.now(), rule_policy(registry), registry,
                        limit=upload, tmpdir=tmpdir, deliver=args.deliver,
                        detail={"file": os.path.basename(path)})
    import_message(message, ctx, lambda code: code in root.agencies)
    # a replayed update/replace: its bytes are already a version, nothing added
    return "skipped" if ctx.duplicate else "imported"


def _already(year, meta, message):
    record = year.get(str(meta.get("number"))) if meta.get("number") else None
    attachments = message.attachments()
    return (record is not None and attachments
            and any(v.sha256 == attachments[0].sha256 for v in record.versions))
