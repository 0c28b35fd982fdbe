"""The operator's settings, read once and validated when the app is
configured.

Every ``archive_repo.*`` setting is a row of ``SETTINGS`` (name, parser,
default, what is allowed — in Vietnamese, since the operator reads it).  A bad
value stops start-up with one line naming the setting and what it allows;
before this, ``revocation_mode = soft-fial`` silently meant soft-fail.  Code
reads ``get_settings(registry).max_upload_mb``, never the raw ``.ini`` dict.

Adding a setting: one row here, one line in the README's Configuration table.
"""
import os
from dataclasses import dataclass
from typing import Any, Callable

from zope.interface import Interface

from .errors import ArchiveError

PREFIX = "archive_repo."
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
# Shipped as package data (a wheel install keeps them); an operator names
# their own with ``archive_repo.calendar`` / ``archive_repo.agency_directory``.
DEFAULT_CALENDAR = os.path.join(DATA, "working-days.json")
DEFAULT_AGENCIES = os.path.join(DATA, "agencies.csv")


class ISettings(Interface):
    """Marker for the validated Settings utility."""


class SettingError(ArchiveError):
    """One setting has a value the archive cannot work with."""

    def __init__(self, name, value, allowed):
        super().__init__("invalid_setting",
                         "cấu hình %s%s = %r không hợp lệ (cho phép: %s)"
                         % (PREFIX, name, value, allowed))
        self.name = name


# -- parsers: text from the .ini → value, ValueError when it does not fit --------

def integer(low, high=None):
    def parse(text):
        value = int(str(text).strip())
        if value < low or (high is not None and value > high):
            raise ValueError(text)
        return value
    return parse


def decimal(low, high):
    def parse(text):
        value = float(str(text).strip())
        if not low <= value <= high:
            raise ValueError(text)
        return value
    return parse


def choice(*allowed):
    def parse(text):
        value = str(text).strip()
        if value not in allowed:
            raise ValueError(text)
        return value
    return parse


def boolean(text):
    value = str(text).strip().lower()
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    raise ValueError(text)


def folder(text):
    """A folder path (it may not exist yet: ``init`` and start-up make them)."""
    value = str(text).strip()
    if not value:
        raise ValueError(text)
    return value


def existing_file(text):
    value = str(text).strip()
    if not os.path.isfile(value):
        raise ValueError(text)
    return value


def optional(parse):
    def parse_optional(text):
        return None if text is None or not str(text).strip() else parse(text)
    return parse_optional


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[Any], Any]
    default: Any
    allowed: str


REQUIRED = object()

SETTINGS = [
    Setting("max_upload_mb", integer(1, 10240), 100, "số nguyên MB từ 1 đến 10240"),
    Setting("index_dir", folder, REQUIRED, "đường dẫn thư mục chỉ mục toàn văn"),
    Setting("index_worker", boolean, True, "true hoặc false"),
    Setting("trust_roots", optional(folder), None, "thư mục chứng thư gốc (PEM/DER)"),
    Setting("crl_dir", optional(folder), None, "thư mục CRL"),
    Setting("revocation_mode", choice("soft-fail", "hard-fail"), "soft-fail",
            "soft-fail hoặc hard-fail"),
    Setting("signature_roles", optional(existing_file), None,
            "tệp JSON quy tắc phân loại chữ ký (phải tồn tại)"),
    Setting("calendar", existing_file, DEFAULT_CALENDAR,
            "tệp JSON lịch ngày làm việc (phải tồn tại)"),
    Setting("appearance_tolerance", decimal(0.0, 1.0), 0.15, "số thực từ 0 đến 1"),
    Setting("min_scan_dpi", integer(72, 2400), 200, "số nguyên dpi từ 72 đến 2400"),
    # rules/pathcache.py: chains judged once, reused for every document they sign
    Setting("path_cache_size", integer(0, 10 ** 6), 4096,
            "số nguyên từ 0 đến 1000000 (số chứng thư ghi nhớ kết quả kiểm tra chuỗi; "
            "0: không ghi nhớ)"),
    # rules/pool.py: import and revalidate check documents in this many processes
    Setting("rule_workers", integer(1, 64), 2,
            "số nguyên từ 1 đến 64 (số tiến trình kiểm tra văn bản của lệnh import và "
            "revalidate; 1: không dùng tiến trình phụ)"),
    Setting("fixity_interval_days", integer(1, 3650), 30,
            "số ngày nguyên từ 1 đến 3650 (mỗi tệp được kiểm tra toàn vẹn ít nhất một lần "
            "trong khoảng này)"),
    Setting("agency_directory", existing_file, DEFAULT_AGENCIES,
            "tệp CSV danh mục cơ quan (phải tồn tại)"),
    Setting("session_idle_seconds", integer(5, 86400), 1800,
            "số giây không thao tác trước khi phiên đăng nhập hết hạn (5 đến 86400)"),
    Setting("lockout_attempts", integer(1, 100), 5,
            "số lần sai mật khẩu liên tiếp trước khi khóa tài khoản (1 đến 100)"),
    Setting("lockout_seconds", integer(1, 86400), 900,
            "số giây khóa tài khoản lần đầu; mỗi lần khóa tiếp theo gấp đôi (1 đến 86400)"),
    Setting("report_waiting_days", integer(0, 365), 2,
            "số ngày làm việc từ 0 đến 365 (lượt gửi chờ tiếp nhận quá hạn)"),
    Setting("report_issuer", str, "Sở Thông tin và Truyền thông tỉnh Lào Cai",
            "tên cơ quan lập báo cáo (in ở đầu báo cáo)"),
    # the text extraction's child process (indexing/sandbox.py)
    Setting("extract_cpu_seconds", integer(1, 3600), 60, "số giây CPU từ 1 đến 3600"),
    Setting("extract_memory_mb", integer(64, 65536), 1024, "số nguyên MB từ 64 đến 65536"),
    Setting("extract_wall_seconds", integer(1, 7200), 120, "số giây từ 1 đến 7200"),
    Setting("audit_journal", optional(folder), None,
            "đường dẫn tệp nhật ký đọc tạm (mặc định: audit-journal.jsonl cạnh thư mục chỉ mục)"),
    Setting("min_free_mb", integer(0, 10 ** 7), 100,
            "số nguyên MB từ 0 (dưới mức này: từ chối nộp văn bản, 507)"),
    Setting("registration_attempts", integer(1, 1000), 20,
            "số nguyên từ 1 đến 1000 (số lần thử lại bước đăng ký khi xung đột)"),
    # bounds on hostile input (archive_repo.limits)
    Setting("max_json_depth", integer(2, 64), 8, "số nguyên từ 2 đến 64 (cấp lồng nhau)"),
    Setting("max_metadata_kb", integer(1, 1024), 64, "số nguyên KB từ 1 đến 1024"),
    Setting("max_keywords", integer(1, 10000), 50, "số nguyên từ 1 đến 10000"),
    Setting("max_keyword_length", integer(10, 1000), 100, "số nguyên ký tự từ 10 đến 1000"),
    Setting("max_segment_length", integer(32, 4096), 255, "số nguyên ký tự từ 32 đến 4096"),
    Setting("retention_schedule", optional(existing_file), None,
            "tệp CSV bổ sung bảng thời hạn bảo quản: code, title, period, basis (phải tồn tại)"),
]


class Settings:
    """The validated values, as attributes named like the rows of SETTINGS;
    ``raw`` keeps the whole ``.ini`` dict for the libraries that read their
    own keys (pyramid_tm, pyramid_retry, zodbconn)."""

    def __init__(self, values, raw):
        self.__dict__.update(values, raw=raw)

    @property
    def upload_limit(self):
        """Bytes a deposit's request body may have (the whole multipart
        body, so the check needs only Content-Length)."""
        return self.max_upload_mb << 20

    @property
    def message_limit(self):
        """Bytes an edXML message may have: the upload limit,
        base64-inflated, plus 1 MiB of header."""
        return self.upload_limit * 4 // 3 + (1 << 20)

    def __setattr__(self, name, value):
        raise AttributeError("settings are read-only once validated")


def parse_settings(raw, complete=True):
    """Validate ``raw`` (the ``.ini``'s ``[app:main]``); raise SettingError
    for the first bad value.  ``complete=False`` (the rule engine used on its
    own, in tests and benches) lets required settings be absent."""
    values = {}
    for row in SETTINGS:
        text = raw.get(PREFIX + row.name)
        if text is None or (isinstance(text, str) and not text.strip()):
            if row.default is REQUIRED and complete:
                raise SettingError(row.name, text, "bắt buộc phải khai báo: " + row.allowed)
            values[row.name] = None if row.default is REQUIRED else row.default
            continue
        try:
            values[row.name] = row.parse(text)
        except (TypeError, ValueError):
            raise SettingError(row.name, text, row.allowed) from None
    return Settings(values, dict(raw))


def get_settings(registry):
    return registry.getUtility(ISettings)


def includeme(config):
    config.registry.registerUtility(parse_settings(config.registry.settings), ISettings)
