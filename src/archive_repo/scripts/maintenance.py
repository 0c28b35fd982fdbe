"""``archive-repo maintenance announce --from "YYYY-MM-DD HH:MM" --to "…"
--message TEXT`` | ``maintenance show`` | ``maintenance clear`` — the
maintenance notice (Art. 12.5); during its window writes answer 503."""
import getpass
import json

from ..preservation import maintenance as m


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True)
    announce = sub.add_parser("announce", help="thông báo lịch bảo trì")
    announce.add_argument("--from", dest="start", required=True,
                          help="bắt đầu (\"YYYY-MM-DD HH:MM\", giờ Việt Nam)")
    announce.add_argument("--to", dest="end", required=True, help="kết thúc")
    announce.add_argument("--message", required=True, help="nội dung thông báo")
    sub.add_parser("show", help="xem thông báo hiện có")
    sub.add_parser("clear", help="hủy thông báo / kết thúc bảo trì")


def run(args, env):
    registry = env["registry"]
    if args.action == "announce":
        notice = m.announce(registry, m.parse_when(args.start), m.parse_when(args.end),
                            args.message, who=getpass.getuser())
        print("Đã thông báo bảo trì từ %(from)s đến %(to)s" % notice)
    elif args.action == "clear":
        m.clear(registry)
        print("Đã hủy thông báo bảo trì")
    else:
        print(json.dumps(m.stored_notice(registry), ensure_ascii=False))
    return 0
