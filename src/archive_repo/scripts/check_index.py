"""``archive-repo -c INI check-index [--show N]`` — compare the catalog and
the full-text index with the records in ZODB.

Exit 0 when they agree (entries still in the outbox are reported, not
counted as differences: the worker is about to apply them), 1 otherwise,
with ``archive-repo reindex`` as the remedy.
"""
import sys

from ..indexing import fulltext_of
from ..indexing.follow import lag
from ..indexing.catalog import get_catalog, values
from ..indexing.rebuild import count_records, differences, iter_records
from .progress import Progress

LABELS = {
    "missing_catalog": "thiếu trong danh mục (catalog)",
    "extra_catalog": "thừa trong danh mục (catalog)",
    "stale_catalog": "danh mục lỗi thời",
    "missing_fulltext": "thiếu trong chỉ mục toàn văn",
    "extra_fulltext": "thừa trong chỉ mục toàn văn",
    "failed": "không lập được chỉ mục (lỗi khi trích văn bản)",
    "pending": "đang chờ cập nhật (hàng đợi)",
}


def add_arguments(parser):
    parser.add_argument("--show", type=int, default=10, help="liệt kê tối đa N đường dẫn mỗi loại")


def run(args, env):
    root, fulltext, tm = env["root"], fulltext_of(env["registry"]), env["request"].tm
    tm.begin()                  # read-only: aborted below
    try:
        diff = differences(root, fulltext, lag(root, fulltext)[1])
        diff["stale_catalog"] = stale_catalog(root)
    finally:
        tm.abort()
    print_report(diff, args.show)
    bad = sum(len(v) for k, v in diff.items() if k != "pending")
    if bad:
        print("lỗi: chỉ mục lệch %d mục so với cơ sở dữ liệu; chạy `archive-repo reindex`."
              % bad, file=sys.stderr)
        return 1
    return 0


def stale_catalog(root):
    """Records whose catalog entry differs from what they are now."""
    catalog = get_catalog(root)
    bar = Progress(count_records(root), "Kiểm tra danh mục")
    stale = []
    for record in iter_records(root):
        if catalog.contains(record.path) and catalog.indexed_values(record.path) != \
                catalog.comparable(values(record)):
            stale.append(record.path)
        bar.step()
    bar.close()
    return stale


def print_report(diff, show=10):
    for key, label in LABELS.items():
        paths = diff.get(key, [])
        print("%s: %d" % (label, len(paths)))
        for path in paths[:show]:
            print("  " + path)
