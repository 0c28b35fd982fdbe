"""``archive-repo token add --agency CODE --role ROLE`` (a machine's token),
``token add --user LOGIN`` (a person's: their role and agency, void once
they are disabled) or ``--system NAME`` (whose it is, for ``token list``):
the new token is the last line of stdout (shown once; only its hash is kept)."""
from .. import timeutil
from ..errors import ArchiveError
from ..security import ROLES, issue_token
from ..security.tokens import revoke_token


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="cấp token mới")
    add.add_argument("--role", choices=ROLES, help="vai trò (không dùng với --user)")
    owner = add.add_mutually_exclusive_group()
    owner.add_argument("--user", help="token của người dùng này (vai trò, cơ quan của họ)")
    owner.add_argument("--system", help="tên hệ thống giữ token (ví dụ: truc-lien-thong)")
    add.add_argument("--agency", help="mã cơ quan (bắt buộc với văn thư)")
    add.add_argument("--note", default="")
    sub.add_parser("list", help="liệt kê token (không hiện giá trị token)")
    revoke = sub.add_parser("revoke", help="thu hồi token")
    revoke.add_argument("token_id")


def run(args, env):
    request = env["request"]
    if args.action == "list":
        for info in env["root"].tokens.values():
            print("%s\t%s\t%s\t%s\t%s\t%s" % (
                info.token_id, info.role, info.agency or "-", info.held_by,
                timeutil.isoformat(info.created_at),
                "thu hồi " + timeutil.isoformat(info.revoked_at) if info.revoked_at else "hiệu lực"))
        return 0
    if args.action == "revoke":
        with request.tm:
            revoke_token(env["root"], args.token_id, timeutil.now())
        print("Đã thu hồi token %s" % args.token_id)
        return 0
    if (args.user is None) == (args.role is None):
        raise ArchiveError("role_or_user", "Cần đúng một trong hai: --role (token của máy) "
                           "hoặc --user (token của người dùng).")
    with request.tm:
        token, info = issue_token(env["root"], args.role, args.agency, args.note,
                                  user=args.user, system=args.system)
    print("token id %s: vai trò %s%s, của %s" % (
        info.token_id, info.role, ", cơ quan %s" % info.agency if info.agency else "",
        info.held_by))
    print(token)
    return 0
