"""``archive-repo -c INI COMMAND …`` — a thin dispatcher.

Each command is a module with ``add_arguments(parser)`` and
``run(args, env)``, where ``env`` is what ``pyramid.paster.bootstrap``
returns.  ``main`` only parses options, bootstraps and maps failures to a
one-line error and a non-zero exit.
"""
import argparse
import importlib
import logging
import sys

COMMANDS = {
    "init": ("archive_repo.scripts.init", "tạo kho rỗng và nạp danh mục cơ quan"),
    "agency": ("archive_repo.scripts.agency", "quản lý danh mục cơ quan"),
    "token": ("archive_repo.scripts.token", "cấp token truy cập"),
    "user": ("archive_repo.scripts.user", "quản lý người dùng đăng nhập bằng trình duyệt"),
    "revalidate": ("archive_repo.scripts.revalidate", "kiểm tra lại văn bản đã lưu"),
    "import": ("archive_repo.scripts.import_edxml", "nhập thông điệp edXML"),
    "reindex": ("archive_repo.scripts.reindex", "lập lại chỉ mục tìm kiếm từ cơ sở dữ liệu"),
    "check-index": ("archive_repo.scripts.check_index",
                    "so sánh chỉ mục tìm kiếm với cơ sở dữ liệu"),
    "evolve": ("archive_repo.scripts.evolve", "nâng cấp dữ liệu đã lưu (các bước evolve)"),
    "fixity": ("archive_repo.scripts.fixity",
               "kiểm tra toàn vẹn (SHA-256, kích thước) mọi tệp đã lưu"),
    "backup": ("archive_repo.scripts.backup", "sao lưu cơ sở dữ liệu và tệp văn bản"),
    "restore": ("archive_repo.scripts.restore", "khôi phục một bản sao lưu vào thư mục mới"),
    "export": ("archive_repo.scripts.export",
               "xuất gói thông tin lưu trữ (AIP, BagIt) của một cơ quan, một năm"),
    "import-package": ("archive_repo.scripts.import_package",
                       "nhập gói thông tin lưu trữ (AIP) vào kho"),
    "maintenance": ("archive_repo.scripts.maintenance", "thông báo và lịch bảo trì hệ thống"),
    "upgrade": ("archive_repo.scripts.upgrade",
                "nâng cấp (các bước evolve) giữa hai lần kiểm tra toàn vẹn"),
    "pack": ("archive_repo.scripts.pack",
             "dọn lịch sử cơ sở dữ liệu (chỉ khi đã có bản sao lưu toàn bộ mới nhất)"),
    "report": ("archive_repo.scripts.report", "lập báo cáo thống kê theo kỳ và phạm vi"),
    "book": ("archive_repo.scripts.book", "in sổ đăng ký văn bản đi, đến (Nghị định 30)"),
    "dossiers": ("archive_repo.scripts.dossiers", "hồ sơ: liệt kê, kết thúc, nhắc nộp lưu"),
    "holds": ("archive_repo.scripts.holds", "phong tỏa văn bản, hồ sơ"),
    "disposal": ("archive_repo.scripts.disposal", "tiêu hủy tài liệu hết giá trị"),
}
# Tells the app factory it runs under a console job (no background worker).
CONSOLE = {"archive_repo.console": "true"}
# More for one command: ``evolve`` runs the evolve steps itself, so its app
# must not run them at start-up.
OPTIONS = {"evolve": {"archive_repo.evolve": "manual"},
           "upgrade": {"archive_repo.evolve": "manual"}}


def build_parser():
    parser = argparse.ArgumentParser(prog="archive-repo",
                                     description="Kho lưu trữ văn bản điện tử — công cụ quản trị")
    parser.add_argument("-c", "--config", required=True, help="tệp cấu hình .ini")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        command.set_defaults(module=module)
        importlib.import_module(module).add_arguments(command)
    return parser


def report_error(exc):
    """An ArchiveError on the console, each field it names on its own line;
    exit code 2."""
    print("lỗi: %s" % exc.message, file=sys.stderr)
    for detail in exc.details:
        if isinstance(detail, dict) and detail.get("field"):
            print("  - %s: %s" % (detail["field"], detail.get("message", "")), file=sys.stderr)
    return 2


def main(argv=None):
    args = build_parser().parse_args(argv)
    from pyramid.paster import bootstrap, setup_logging
    from zc.lockfile import LockError
    from .. import audit, db
    from ..errors import ArchiveError
    logging.captureWarnings(True)
    try:
        setup_logging(args.config)
    except Exception:
        pass
    try:
        options = dict(CONSOLE, **OPTIONS.get(args.command, {}))
        registry = None
        try:
            with bootstrap(args.config, options=options) as env:
                registry = env["registry"]
                status = importlib.import_module(args.module).run(args, env) or 0
                lost = audit.health_of(registry).lost
        finally:
            if registry is not None:    # after bootstrap closed its request
                db.close_all(registry)
        if lost:
            print("lỗi: %d mục nhật ký kiểm tra (audit) không ghi được; xem nhật ký lỗi "
                  "(ERROR) để nhập lại" % lost, file=sys.stderr)
            return status or 3
        return status
    except ArchiveError as exc:
        return report_error(exc)
    except FileNotFoundError as exc:
        print("lỗi: không tìm thấy tệp %s" % exc.filename, file=sys.stderr)
        return 2
    except LockError as exc:
        # The expected case (pserve holds the FileStorage), not a crash:
        # tell the operator what to do instead of printing a traceback.
        print("lỗi: cơ sở dữ liệu đang được một tiến trình khác mở (%s). Hãy dừng máy chủ "
              "(pserve) rồi chạy lại lệnh, hoặc dùng ZEO để nhiều tiến trình cùng mở kho."
              % exc, file=sys.stderr)
        return 2
    except Exception as exc:  # a one-line error, the traceback in the log
        logging.getLogger("archive_repo").exception("command failed")
        print("lỗi: %s: %s" % (type(exc).__name__, exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
