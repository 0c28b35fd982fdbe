"""Art. 6.4 — urgent documents (Khẩn, Thượng khẩn, Hỏa tốc): set to
priority with the urgency stated, and carrying the extra organisation
signature at the urgency stamp's place."""
from .model import FLAG, STATUS, Check


def urgency_marked(ctx):
    level = ctx.metadata.get("urgency")
    if not level:
        return Check("urgency_marked", "6.4a", None, "Văn bản không thuộc loại khẩn.", FLAG)
    return Check("urgency_marked", "6.4a", True,
                 "Văn bản %s: được xử lý ưu tiên (Điều 6, khoản 4, điểm a)." % level, FLAG,
                 {"urgency": level, "priority": True})


def urgency_signature(ctx):
    level = ctx.metadata.get("urgency")
    if not level:
        return Check("urgency_signature", "6.4b", None, "Văn bản không thuộc loại khẩn.", STATUS)
    if ctx.signatures_with_role("urgency"):
        return Check("urgency_signature", "6.4b", True,
                     "Có chữ ký số của tổ chức tại vị trí dấu chỉ mức độ khẩn.", STATUS)
    return Check("urgency_signature", "6.4b", False,
                 "Văn bản %s thiếu chữ ký số của tổ chức tại vị trí dấu chỉ mức độ khẩn "
                 "(Điều 6, khoản 4, điểm b)." % level, STATUS)


RULES = [urgency_marked, urgency_signature]
