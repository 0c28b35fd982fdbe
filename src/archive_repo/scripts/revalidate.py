"""``archive-repo revalidate [--agency CODE] [--year YYYY] [--resume] [--dry-run]``."""
from ..rules import rule_policy
from ..rules.pool import pool_for
from ..rules.revalidate import revalidate, select_records
from ..retrying import rerun_on_conflict
from .progress import Progress


def add_arguments(parser):
    parser.add_argument("--agency")
    parser.add_argument("--year", type=int)
    parser.add_argument("--resume", action="store_true",
                        help="tiếp tục lần chạy bị gián đoạn")
    parser.add_argument("--dry-run", action="store_true", help="chạy thử, không lưu")
    parser.add_argument("--every", type=int, default=50, help="lưu sau mỗi N văn bản")


def run(args, env):
    root, tm = env["root"], env["request"].tm
    policy = rule_policy(env["registry"])
    total = sum(1 for _ in select_records(root, args.agency, args.year))
    bar = Progress(total, "Kiểm tra lại")
    tm.begin()

    def commit():
        if args.dry_run:
            return
        tm.commit()
        tm.begin()

    # a batch that conflicts with concurrent writes: run again from the last commit
    with pool_for(env["registry"], policy) as pool:
        counts = rerun_on_conflict(tm, lambda resume: revalidate(
            root, policy, commit, args.agency, args.year, args.resume or resume, args.every,
            args.dry_run, progress=lambda r: bar.step(), registry=env["registry"], pool=pool))
    bar.close()
    if args.dry_run:
        tm.abort()
    else:
        tm.commit()
    print("Tương đương văn bản giấy: %(equivalent_to_paper)d; chỉ tham khảo: "
          "%(reference_only)d; bỏ qua (đã kiểm tra): %(skipped)d" % counts)
    return 0
