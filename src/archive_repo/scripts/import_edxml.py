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

Files go in batches: a batch is parsed here, the rules judge its new
records in the rule pool (``archive_repo.rule_workers`` processes, both
cores), then each file is imported here in its own transaction, in order,
with the report made ahead (``importer.precheck``; a report is used only
for the very bytes and metadata it was made for).  A new record's deposit
time is taken when its batch is read.  Updates and replacements are judged
in this process, when they are applied.
"""
import os
from contextlib import ExitStack

from .. import db, timeutil
from ..rules import rule_policy
from ..rules.pool import pool_for
from ..settings import get_settings
from ..edxml.importer import ImportContext, import_message, metadata_of, precheck
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


# files per worker in a batch: enough to keep both cores busy, few enough
# that a batch's spooled attachments stay small on disk
PER_WORKER = 8


def run(args, env):
    registry = env["registry"]
    progress = Progress(len(args.files), "import")
    counts = {"imported": 0, "skipped": 0}
    # one transaction per file, on a connection of the job's own
    with db.opened(db.database(registry)) as conn, pool_for(registry) as pool:
        try:
            size = PER_WORKER * pool.workers
            for start in range(0, len(args.files), size):
                for outcome in _batch(args.files[start:start + size], conn, registry, args,
                                      pool):
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


def _named(path, exc):
    return ArchiveError(exc.code, "%s: %s" % (os.path.basename(path), exc.message),
                        exc.details, exc.status)


def _open(stack, path, settings, tmpdir):
    """The parsed message, or the error to raise when its turn comes (the
    files before a broken one are still imported first)."""
    try:
        stream = stack.enter_context(open(path, "rb"))
        return stack.enter_context(read_stream(stream, settings.message_limit, tmpdir,
                                               settings.upload_limit))
    except (ArchiveError, OSError) as exc:
        return exc


def _batch(paths, conn, registry, args, pool):
    """Import ``paths`` in order; yields each one's outcome."""
    settings = get_settings(registry)
    tmpdir = conn.db().storage.temporaryDirectory()
    limits = (settings.upload_limit, tmpdir)
    with ExitStack() as stack:
        messages = [_open(stack, path, settings, tmpdir) for path in paths]
        ahead = _made_ahead(messages, conn, registry, args, limits, pool)
        for path, message, (at, made) in zip(paths, messages, ahead):
            if isinstance(message, ArchiveError):
                raise _named(path, message)
            if isinstance(message, Exception):
                raise message
            yield again_on_conflict(_unit(stack, path, message, conn, registry, args,
                                          settings, limits, at, made))


def _unit(stack, path, message, conn, registry, args, settings, limits, at, made):
    """One file's import in its own transaction, for ``again_on_conflict``:
    a replay reads the file again, since the aborted try may have taken its
    spooled attachment into the blob storage (the report made ahead still
    fits: it is matched on the bytes' digest and the metadata)."""
    first = [message]

    def unit():
        current = first.pop() if first else _open(stack, path, settings, limits[1])
        if isinstance(current, Exception):
            raise current
        try:
            with conn.transaction_manager:
                return _apply(current, conn, registry, args, limits, path, at, made)
        except ArchiveError as exc:
            raise _named(path, exc)
    return unit


def _made_ahead(messages, conn, registry, args, limits, pool):
    """``[(deposit time, (sha256, metadata, report) or None)]``: the batch's
    new records judged in the pool."""
    at = timeutil.now()
    checked = [_precheck(m, conn, registry, args, limits, at)
               if not isinstance(m, Exception) else None for m in messages]
    reports = iter(pool.map(c[2] for c in checked if c))
    return [(at, (c[0], c[1], next(reports)) if c else None) for c in checked]


def _precheck(message, conn, registry, args, limits, at):
    try:
        year, meta = _target(message, get_root(conn))
    except ArchiveError:
        return None
    if args.skip_existing and _already(year, meta, message):
        return None
    ctx = ImportContext(year, None, at, rule_policy(registry), registry, limit=limits[0],
                        tmpdir=limits[1])
    return precheck(message, ctx, lambda code: code in get_root(conn).agencies)


def _target(message, root):
    """(year, metadata) the message goes to."""
    meta = metadata_of(message.header)
    agency = root.agencies.get(message.header.value("From/OrganId") or "")
    if agency is None:
        raise ArchiveError("unknown_agency", "cơ quan ban hành không có trong danh mục")
    try:
        return agency[meta["issued_on"][:4]], meta
    except KeyError:
        raise ArchiveError("invalid_metadata", "thiếu hoặc sai ngày ban hành (PromulgationDate)")


def _apply(message, conn, registry, args, limits, path, at, made):
    upload, tmpdir = limits
    root = get_root(conn)
    year, meta = _target(message, root)
    if args.skip_existing and _already(year, meta, message):
        return "skipped"
    ctx = ImportContext(year, None, at, rule_policy(registry), registry,
                        limit=upload, tmpdir=tmpdir, deliver=args.deliver,
                        detail={"file": os.path.basename(path)})
    ctx.made_ahead = made
    import_message(message, ctx, lambda code: code in root.agencies)
    # a replayed update/replace: its bytes are already a version, nothing added
    return "skipped" if ctx.duplicate else "imported"


def _already(year, meta, message):
    record = year.get(str(meta.get("number"))) if meta.get("number") else None
    attachments = message.attachments()
    return (record is not None and attachments
            and any(v.sha256 == attachments[0].sha256 for v in record.versions))
