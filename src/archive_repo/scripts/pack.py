"""``archive-repo pack`` — pack the records database, only when a full
backup newer than its last transaction exists (exit 2 otherwise)."""
from ..preservation.packing import pack


def add_arguments(parser):
    pass


def run(args, env):
    found = pack(env["registry"])
    print("Đã dọn (pack) cơ sở dữ liệu hồ sơ; bản sao lưu toàn bộ %s ở %s. Lần sao lưu kế "
          "tiếp sẽ là toàn bộ." % (found["id"], found["destination"]))
    return 0
