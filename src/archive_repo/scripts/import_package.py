"""``archive-repo import-package FILE.zip`` — bring the records of an
archival information package (made by ``export``) into this archive."""
import getpass

from ..preservation.package import import_package


def add_arguments(parser):
    parser.add_argument("file", metavar="TỆP.zip", help="gói thông tin lưu trữ (BagIt, zip)")


def run(args, env):
    paths = import_package(env["registry"], args.file, who=getpass.getuser())
    print("Đã nhập %d văn bản từ gói %s" % (len(paths), args.file))
    return 0
