"""``archive-repo agency add CODE --name NAME [--parent CODE]``, ``agency list``
and ``agency add-cert CODE (--mst X | --mns X | --cert FILE)``."""
from ..directory import add_agency, add_certificate, describe


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="thêm cơ quan")
    add.add_argument("code")
    add.add_argument("--name", required=True)
    add.add_argument("--parent")
    add.add_argument("--short-name", default="")
    add.add_argument("--kind", default="")
    sub.add_parser("list", help="liệt kê danh mục")
    cert = sub.add_parser("add-cert", help="đăng ký chứng thư số của cơ quan (để nhận ra chữ "
                                           "ký số của cơ quan ban hành)")
    cert.add_argument("code", help="mã cơ quan (QCVN 102:2016)")
    which = cert.add_mutually_exclusive_group(required=True)
    which.add_argument("--mst", help="mã số thuế ghi trong chứng thư (UID=MST:…)")
    which.add_argument("--mns", help="mã số đơn vị quan hệ ngân sách (UID=MNS:…)")
    which.add_argument("--cert", metavar="FILE", help="tệp chứng thư số (PEM hoặc DER)")


def _add_cert(args, env):
    pem = None
    if args.cert:
        with open(args.cert, "rb") as f:
            pem = f.read()
    with env["request"].tm:
        kind, value = add_certificate(env["root"], args.code, mst=args.mst, mns=args.mns,
                                      pem=pem, registry=env["registry"])
    print("Đã đăng ký %s %s cho cơ quan %s" % (kind.upper(), value, args.code))
    return 0


def run(args, env):
    root = env["root"]
    if args.action == "list":
        for agency in root.agencies.values():
            info = describe(agency)
            print("%s\t%s\t%s" % (info["code"], info["name"],
                                  "" if info["active"] else "hết hiệu lực"))
        return 0
    if args.action == "add-cert":
        return _add_cert(args, env)
    with env["request"].tm:
        agency = add_agency(root, args.code, args.name, args.parent,
                            short_name=args.short_name, kind=args.kind)
    print("Đã thêm cơ quan %s — %s" % (agency.code, agency.name))
    return 0
