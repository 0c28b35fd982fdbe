"""Art. 7.1a ("đầy đủ"): the file is the document the metadata describes.

A born-digital PDF prints its register number and notation ("Số: 05/QĐ-UBND")
and its date of issue ("Lào Cai, ngày 5 tháng 3 năm 2026") on page 1.  The
text layer of page 1 (PDFium) is folded (case, diacritics, spacing, leading
zeros) and what it states is compared with the metadata: a number, a
notation or a date that differs fails the check, naming what was found.  A
page that states none of them (a scan without text, a text without the
header) is not judged, and the check says so.  New versions are checked
against the record's metadata alike.
"""
import re
import unicodedata

from ..vietnamese import fold
from .model import STATUS, Check, article
from .rendering import PDFIUM_LOCK

# "Số: 05/QĐ-UBND", "Số 5 / QĐ - UBND" (folded: "so: 05/qd-ubnd")
NUMBER = re.compile(r"\bso\s*:?\s*0*(\d{1,6})\s*/\s*([a-z0-9\u0111]+(?:\s*-\s*[a-z0-9]+)*)")
# "ngày 5 tháng 3 năm 2026", "ngày 05/03/2026"
DATES = [re.compile(r"\bngay\s+0*(\d{1,2})\s+thang\s+0*(\d{1,2})\s+nam\s+(\d{4})"),
         re.compile(r"\bngay\s*:?\s*0*(\d{1,2})\s*/\s*0*(\d{1,2})\s*/\s*(\d{4})")]


def page_one_text(ctx):
    """Page 1's text layer (cached in ``ctx.facts``); "" without one."""
    if "page_one_text" not in ctx.facts:
        import pypdfium2
        with PDFIUM_LOCK:
            doc = pypdfium2.PdfDocument(ctx.path)
            try:
                page = doc[0]
                textpage = page.get_textpage()
                ctx.facts["page_one_text"] = textpage.get_text_range()
                textpage.close()
                page.close()
            finally:
                doc.close()
    return ctx.facts["page_one_text"]


def _compact(text):
    return re.sub(r"[^a-z0-9]", "", fold(text or ""))


def stated(text):
    """What page 1 states: ``{"number", "notation", "issued_on"}`` (any absent)."""
    shown = " ".join(unicodedata.normalize("NFC", text).split())
    folded = " ".join(fold(text).split())
    # folding maps character for character: the notation is shown as printed
    as_printed = shown if len(shown) == len(folded) else folded
    found = {}
    match = NUMBER.search(folded)
    if match:
        found["number"] = int(match.group(1))
        found["notation"] = as_printed[match.start(2):match.end(2)]
    for pattern in DATES:
        match = pattern.search(folded)
        if match:
            day, month, year = (int(g) for g in match.groups())
            found["issued_on"] = "%04d-%02d-%02d" % (year, month, day)
            break
    return found


def _differences(meta, found):
    wrong = []
    if "number" in found and meta.get("number") is not None and found["number"] != meta["number"]:
        wrong.append("number")
    if "notation" in found and meta.get("notation") and \
            _compact(found["notation"]) != _compact(meta["notation"]):
        wrong.append("notation")
    if "issued_on" in found and meta.get("issued_on") and found["issued_on"] != meta["issued_on"]:
        wrong.append("issued_on")
    return wrong


LABELS = {"number": "số", "notation": "ký hiệu", "issued_on": "ngày ban hành"}


@article("7.1a")
def metadata_matches_document(ctx):
    if ctx.digitized:
        return Check("metadata_matches_document", "7.1a", None,
                     "Văn bản số hóa: không đối chiếu số, ký hiệu, ngày với lớp chữ.", STATUS)
    text = page_one_text(ctx)
    if not text.strip():
        return Check("metadata_matches_document", "7.1a", None,
                     "Trang 1 không có lớp chữ (bản quét): không đối chiếu được số, ký hiệu, "
                     "ngày ban hành với nội dung.", STATUS)
    found = stated(text)
    if not found:
        return Check("metadata_matches_document", "7.1a", None,
                     "Trang 1 không ghi số, ký hiệu, ngày ban hành theo thể thức: không đối "
                     "chiếu được.", STATUS, {"found": {}})
    wrong = _differences(ctx.metadata, found)
    details = {"found": found, "fields": [{"field": name} for name in wrong]}
    if not wrong:
        return Check("metadata_matches_document", "7.1a", True,
                     "Số, ký hiệu, ngày ban hành trên trang 1 khớp với metadata.", STATUS, details)
    return Check("metadata_matches_document", "7.1a", False,
                 "Nội dung trang 1 không khớp với metadata: %s (Điều 7, khoản 1, điểm a)."
                 % "; ".join("%s trên văn bản là %s, metadata ghi %s"
                             % (LABELS[name], found[name], ctx.metadata.get(name))
                             for name in wrong), STATUS, details)


RULES = [metadata_matches_document]
