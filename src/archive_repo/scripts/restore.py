"""``archive-repo restore --from DIR --to NEWDIR [--at "YYYY-MM-DD HH:MM"]``
— restore a backup into a new folder and verify it (exit 1 when the
restored copy fails verification, each problem named)."""
import getpass

from ..preservation.restore import parse_at, restore


def add_arguments(parser):
    parser.add_argument("--from", dest="source", required=True, metavar="THƯ_MỤC",
                        help="nơi lưu bản sao (một đích của lệnh backup)")
    parser.add_argument("--to", dest="target", required=True, metavar="THƯ_MỤC_MỚI",
                        help="thư mục mới nhận kho khôi phục")
    parser.add_argument("--at", help="khôi phục trạng thái tại thời điểm này "
                                     "(\"YYYY-MM-DD HH:MM\", giờ Việt Nam; mặc định: mới nhất)")


def open_app(settings):
    from .. import main
    return main({"archive_repo.console": "true"}, **settings)


def run(args, env):
    at = parse_at(args.at) if args.at else None
    result = restore(env["registry"].settings, args.source, args.target, open_app, at,
                     who=getpass.getuser())
    for problem in result["problems"]:
        print("lỗi %s: %s" % (problem["path"], problem["problem"]))
    print("Khôi phục bản sao %s vào %s: %d văn bản, %d phiên bản — %s. Biên bản: "
          "restore-minute.pdf; cấu hình: archive.ini"
          % (result["run"], result["target"], result["records"], result["versions"],
             "kiểm tra đạt" if result["ok"] else "KIỂM TRA KHÔNG ĐẠT"))
    return 0 if result["ok"] else 1
