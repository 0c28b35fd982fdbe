"""Validation of deposit metadata (the contract's field list, with the
lengths of Decree 30/2020 App. VI).

Returns a clean, NFC-normalised dict or raises one ``BadRequest`` listing
every problem, so a clerk fixes the whole form at once.  State secrets are
*not* decided here: that is a refusal with its own article (rules, Art. 1.2).
"""
import unicodedata
from datetime import date

from ..doctypes import DOCTYPES, SECRET_LEVELS, URGENCIES
from ..errors import BadRequest
from ..limits import Limits, load_json

# field: (kind, required, max length)
FIELDS = {
    "number": ("int", False, None),
    "notation": ("str", True, 30),
    "doctype": ("doctype", True, None),
    "subject": ("text", True, 500),
    "issued_on": ("date", True, None),
    "signer": ("str", True, 50),
    "signer_position": ("str", False, 100),
    "urgency": ("urgency", False, None),
    "confidentiality": ("secrecy", False, None),
    "receivers": ("codes", False, None),
    "digitized": ("bool", False, None),
    "page_count": ("int", False, 999),
    "keywords": ("strlist", False, None),    # bounds: Limits
    "language": ("str", False, 30),
    "description": ("text", False, 500),
    "issued_amount": ("int", False, 999),
    "due_date": ("date", False, None),
}
# Instructions that go with the metadata but are not kept in it:
# ``allow_duplicate``, the clerk's answer to a 409 duplicate_document.
CONTROLS = {"allow_duplicate": "bool"}

LONG_TEXT_CONTROLS = {"\n", "\t"}


def parse(raw, limits=Limits()):
    """The metadata part of the form, as a dict (BadRequest otherwise)."""
    if raw is None:
        raise BadRequest("missing_metadata", "Thiếu phần metadata (JSON) của văn bản.")
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    try:
        data = load_json(raw, limits, code="invalid_metadata")
    except ValueError as exc:
        raise BadRequest("invalid_json", "Metadata không phải JSON hợp lệ.",
                         [{"field": "metadata", "problem": str(exc)}])
    if not isinstance(data, dict):
        raise BadRequest("invalid_json", "Metadata phải là một đối tượng JSON.")
    return data


# An empty value of the field's own type means "omitted"; an empty value of
# another type (``"number": []``) is a wrong type, not an omission.
EMPTY = {"str": "", "text": "", "doctype": "", "urgency": "", "secrecy": "",
         "codes": [], "strlist": []}


# Without these even a message from another system cannot be filed (the
# year of issue picks the register).
ALWAYS_REQUIRED = {"issued_on"}


def validate(data, known_agency, limits=Limits(), complete=True):
    """Check and normalise ``data``; ``known_agency(code)`` tells whether a
    receiver code is in the directory.  ``complete=False`` (what another
    system already issued, imported): a missing required field is left out
    for the rule ``metadata_complete`` to report, not refused."""
    problems, clean = [], {}
    for name in sorted(set(data) - set(FIELDS) - set(CONTROLS)):
        problems.append(_problem(name[:100], "Trường không được hỗ trợ."))
    if _too_many(data.get("keywords"), limits):
        problems.append(_problem("keywords", "Nhiều quá %d từ khóa." % limits.keywords))
        data = dict(data, keywords=None)
    for name, (kind, required, limit) in FIELDS.items():
        value = data.get(name)
        if name == "keywords":
            limit = limits.keyword_length       # an operator's setting
        if value is None or (kind in EMPTY and value == EMPTY[kind]
                             and type(value) is type(EMPTY[kind])):
            if required and (complete or name in ALWAYS_REQUIRED):
                problems.append(_problem(name, "Thiếu trường bắt buộc."))
            continue
        try:
            clean[name] = CHECKERS[kind](value, limit, known_agency)
        except ValueError as exc:
            problems.append(_problem(name, str(exc)))
    for name, kind in CONTROLS.items():
        if data.get(name) is not None:
            try:
                clean[name] = CHECKERS[kind](data[name], None, known_agency)
            except ValueError as exc:
                problems.append(_problem(name, str(exc)))
    clean.setdefault("digitized", False)
    clean.setdefault("receivers", [])
    if problems:
        raise BadRequest("invalid_metadata", "Metadata của văn bản không hợp lệ: %s"
                         % "; ".join("%s — %s" % (p["field"], p["message"]) for p in problems),
                         problems)
    return clean


def _too_many(keywords, limits):
    # counted before each is checked: 200 000 keywords were checked one by one
    return isinstance(keywords, list) and len(keywords) > limits.keywords


def _problem(field, message):
    return {"field": field, "message": message}


def _text(value, limit, allowed_controls=frozenset()):
    if not isinstance(value, str):
        raise ValueError("Phải là chuỗi ký tự.")
    value = unicodedata.normalize("NFC", value).strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed_controls
           for ch in value):
        raise ValueError("Chứa ký tự điều khiển không được phép.")
    if limit and len(value) > limit:
        raise ValueError("Dài quá %d ký tự." % limit)
    if not value:
        raise ValueError("Không được để trống.")
    return value


def _str(value, limit, _known):
    return _text(value, limit)


def _long_text(value, limit, _known):
    return _text(value, limit, LONG_TEXT_CONTROLS)


def _int(value, limit, _known):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Phải là số nguyên dương.")
    if value < 1 or (limit and value > limit) or value > 2 ** 31 - 1:
        raise ValueError("Phải là số nguyên dương%s." % (" ≤ %d" % limit if limit else ""))
    return value


def _bool(value, _limit, _known):
    if not isinstance(value, bool):
        raise ValueError("Phải là true hoặc false.")
    return value


def _date(value, _limit, _known):
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError("Ngày phải có dạng YYYY-MM-DD.")


def _choice(choices, what):
    def check(value, _limit, _known):
        value = _text(value, 20)
        if value not in choices:
            raise ValueError("%s phải là một trong: %s." % (what, ", ".join(choices)))
        return value
    return check


def _doctype(value, _limit, _known):
    value = _text(value, 10)
    if value not in DOCTYPES:
        raise ValueError("Loại văn bản không có trong danh mục (Nghị định 30/2020/NĐ-CP).")
    return value


def _codes(value, _limit, known_agency):
    if not isinstance(value, list):
        raise ValueError("Phải là danh sách mã cơ quan.")
    codes = [_text(v, 13) for v in value]
    unknown = [c for c in codes if not known_agency(c)]
    if unknown:
        raise ValueError("Mã cơ quan nhận không có trong danh mục: %s." % ", ".join(unknown))
    if len(set(codes)) != len(codes):
        raise ValueError("Một cơ quan nhận được ghi hai lần.")
    return codes


def _strlist(value, limit, _known):
    if not isinstance(value, list):
        raise ValueError("Phải là danh sách chuỗi ký tự.")
    return [_text(v, limit) for v in value]


CHECKERS = {
    "int": _int, "str": _str, "text": _long_text, "bool": _bool, "date": _date,
    "urgency": _choice(URGENCIES, "Độ khẩn"),
    "secrecy": _choice(SECRET_LEVELS, "Độ mật"),
    "doctype": _doctype, "codes": _codes, "strlist": _strlist,
}
