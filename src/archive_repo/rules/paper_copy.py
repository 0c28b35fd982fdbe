"""Art. 5.3 — when a paper copy must still be sent after the electronic one.

A flag for the clerk, never a validity rule: ``passed`` True means "send
paper too", and the message says why.  5.3a: documents to the Government or
the Prime Minister, which reach them through the Government Office
(``000.00.00.G22`` and its units).  5.3b: documents with lasting legal effect
on organisations or people — *decisions* on organisation and personnel;
files on licences, emulation and awards; documents on allocating budget or
capital.  5.3b's last case (paper required by another law) cannot be judged
from metadata and is left to the clerk.

Kinds are judged from the doctype and whole words of the subject and
keywords, folded (no diacritics, "đ" as "d"), so "Quyết định bổ nhiệm" and
"quyet dinh bo nhiem" read alike.  Folding also merges words that differ
only by their marks ("bổ nhiệm", "bộ nhiệm vụ"): one more reason this is a
flag for a person to read, not a rule.
"""
import re

from ..vietnamese import fold_words
from .model import FLAG, Check, article

# Level-1 bodies (QCVN 102 "LNN", the code's last group) through which a
# document reaches the Government or the Prime Minister.
GOVERNMENT_BODIES = {"G22": "Văn phòng Chính phủ"}

# kind, doctypes it applies to (None: any), folded phrases, label
KINDS = [
    ("organisation_personnel", {"QĐ"},
     ["co cau to chuc", "to chuc bo may", "bo may", "chuc nang nhiem vu", "nhan su",
      "bo nhiem", "mien nhiem", "dieu dong", "luan chuyen", "biet phai", "nghi huu",
      "tuyen dung", "thoi viec", "ky luat", "nang bac luong", "thanh lap", "sap xep",
      "sap nhap", "hop nhat", "chia tach", "giai the", "kien toan"],
     "quyết định về cơ cấu tổ chức, nhân sự (Điều 5, khoản 3, điểm b)"),
    ("licence", None,
     ["giay phep", "cap phep", "chung chi hanh nghe"],
     "hồ sơ, tài liệu liên quan đến cấp giấy phép (Điều 5, khoản 3, điểm b)"),
    ("emulation_awards", None,
     ["thi dua", "khen thuong", "bang khen", "giay khen", "huan chuong", "huy chuong",
      "danh hieu", "ky niem chuong"],
     "hồ sơ, tài liệu liên quan đến thi đua, khen thưởng (Điều 5, khoản 3, điểm b)"),
    ("budget_capital", None,
     ["phan bo ngan sach", "phan bo du toan", "phan bo von", "phan bo kinh phi",
      "giao du toan", "bo sung du toan", "dieu chinh du toan", "du toan ngan sach",
      "ke hoach von", "giao von", "von dau tu cong", "cap kinh phi", "bo sung kinh phi"],
     "văn bản liên quan đến phân bổ ngân sách, vốn (Điều 5, khoản 3, điểm b)"),
]
TO_GOVERNMENT = "gửi Chính phủ, Thủ tướng Chính phủ (Điều 5, khoản 3, điểm a)"
PATTERNS = {kind: re.compile(r"\b(%s)\b" % "|".join(map(re.escape, phrases)))
            for kind, _, phrases, _ in KINDS}


def to_government(receivers):
    """The receivers that are the Government Office or its units."""
    return [code for code in receivers or []
            if str(code).rsplit(".", 1)[-1].upper() in GOVERNMENT_BODIES]


def reasons(metadata):
    """[(kind, label, evidence)] for every Art. 5.3 case the document falls in."""
    found = []
    offices = to_government(metadata.get("receivers"))
    if offices:
        found.append(("to_government", TO_GOVERNMENT, ", ".join(offices)))
    text = fold_words(" ".join([metadata.get("subject") or ""] + list(metadata.get("keywords") or [])))
    for kind, doctypes, _, label in KINDS:
        if doctypes and metadata.get("doctype") not in doctypes:
            continue
        hit = PATTERNS[kind].search(text)
        if hit:
            found.append((kind, label, hit.group(1)))
    return found


@article("5.3")
def paper_copy_required(ctx):
    found = reasons(ctx.metadata)
    details = {"reasons": [kind for kind, _, _ in found],
               "evidence": {kind: evidence for kind, _, evidence in found}}
    if not found:
        return Check("paper_copy_required", "5.3", False,
                     "Không thuộc trường hợp phải gửi kèm văn bản giấy (Điều 5, khoản 3).",
                     FLAG, details)
    return Check("paper_copy_required", "5.3", True,
                 "Phải gửi kèm văn bản giấy: %s." % "; ".join(
                     "%s — \"%s\"" % (label, evidence) for _, label, evidence in found),
                 FLAG, details)


RULES = [paper_copy_required]
