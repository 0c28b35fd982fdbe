"""``archive-repo holds list|place|lift`` — freezing records and dossiers."""
from pyramid.traversal import find_resource

from .. import timeutil
from ..errors import BadRequest
from ..records import holds as hd
from ..records.dossiers import Dossier
from ..resources import Record


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True)
    listing = sub.add_parser("list", help="các lệnh phong tỏa đang hiệu lực")
    listing.add_argument("--agency", required=True, help="mã cơ quan")
    place = sub.add_parser("place", help="phong tỏa văn bản, hồ sơ")
    place.add_argument("--agency", required=True, help="mã cơ quan")
    place.add_argument("--reason", required=True, help="lý do phong tỏa")
    place.add_argument("--reference", help="căn cứ (số văn bản yêu cầu)")
    place.add_argument("paths", nargs="+", help="đường dẫn văn bản hoặc hồ sơ")
    lift = sub.add_parser("lift", help="gỡ phong tỏa")
    lift.add_argument("--agency", required=True, help="mã cơ quan")
    lift.add_argument("--hold", required=True, type=int, help="số lệnh phong tỏa")
    lift.add_argument("--reason", required=True, help="lý do gỡ phong tỏa")


def run(args, env):
    root, tm, registry = env["root"], env["request"].tm, env["registry"]
    tm.begin()
    agency = root.agencies.get(args.agency)
    if agency is None:
        raise BadRequest("unknown_agency", "không có cơ quan %s" % args.agency)
    holds = hd.holds_of(agency)
    if args.action == "list":
        for hold in holds.values():
            if hold.active:
                print("%s\t%s\t%s\t%s" % (hold.path, timeutil.show_date(hold.placed_at),
                                          hold.reason, " ".join(hold.scope)))
        tm.abort()
        return 0
    if args.action == "place":
        def resolve(path):
            try:
                found = find_resource(root, path)
            except KeyError:
                return None
            return found if isinstance(found, (Record, Dossier)) else None
        hold = hd.place(agency, args.paths, args.reason, args.reference, None, timeutil.now(),
                        registry=registry, resolve=resolve)
        tm.commit()
        print("Đã phong tỏa %d mục: %s" % (len(hold.scope), hold.path))
        return 0
    hold = holds.get(str(args.hold))
    if hold is None:
        raise BadRequest("unknown_hold", "không có lệnh phong tỏa số %d" % args.hold)
    hd.lift(hold, args.reason, None, timeutil.now(), registry=registry)
    tm.commit()
    print("Đã gỡ phong tỏa %s" % hold.path)
    return 0
