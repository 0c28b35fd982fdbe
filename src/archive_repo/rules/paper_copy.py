"""Art. 5.3 — when a paper copy must still be sent (a flag for the clerk,
not a validity rule): documents to the Government or the Prime Minister,
and documents with lasting legal effect on organisations or people —
organisation and personnel decisions, licences, emulation and awards,
budget and capital allocation."""
import unicodedata

from .model import FLAG, Check

# Level-1 "G" bodies whose own code is 000.00.00.Gnn (the Government Office,
# ministries' heads): receivers that put a document under Art. 5.3a.
GOVERNMENT_RECEIVERS = {"000.00.00.G22"}

KINDS = [
    ("to_government", None),
    ("organisation_personnel", ["co cau to chuc", "to chuc bo may", "nhan su", "bo nhiem",
                                "mien nhiem", "dieu dong", "luan chuyen", "nghi huu",
                                "tuyen dung", "ky luat can bo", "thanh lap", "sap nhap",
                                "giai the", "kien toan"]),
    ("licence", ["cap giay phep", "giay phep", "cap phep"]),
    ("emulation_awards", ["thi dua", "khen thuong", "bang khen", "giay khen", "huan chuong",
                          "danh hieu"]),
    ("budget_capital", ["phan bo ngan sach", "du toan ngan sach", "ngan sach", "phan bo von",
                        "giao von", "von dau tu", "ke hoach von"]),
]
LABELS = {
    "to_government": "gửi Chính phủ, Thủ tướng Chính phủ (Điều 5, khoản 3, điểm a)",
    "organisation_personnel": "quyết định về cơ cấu tổ chức, nhân sự (Điều 5, khoản 3, điểm b)",
    "licence": "liên quan đến cấp giấy phép (Điều 5, khoản 3, điểm b)",
    "emulation_awards": "liên quan đến thi đua, khen thưởng (Điều 5, khoản 3, điểm b)",
    "budget_capital": "liên quan đến phân bổ ngân sách, vốn (Điều 5, khoản 3, điểm b)",
}


def fold(text):
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower().split())


def reasons(metadata):
    text = fold(" ".join([metadata.get("subject", "")] + list(metadata.get("keywords") or [])))
    found = []
    for kind, words in KINDS:
        if kind == "to_government":
            hit = bool(GOVERNMENT_RECEIVERS & set(metadata.get("receivers") or []))
        else:
            hit = any(w in text for w in words)
        if hit:
            found.append(kind)
    return found


def paper_copy_required(ctx):
    found = reasons(ctx.metadata)
    if not found:
        return Check("paper_copy_required", "5.3", False,
                     "Không phải gửi kèm văn bản giấy.", FLAG, {"reasons": []})
    return Check("paper_copy_required", "5.3", True,
                 "Phải gửi kèm văn bản giấy: %s." % "; ".join(LABELS[k] for k in found),
                 FLAG, {"reasons": found})


RULES = [paper_copy_required]
