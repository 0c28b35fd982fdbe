"""``archive-repo backup --to DIR [--to DIR2] [--full]`` — repozo of the
records and audit FileStorages, then the blobs as a hard-linked generation,
to every destination; a log entry in the archive and a minute (PDF) each."""
import getpass

from ..preservation.backup import backup
from ..preservation.minutes import backup_minute


def add_arguments(parser):
    parser.add_argument("--to", action="append", required=True, metavar="THƯ_MỤC",
                        help="nơi lưu bản sao (nhắc lại để lưu thêm bản trên phương tiện khác)")
    parser.add_argument("--full", action="store_true",
                        help="sao lưu toàn bộ (mặc định: gia tăng; toàn bộ vào ngày 1 hằng tháng)")


def run(args, env):
    manifests = backup(env["registry"], args.to, args.full, who=getpass.getuser(),
                       minute=backup_minute)
    for m in manifests:
        print("Đã sao lưu %s vào %s: %s, %d tệp blob (%d mới), %.1f MB ghi; biên bản %s"
              % (m["id"], m["destination"], "toàn bộ" if m["full"] else "gia tăng",
                 m["blobs"]["files"], m["blobs"]["copied"], m["bytes"] / 1048576.0,
                 m["minute"]["file"]))
    return 0
