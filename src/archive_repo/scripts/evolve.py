"""``archive-repo evolve [--dry-run]`` — run the database's pending evolve
steps (archive_repo.evolution).  Exit 0 when none is pending afterwards."""
from .. import evolution


def add_arguments(parser):
    parser.add_argument("--dry-run", action="store_true",
                        help="chỉ liệt kê các bước sẽ chạy, không thay đổi dữ liệu")


def run(args, env):
    registry = env["registry"]
    ran = evolution.evolve(registry, dry_run=args.dry_run, out=print)
    left = evolution.pending(registry)
    if not ran:
        print("không có bước nâng cấp nào đang chờ")
    elif not args.dry_run:
        print("đã chạy %d bước" % len(ran))
    return 1 if left else 0
