"""Art. 6.4 — urgent documents (Khẩn, Thượng khẩn, Hỏa tốc).

6.4a: set to priority with the urgency level stated — a flag the workflow
reads (``flags.priority``); an urgency that is not one of the three levels
is not "stated clearly" and is flagged.  6.4b: an urgent document carries an
extra organisation signature at the urgency stamp's place (role
``urgency``; its red image is :mod:`appearance`'s concern).
"""
from ..doctypes import URGENCIES
from .model import FLAG, STATUS, Check, article
from ..vietnamese import fold_words as fold

# folded spelling -> (the level as written in the regulation, edXML Priority);
# folding also accepts the old tone placement "Hoả tốc" and missing diacritics
LEVELS = {fold(level): (level, priority) for priority, level in enumerate(URGENCIES, 1)}


def level_of(metadata):
    """(canonical level, edXML priority) or None when not urgent; unknown
    text gives (text, None)."""
    text = metadata.get("urgency")
    if not text:
        return None
    return LEVELS.get(fold(text), (text, None))


@article("6.4a")
def urgency_marked(ctx):
    level = level_of(ctx.metadata)
    if level is None:
        return Check("urgency_marked", "6.4a", None, "Văn bản không thuộc loại khẩn.", FLAG,
                     {"priority": False})
    name, priority = level
    details = {"urgency": name, "edxml_priority": priority, "priority": True}
    if priority is None:
        return Check("urgency_marked", "6.4a", False,
                     "Mức độ khẩn \"%s\" không thuộc Khẩn, Thượng khẩn, Hỏa tốc: xử lý ưu tiên "
                     "nhưng cần ghi rõ mức độ khẩn (Điều 6, khoản 4, điểm a)." % name, FLAG,
                     details)
    return Check("urgency_marked", "6.4a", True,
                 "Văn bản %s: được xử lý ưu tiên (Điều 6, khoản 4, điểm a)." % name, FLAG, details)


@article("6.4b")
def urgency_signature(ctx):
    level = level_of(ctx.metadata)
    if level is None:
        return Check("urgency_signature", "6.4b", None, "Văn bản không thuộc loại khẩn.", STATUS)
    found = ctx.signatures_with_role("urgency")
    if found:
        return Check("urgency_signature", "6.4b", True,
                     "Có chữ ký số của tổ chức tại vị trí dấu chỉ mức độ khẩn (%s)."
                     % ", ".join(s.field for s in found), STATUS,
                     {"fields": [s.field for s in found]})
    return Check("urgency_signature", "6.4b", False,
                 "Văn bản %s thiếu chữ ký số của tổ chức tại vị trí dấu chỉ mức độ khẩn "
                 "(Điều 6, khoản 4, điểm b)." % level[0], STATUS)


RULES = [urgency_marked, urgency_signature]
