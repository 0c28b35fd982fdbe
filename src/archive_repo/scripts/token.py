"""``archive-repo token add --agency CODE --role ROLE``: the new token is the
last line of stdout (shown once; only its hash is kept)."""
from .. import timeutil
from ..security import ROLES, issue_token
from ..security.tokens import revoke_token


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="cấp token mới")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--agency", help="mã cơ quan (bắt buộc với văn thư)")
    add.add_argument("--note", default="")
    sub.add_parser("list", help="liệt kê token (không hiện giá trị token)")
    revoke = sub.add_parser("revoke", help="thu hồi token")
    revoke.add_argument("token_id")


def run(args, env):
    request = env["request"]
    if args.action == "list":
        for info in env["root"].tokens.values():
            print("%s\t%s\t%s\t%s\t%s" % (
                info.token_id, info.role, info.agency or "-",
                timeutil.isoformat(info.created_at),
                "thu hồi " + timeutil.isoformat(info.revoked_at) if info.revoked_at else "hiệu lực"))
        return 0
    if args.action == "revoke":
        with request.tm:
            revoke_token(env["root"], args.token_id, timeutil.now())
        print("Đã thu hồi token %s" % args.token_id)
        return 0
    with request.tm:
        token, info = issue_token(env["root"], args.role, args.agency, args.note)
    print("token id %s: vai trò %s%s" % (info.token_id, info.role,
                                        ", cơ quan %s" % info.agency if info.agency else ""))
    print(token)
    return 0
