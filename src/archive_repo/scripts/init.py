"""``archive-repo init``: make sure the repository exists and the agency
directory is seeded (idempotent: run it on every deployment)."""
from ..directory import default_directory_path, load_directory, seed


def add_arguments(parser):
    parser.add_argument("--directory", help="tệp danh mục cơ quan (CSV); mặc định config/agencies.csv")


def run(args, env):
    path = args.directory or default_directory_path(env["registry"].settings)
    entries = load_directory(path)
    with env["request"].tm:
        added, skipped = seed(env["root"], entries)
    print("Danh mục cơ quan: thêm %d, đã có %d (%s)" % (added, skipped, path))
    return 0
