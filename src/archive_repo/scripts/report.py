"""``archive-repo report --period 2026-11 [--agency CODE [--subtree]]
--format json|csv|xlsx|pdf --out FILE`` — the report, registered; its
number and SHA-256 on stdout."""
from ..reports import register, service
from ..reports.outputs import FORMATS, jsonfile
from .progress import Progress


def add_arguments(parser):
    parser.add_argument("--period", required=True,
                        help="kỳ báo cáo: YYYY-MM, YYYY-Q1…Q4, YYYY-H1/H2, YYYY hoặc "
                             "YYYY-MM-DD..YYYY-MM-DD")
    parser.add_argument("--agency", help="mã cơ quan (mặc định: toàn tỉnh)")
    parser.add_argument("--subtree", action="store_true",
                        help="gồm cả các cơ quan, đơn vị trực thuộc")
    parser.add_argument("--format", choices=sorted(FORMATS), default="json",
                        help="định dạng tệp báo cáo")
    parser.add_argument("--out", required=True, help="tệp kết quả")
    parser.add_argument("--access", action="store_true",
                        help="thống kê truy cập (xem, tải văn bản, đăng nhập) dạng JSON "
                             "thay cho báo cáo chỉ tiêu")


def scope_size(root, scope, period):
    """Rows the report will read (for the progress bar): O(1) per year."""
    total = 0
    for code in scope.codes:
        agency = root.agencies[code]
        for year in range(period.start.year - 1, period.end.year + 1):
            found = agency.data.get(year)
            total += len(found) if found is not None else 0
    return total


def run(args, env):
    root, registry, tm = env["root"], env["registry"], env["request"].tm
    if args.access:
        return write_access(args, root)
    period = service.parse_period(args.period)
    scope = service.make_scope(root, args.agency, args.subtree)
    bar = Progress(scope_size(root, scope, period), "Lập báo cáo")
    tm.begin()
    report = service.make_report(root._p_jar, root, period, scope, registry,
                                 progress=bar.step)
    bar.close()
    body, entry = register.generate(root._p_jar, report, args.format, None, registry)
    with open(args.out, "wb") as out:
        out.write(body)
    tm.commit()
    print("Báo cáo số %s (phiên bản %d)%s: %s" % (
        entry["notation"], entry["version"],
        ", đính chính số liệu kỳ đã khóa" if entry["correction"] else "", args.out))
    for change in entry["changes"]:
        print("  %(code)s: %(before)s → %(after)s" % change)
    print("SHA-256 %s" % entry["outputs"][-1]["sha256"])
    return 0


def write_access(args, root):
    stats = service.access_for(root._p_jar, root, args.period, args.agency, args.subtree)
    with open(args.out, "wb") as out:
        out.write(jsonfile.render(stats))
    print("Lượt xem: %(views)d; lượt tải: %(downloads)d; đăng nhập: %(sign_ins)d"
          % stats["totals"])
    return 0
