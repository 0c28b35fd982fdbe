"""``archive-repo user add LOGIN --name … --role clerk [--password-stdin]``,
``user list``, ``user disable LOGIN``, ``user passwd LOGIN [--password-stdin]``.

Without ``--password-stdin`` a one-time set-up link is printed (valid 72
hours); the person chooses their own password there.  Passwords are never
taken as arguments (they would stay in the shell history and ``ps``).
"""
import sys

from .. import timeutil
from ..people import PERSON_ROLES, ROLE_LABELS, add_person, get_person
from ..people.model import disable_person, new_setup_link, set_password


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="thêm người dùng")
    add.add_argument("login", help="tên đăng nhập (chữ thường không dấu)")
    add.add_argument("--name", required=True, help="họ và tên")
    add.add_argument("--position", default="", help="chức vụ")
    add.add_argument("--agency", help="mã cơ quan (bắt buộc với văn thư)")
    add.add_argument("--role", required=True, action="append", choices=PERSON_ROLES,
                     help="vai trò (có thể nhắc lại)")
    add.add_argument("--password-stdin", action="store_true",
                     help="đọc mật khẩu từ đầu vào chuẩn (không thì in liên kết đặt mật khẩu)")
    add.add_argument("--base-url", help="địa chỉ công khai của hệ thống, cho liên kết đặt mật khẩu")
    sub.add_parser("list", help="liệt kê người dùng")
    disable = sub.add_parser("disable", help="khóa người dùng (token của họ hết hiệu lực)")
    disable.add_argument("login")
    passwd = sub.add_parser("passwd", help="đổi mật khẩu (hoặc cấp liên kết đặt mật khẩu mới)")
    passwd.add_argument("login")
    passwd.add_argument("--password-stdin", action="store_true")
    passwd.add_argument("--base-url")


def read_password():
    return sys.stdin.readline().rstrip("\r\n")


def setup_url(args, env, token):
    base = (args.base_url or env["request"].application_url).rstrip("/")
    return "%s/setup?token=%s" % (base, token)


def run(args, env):
    root, registry = env["root"], env["registry"]
    if args.action == "list":
        for person in root.people.values():
            print("\t".join((person.login, person.name, person.position or "-",
                             person.agency or "-",
                             ",".join(ROLE_LABELS[r] for r in person.roles),
                             "đã khóa " + timeutil.isoformat(person.disabled_at)
                             if person.disabled_at else "hoạt động")))
        return 0
    if args.action == "disable":
        with env["request"].tm:
            disable_person(root, args.login, registry=registry)
        print("Đã khóa người dùng %s" % args.login)
        return 0
    password = read_password() if args.password_stdin else None
    with env["request"].tm:
        if args.action == "add":
            person, setup = add_person(root, args.login, args.name, args.role, args.position,
                                       args.agency, password, registry=registry)
        else:
            person = get_person(root, args.login)
            setup = None
            if password is not None:
                set_password(root, person, password, registry=registry)
            else:
                setup = new_setup_link(person)
    print("Người dùng %s: %s" % (person.login, person.display))
    if setup:
        print("Liên kết đặt mật khẩu (dùng một lần, hết hạn sau 72 giờ):")
        print(setup_url(args, env, setup))
    return 0
