"""``archive-repo token add --agency CODE --role ROLE``: the new token is the
last line of stdout (shown once; only its hash is kept)."""
from ..security import ROLES, issue_token


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="cấp token mới")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--agency", help="mã cơ quan (bắt buộc với văn thư)")
    add.add_argument("--note", default="")


def run(args, env):
    request = env["request"]
    with request.tm:
        token, info = issue_token(env["root"], args.role, args.agency, args.note)
    print("token id %s: vai trò %s%s" % (info.token_id, info.role,
                                        ", cơ quan %s" % info.agency if info.agency else ""))
    print(token)
    return 0
