"""Which boxes a preview draws, and whether each passed — read from the
deposit report, never by re-running the rules.

A box passes when its signature is intact, valid and trusted and no
appearance check (table ``BLAMES``) failed naming it: the colour checks name
failing fields in ``details.fields``, the seal position check names the
seal by its rectangle (``details.seal`` born-digital, ``details.rect``
digitised)."""
from dataclasses import dataclass, field

# check code → how its details name the boxes it blames
BLAMES = {
    "personal_image_blue": "fields",
    "organisation_seal_red": "fields",
    "urgency_stamp_red": "fields",
    "organisation_seal_position": "rect",
}
SIGNATURE_FACTS = (("intact", "Chữ ký không toàn vẹn"), ("valid", "Chữ ký không hợp lệ"),
                   ("trusted", "Chứng thư số không được tin cậy"))


@dataclass
class Mark:
    field: str
    role: str
    rect: list
    passed: bool
    reasons: list = field(default_factory=list)


def _blamed(checks):
    """``(field names, rectangles)`` → the failed checks' messages."""
    by_field, by_rect = {}, {}
    for check in checks:
        how = BLAMES.get(check.get("code"))
        if how is None or check.get("passed") is not False:
            continue
        details = check.get("details") or {}
        if how == "fields":
            for name in details.get("fields") or ():
                by_field.setdefault(name, []).append(check.get("message", ""))
        for key in ("seal", "rect") if how == "rect" else ():
            if details.get(key):
                by_rect.setdefault(tuple(details[key]), []).append(check.get("message", ""))
    return by_field, by_rect


def marks_of(report, page=0):
    """The report's signature boxes on ``page`` as :class:`Mark` s."""
    report = report or {}
    by_field, by_rect = _blamed(report.get("checks") or [])
    found = []
    for sig in report.get("signatures") or []:
        if sig.get("page") != page or not sig.get("rect"):
            continue
        reasons = [text for key, text in SIGNATURE_FACTS if not sig.get(key)]
        reasons += by_field.get(sig.get("field"), []) + by_rect.get(tuple(sig["rect"]), [])
        found.append(Mark(sig.get("field") or "", sig.get("role") or "",
                          [float(v) for v in sig["rect"]], not reasons, reasons))
    return found
