"""``archive-repo fixity [--agency CODE] [--year YYYY] [--budget MINUTES]
[--resume] [--due]`` — re-read every stored version (preservation.fixity).

Exit 0 only when every file checked is intact; 1 and one line per file that
is ``changed`` / ``missing`` / ``error`` otherwise.  Versions of destroyed
records are listed as ``destroyed`` with the decision's number (no failure).  A run stopped by its
budget says so and is continued with ``--resume``.
"""
from .. import db
from ..preservation import fixity
from ..resources import get_root
from ..settings import get_settings
from .progress import Progress


def add_arguments(parser):
    parser.add_argument("--agency", help="chỉ kiểm tra văn bản của cơ quan này")
    parser.add_argument("--year", type=int, help="chỉ kiểm tra văn bản của năm này")
    parser.add_argument("--budget", type=float, metavar="PHÚT",
                        help="dừng sau số phút này (chạy tiếp bằng --resume)")
    parser.add_argument("--resume", action="store_true",
                        help="tiếp tục lần kiểm tra bị dừng giữa chừng")
    parser.add_argument("--due", action="store_true",
                        help="chỉ kiểm tra tệp chưa được kiểm tra trong "
                             "archive_repo.fixity_interval_days ngày (dùng cho cron hằng ngày)")


def run(args, env):
    registry = env["registry"]
    due = get_settings(registry).fixity_interval_days if args.due else None
    with db.reading(registry) as conn:
        total = fixity.count_versions(get_root(conn), args.agency, args.year)
    bar = Progress(total, "Kiểm tra toàn vẹn")
    run_id, summary = fixity.run_fixity(registry, args.agency, args.year, args.budget,
                                        args.resume, due, progress=bar.step)
    bar.close()
    for problem in summary["problems"]:
        print("%s %s/versions/%d %s %s" % (problem["status"], problem["path"],
                                           problem["version"],
                                           fixity.LABELS[problem["status"]],
                                           problem.get("error") or problem.get("file") or ""))
    for gone in summary["destroyed"]:
        print("destroyed %s/versions/%d %s %s" % (gone["path"], gone["version"],
                                                  fixity.LABELS[fixity.DESTROYED],
                                                  gone["decision"] or ""))
    counts = summary["counts"]
    print("Lần kiểm tra %d: đã kiểm tra %d tệp — nguyên vẹn %d, bị thay đổi %d, bị mất %d, "
          "lỗi đọc %d; đã tiêu hủy %d; bỏ qua (chưa đến hạn) %d"
          % (run_id, summary["checked"], counts["ok"], counts["changed"], counts["missing"],
             counts["error"], counts["destroyed"], summary["skipped"]))
    if not summary["complete"]:
        print("Chưa kiểm tra hết (hết thời gian cho phép): chạy lại với --resume")
    return 0 if fixity.all_ok(summary) else 1
