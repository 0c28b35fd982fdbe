"""``archive-repo export --agency CODE --year YYYY [--dossier ID] --to FILE.zip``
— an archival information package (AIP, Circular 05/2025/TT-BNV) wrapped as
a BagIt bag, holding every version's original bytes unchanged."""
import getpass

from ..preservation.package import export


def add_arguments(parser):
    parser.add_argument("--agency", required=True, help="mã cơ quan")
    parser.add_argument("--year", type=int, required=True, help="năm")
    parser.add_argument("--dossier", help="chỉ các văn bản thuộc hồ sơ này")
    parser.add_argument("--to", required=True, metavar="TỆP.zip", help="tệp gói đầu ra")


def run(args, env):
    done = export(env["registry"], args.agency, args.year, args.to, args.dossier,
                  who=getpass.getuser())
    print("Đã tạo gói %(objid)s: %(records)d văn bản → %(file)s (SHA-256 %(sha256)s)" % done)
    return 0
