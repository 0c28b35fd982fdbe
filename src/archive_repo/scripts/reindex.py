"""``archive-repo -c INI reindex [--dry-run] [--every N] [--fresh-text]`` —
rebuild the catalog and the full-text index from the records in ZODB.

Records are re-indexed in place, batch by batch (a ZODB commit and a
Whoosh commit every ``--every`` records), so search keeps answering while
it runs and an interrupted run is simply run again.  Entries the indexes
hold for records that no longer exist are removed at the end.  With
``--compact`` the full-text index is then merged into one segment (the
day-to-day merges are bounded and leave segments of ~5 000 records alone:
fulltext.tiered_merge); Whoosh merges about as fast as it indexes, so this
roughly doubles the run.
"""
import os
import sys

from ..indexing.catalog import get_catalog
from ..indexing.documents import document_values
from ..indexing.sandbox import bounds_of
from ..settings import get_settings
from ..indexing.fulltext import document
from .. import timeutil
from ..indexing.follow import feed_head, mark_followed
from ..indexing.outbox import get_outbox
from ..indexing.rebuild import count_records, differences, iter_records
from ..indexing.text import get_text_store
from .progress import Progress
from ..retrying import commit_retrying
from ..indexing import fulltext_of


def add_arguments(parser):
    parser.add_argument("--dry-run", action="store_true",
                        help="chỉ báo cáo khác biệt, không ghi")
    # one Whoosh commit per batch, one segment per writer process: 10 000
    # over 2 processes gives segments of fulltext.MERGE_MAX_DOCS, which no
    # merge rewrites (at 100 000 records, 2 000 a batch left 100 segments
    # and phrase queries paid for each: bench/search.py)
    parser.add_argument("--every", type=int, default=10000, help="lưu sau mỗi N văn bản")
    # Whoosh's writer is pure Python: one process per core (fulltext.apply)
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1),
                        help="số tiến trình ghi chỉ mục toàn văn (mặc định: 2)")
    parser.add_argument("--compact", action="store_true",
                        help="gộp chỉ mục toàn văn thành một phân đoạn khi xong (lâu)")
    parser.add_argument("--fresh-text", action="store_true",
                        help="trích xuất lại văn bản (và OCR), bỏ qua bản đã lưu")


def run(args, env):
    registry, root, tm = env["registry"], env["root"], env["request"].tm
    worker = getattr(registry, "index_worker", None)
    if worker is not None:
        worker.stop()           # this job is the only writer while it runs
    fulltext = fulltext_of(registry)
    bounds = bounds_of(get_settings(registry))
    if args.every < 1 or args.procs < 1:
        raise ValueError("--every và --procs phải ≥ 1")
    tm.begin()
    if args.dry_run:
        try:
            return report_only(root, fulltext)
        finally:
            tm.abort()
    covered = [key for key, _ in get_outbox(root).oldest(10 ** 9)]  # rewritten below
    head = feed_head(root)      # the tree walked below is at least this new
    if args.fresh_text:
        get_text_store(root).by_sha256.clear()
    bar = Progress(count_records(root), "Lập chỉ mục")
    batch = []
    for record in iter_records(root):
        batch.append(record)
        if len(batch) >= args.every:
            flush(batch, root, fulltext, tm, bar, bounds, args.procs)
    flush(batch, root, fulltext, tm, bar, bounds, args.procs)
    bar.close()

    def acknowledge():
        for key in covered:
            get_outbox(root).done(key)
    commit_retrying(tm, acknowledge)
    removed = remove_extras(root, fulltext, tm)
    mark_followed(root, fulltext, head)     # this node follows the feed from there
    if args.compact:
        print("Gộp chỉ mục toàn văn thành một phân đoạn…", file=sys.stderr, flush=True)
        fulltext.compact()
    print("Đã lập chỉ mục %d văn bản; xóa %d mục thừa." % (bar.done, removed))
    return 0


def flush(batch, root, fulltext, tm, bar, bounds, procs=1):
    """Index ``batch`` in both indexes (Whoosh first: the outbox batches
    this run covers are removed only at the end); a conflict with
    concurrent writes runs the batch again (``commit_retrying``)."""
    if not batch:
        return

    def index_batch():
        catalog, outbox = get_catalog(root), get_outbox(root)
        docs = []
        for record in batch:
            catalog.index(record)
            try:
                docs.append(document(document_values(record, root, bounds)))
            except Exception as exc:    # kept in the failed set; check-index lists it
                outbox.fail(record.path, "%s: %s" % (type(exc).__name__, exc),
                            timeutil.isoformat(timeutil.now()))
                continue
            outbox.indexed(record.path)
        fulltext.apply(docs, procs=procs)   # idempotent: applied again on a replay
    commit_retrying(tm, index_batch)
    bar.step(len(batch))
    batch.clear()


def remove_extras(root, fulltext, tm):
    def remove():
        diff = differences(root, fulltext)
        catalog = get_catalog(root)
        for path in diff["extra_catalog"]:
            catalog.unindex(path)
        if diff["extra_fulltext"]:
            fulltext.apply([], diff["extra_fulltext"])
        return len(diff["extra_catalog"]) + len(diff["extra_fulltext"])
    return commit_retrying(tm, remove)


def report_only(root, fulltext):
    from .check_index import print_report
    diff = differences(root, fulltext)
    print("Chạy thử: %d văn bản sẽ được lập chỉ mục lại." % count_records(root))
    print_report(diff)
    return 0
