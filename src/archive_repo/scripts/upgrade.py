"""``archive-repo upgrade [--full-fixity] [--report FILE]`` — the pending
evolve steps between two integrity checks; exit 1 (and the differences)
when the archive was damaged before or differs after."""
import getpass
import json

from ..preservation.upgrade import upgrade



def add_arguments(parser):
    parser.add_argument("--full-fixity", action="store_true",
                        help="kiểm tra toàn vẹn mọi tệp (mặc định: một mẫu)")
    parser.add_argument("--report", default="upgrade-report.json", metavar="TỆP",
                        help="tệp báo cáo nâng cấp (JSON)")


def run(args, env):
    report = upgrade(env["registry"], args.full_fixity, who=getpass.getuser())
    with open(args.report, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    for line in report["differences"]:
        print("khác biệt: %s" % line)
    if report["ok"]:
        print("Nâng cấp xong: %d bước; kiểm tra trước và sau khớp nhau. Báo cáo: %s"
              % (len(report["ran"]), args.report))
        return 0
    when = "trước khi nâng cấp (kho đã hỏng)" if report["refused"] == "before" else \
        "sau khi nâng cấp (khác trước)"
    print("TỪ CHỐI: kiểm tra toàn vẹn không đạt %s. Báo cáo: %s" % (when, args.report))
    return 1
