"""The dossier fields of Circular 05/2025/TT-BNV (dossier level), checked.

One row per field the client may give: its parser (text → value, or
ValueError) and default, and the Vietnamese message shown when the value
does not fit.  Fields the archive works out itself — the file code, the
document and page counts — are not rows: they are computed when a dossier
is closed.  Every wrong field is reported at once (``details``), not only
the first.

Codes: access mode 01 public / 02 conditional / 03 restricted; language
01–11 (01 Vietnamese; the others as listed by the circular — confirm);
physical state 01 good / 02 normal / 03 damaged; confidence level
01 born-digital / 02 digitised / 03 mixed; backup status 01 done / 02 not
yet.  A dossier whose confidence level is 02 or 03 holds digitised paper:
the paper file code is then required.
"""
import re
from dataclasses import dataclass
from typing import Any, Callable

from .. import timeutil
from ..errors import BadRequest
from .retention import retention_of

MAX_TITLE = 1000
NUMBER = re.compile(r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-/]{0,29}$")

ACCESS_MODES = {"01": "Công khai", "02": "Sử dụng có điều kiện", "03": "Mật/hạn chế"}
LANGUAGES = {"%02d" % n: "" for n in range(1, 12)}
LANGUAGES["01"] = "Tiếng Việt"
PHYSICAL_STATES = {"01": "Tốt", "02": "Bình thường", "03": "Hư hỏng"}
CONFIDENCE_LEVELS = {"01": "Gốc điện tử", "02": "Số hóa", "03": "Hỗn hợp"}
BACKUP_STATUSES = {"01": "Đã sao lưu", "02": "Chưa sao lưu"}
DIGITISED = {"02", "03"}


def text(limit):
    def parse(value):
        if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
            raise ValueError(value)
        return value.strip()
    return parse


def code_of(table):
    def parse(value):
        if value not in table:
            raise ValueError(value)
        return value
    return parse


def iso_date(value):
    if not isinstance(value, str):
        raise ValueError(value)
    return timeutil.parse_date(value).isoformat()


def year(value):
    value = int(value) if isinstance(value, str) and value.isdigit() else value
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2999:
        raise ValueError(value)
    return value


def number(value):
    if not isinstance(value, str) or not NUMBER.match(value.strip()):
        raise ValueError(value)
    return value.strip()


def keywords(value):
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise ValueError(value)
    return [k.strip() for k in value if k.strip()][:50]


def count(value):
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10 ** 7:
        raise ValueError(value)
    return value


def flag(value):
    if not isinstance(value, bool):
        raise ValueError(value)
    return value


@dataclass(frozen=True)
class Field:
    name: str
    parse: Callable[[Any], Any]
    default: Any
    message: str


REQUIRED = object()
FIELDS = [
    Field("title", text(MAX_TITLE), REQUIRED,
          "Tiêu đề hồ sơ là bắt buộc, tối đa %d ký tự." % MAX_TITLE),
    Field("year", year, None, "Năm hồ sơ phải là năm có 4 chữ số."),
    Field("number", number, None,
          "Số, ký hiệu hồ sơ gồm chữ, số, dấu chấm hoặc gạch (ví dụ 01.TCCB), tối đa 30 ký tự."),
    Field("heading", text(500), None, "Đề mục trong danh mục hồ sơ tối đa 500 ký tự."),
    Field("schedule_item", text(50), None, "Mã mục trong bảng thời hạn bảo quản không hợp lệ."),
    Field("access_mode", code_of(ACCESS_MODES), "01",
          "Chế độ sử dụng phải là 01 (công khai), 02 (có điều kiện) hoặc 03 (hạn chế)."),
    Field("language", code_of(LANGUAGES), "01", "Mã ngôn ngữ phải từ 01 đến 11."),
    Field("start_date", iso_date, None, "Ngày bắt đầu phải có dạng YYYY-MM-DD."),
    Field("end_date", iso_date, None, "Ngày kết thúc phải có dạng YYYY-MM-DD."),
    Field("keywords", keywords, (), "Từ khóa là danh sách chuỗi (hoặc chuỗi cách nhau dấu phẩy)."),
    Field("sheet_count", count, None, "Số lượng tờ phải là số nguyên không âm."),
    Field("physical_state", code_of(PHYSICAL_STATES), "01",
          "Tình trạng vật lý phải là 01 (tốt), 02 (bình thường) hoặc 03 (hư hỏng)."),
    Field("confidence_level", code_of(CONFIDENCE_LEVELS), "01",
          "Mức độ tin cậy phải là 01 (gốc điện tử), 02 (số hóa) hoặc 03 (hỗn hợp)."),
    Field("paper_file_code", text(100), None, "Mã hồ sơ giấy tối đa 100 ký tự."),
    Field("backup_made", flag, False, "Có bản sao lưu phải là true hoặc false."),
    Field("backup_status", code_of(BACKUP_STATUSES), "02",
          "Tình trạng sao lưu phải là 01 (đã sao lưu) hoặc 02 (chưa)."),
    Field("owner", text(200), None, "Người lập hồ sơ tối đa 200 ký tự."),
    Field("description", text(4000), None, "Chú giải tối đa 4000 ký tự."),
    Field("capital_construction", flag, False,
          "Hồ sơ xây dựng cơ bản phải là true hoặc false."),
    Field("settled_on", iso_date, None, "Ngày phê duyệt quyết toán phải có dạng YYYY-MM-DD."),
    Field("notes", text(1000), None, "Ghi chú tối đa 1000 ký tự."),
]
BY_NAME = {f.name: f for f in FIELDS}
# Given apart: the retention (a code, years for 07, or a schedule item)
RETENTION_FIELDS = ("retention_code", "retention_years")


def problem(name, message, value=None):
    return {"field": name, "message": message, "value": value}


def validate(raw, current=None):
    """Clean fields of ``raw`` (a JSON object).  ``current`` (the dossier's
    fields, for an update) fills in what ``raw`` leaves out; without it the
    defaults do.  BadRequest listing every wrong field."""
    unknown = sorted(set(raw) - set(BY_NAME) - set(RETENTION_FIELDS))
    problems = [problem(n, "Trường không có trong siêu dữ liệu hồ sơ.") for n in unknown]
    clean = dict(current or {})
    for field in FIELDS:
        if field.name in raw and raw[field.name] is not None:
            try:
                clean[field.name] = field.parse(raw[field.name])
            except (TypeError, ValueError):
                problems.append(problem(field.name, field.message, raw[field.name]))
        elif field.name not in clean or field.name in raw:
            if field.default is REQUIRED:
                problems.append(problem(field.name, field.message))
            else:
                clean[field.name] = field.default
    problems.extend(cross_checks(clean))
    if problems:
        raise BadRequest("invalid_dossier", "Thông tin hồ sơ không hợp lệ: "
                         + "; ".join(p["message"] for p in problems), problems)
    clean["keywords"] = list(clean.get("keywords") or ())
    return clean


def cross_checks(clean):
    """Rules between fields."""
    found = []
    if clean.get("confidence_level") in DIGITISED and not clean.get("paper_file_code"):
        found.append(problem("paper_file_code",
                             "Hồ sơ số hóa (mức độ tin cậy 02 hoặc 03) phải có mã hồ sơ giấy."))
    start, end = clean.get("start_date"), clean.get("end_date")
    if start and end and end < start:
        found.append(problem("end_date", "Ngày kết thúc không được trước ngày bắt đầu."))
    return found


def clean_retention(raw, schedule, current=None):
    """The dossier's Retention: from ``retention_code`` (+ ``retention_years``
    for 07), or from its schedule item; both given must agree."""
    item_code = raw.get("schedule_item")
    item = schedule.get(item_code) if item_code else None
    if item_code and item is None:
        raise BadRequest("unknown_schedule_item",
                         "Không có mục %s trong bảng thời hạn bảo quản." % item_code,
                         [{"field": "schedule_item", "value": item_code}])
    code = raw.get("retention_code")
    if code is None:
        if item is not None:
            return item.retention
        if current is not None:
            return current
        raise BadRequest("invalid_dossier", "Phải ghi mã thời hạn bảo quản (retention_code).",
                         [problem("retention_code", "Mã thời hạn bảo quản là bắt buộc.")])
    retention = retention_of(code, raw.get("retention_years"))
    if item is not None and item.retention != retention:
        raise BadRequest("retention_mismatch",
                         "Thời hạn %s khác thời hạn %s của mục %s trong bảng thời hạn bảo quản."
                         % (retention.label, item.retention.label, item.code),
                         [{"field": "retention_code", "schedule": item.as_json()}])
    return retention
