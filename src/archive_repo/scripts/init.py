"""``archive-repo init``: make sure the repository exists and the agency
directory is seeded (idempotent: run it on every deployment)."""
from ..directory import load_directory, seed
from ..settings import get_settings


def add_arguments(parser):
    parser.add_argument("--directory", help="tệp danh mục cơ quan (CSV); mặc định danh mục kèm theo gói")


def run(args, env):
    path = args.directory or get_settings(env["registry"]).agency_directory
    entries = load_directory(path)
    with env["request"].tm:
        added, skipped = seed(env["root"], entries)
    print("Danh mục cơ quan: thêm %d, đã có %d (%s)" % (added, skipped, path))
    return 0
