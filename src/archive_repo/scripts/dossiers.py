"""``archive-repo dossiers list|due|remind|close`` — dossiers in bulk.

``remind`` is the daily job of Decree 30 App. VI: it raises (once) the
deposit reminder of every closed dossier whose deadline is 30 days or less
away, in every agency (or one), and prints them; ``--on`` judges by another
day (a catch-up run)."""
from ..errors import BadRequest
from ..records import deposit as dp
from ..records import dossiers as ds
from .. import timeutil
from .progress import Progress


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True)
    listing = sub.add_parser("list", help="liệt kê hồ sơ của một cơ quan")
    listing.add_argument("--agency", required=True, help="mã cơ quan")
    listing.add_argument("--state", choices=sorted(ds.STATES), help="chỉ hồ sơ ở trạng thái này")
    for name, text in (("due", "hồ sơ sắp đến hạn hoặc quá hạn nộp lưu"),
                       ("remind", "ghi nhắc nộp lưu (30 ngày trước hạn) — chạy hằng ngày")):
        command = sub.add_parser(name, help=text)
        command.add_argument("--agency", help="mã cơ quan (mặc định: mọi cơ quan)")
        command.add_argument("--on", help="ngày xét YYYY-MM-DD (mặc định: hôm nay)")
    close = sub.add_parser("close", help="kết thúc nhiều hồ sơ")
    close.add_argument("--agency", required=True, help="mã cơ quan")
    close.add_argument("keys", nargs="+", type=int, help="số thứ tự hồ sơ (/{agency}/dossiers/N)")


def day(text):
    if not text:
        return timeutil.now().date()
    try:
        return timeutil.parse_date(text)
    except ValueError:
        raise BadRequest("invalid_date", "ngày %r không đúng dạng YYYY-MM-DD" % text) from None


def agencies(root, code):
    if code is None:
        return list(root.agencies.values())
    agency = root.agencies.get(code)
    if agency is None:
        raise BadRequest("unknown_agency", "không có cơ quan %s" % code)
    return [agency]


def line(dossier, today):
    deadline = dp.deadline_json(dossier, today)
    return "%s\t%s\t%s\t%s\t%s" % (dossier.path, dossier.file_code, ds.STATES[dossier.state],
                                   deadline["due_on"] or "-", dossier.title)


def run(args, env):
    root, tm, registry = env["root"], env["request"].tm, env["registry"]
    tm.begin()
    if args.action == "list":
        for dossier in ds.dossiers_of(agencies(root, args.agency)[0]).values():
            if args.state is None or dossier.state == args.state:
                print(line(dossier, timeutil.now().date()))
        tm.abort()
        return 0
    if args.action == "close":
        return close_all(args, root, tm, registry)
    today = day(args.on)
    found = agencies(root, args.agency)
    bar = Progress(len(found), "Nhắc nộp lưu" if args.action == "remind" else "Rà soát")
    shown = []
    for agency in found:
        container = ds.dossiers_of(agency)
        if args.action == "remind":
            shown += dp.raise_reminders(container, today, registry=registry)
        else:
            shown += dp.listing(container, today, {"reminder", "overdue"})
        bar.step()
    bar.close()
    for dossier in shown:
        print("%s\t%s" % (dp.deposit_status(dossier, today), line(dossier, today)))
    if args.action == "remind":
        tm.commit()
        print("Đã nhắc %d hồ sơ." % len(shown))
    else:
        tm.abort()
    return 0


def close_all(args, root, tm, registry, every=50):
    container = ds.dossiers_of(agencies(root, args.agency)[0])
    missing = [k for k in args.keys if str(k) not in container]
    if missing:
        raise BadRequest("unknown_dossier", "không có hồ sơ số %s"
                         % ", ".join(map(str, missing)))
    bar = Progress(len(args.keys), "Kết thúc hồ sơ")
    for n, key in enumerate(args.keys, start=1):
        ds.close_dossier(container[str(key)], None, timeutil.now(), registry=registry)
        bar.step()
        if n % every == 0:
            tm.commit()
            tm.begin()
    tm.commit()
    bar.close()
    print("Đã kết thúc %d hồ sơ." % len(args.keys))
    return 0
