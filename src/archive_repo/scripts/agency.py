"""``archive-repo agency add CODE --name NAME [--parent CODE]`` and
``agency list``."""
from ..directory import add_agency, describe


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="thêm cơ quan")
    add.add_argument("code")
    add.add_argument("--name", required=True)
    add.add_argument("--parent")
    add.add_argument("--short-name", default="")
    add.add_argument("--kind", default="")
    sub.add_parser("list", help="liệt kê danh mục")


def run(args, env):
    root = env["root"]
    if args.action == "list":
        for agency in root.agencies.values():
            info = describe(agency)
            print("%s\t%s\t%s" % (info["code"], info["name"],
                                  "" if info["active"] else "hết hiệu lực"))
        return 0
    with env["request"].tm:
        agency = add_agency(root, args.code, args.name, args.parent,
                            short_name=args.short_name, kind=args.kind)
    print("Đã thêm cơ quan %s — %s" % (agency.code, agency.name))
    return 0
