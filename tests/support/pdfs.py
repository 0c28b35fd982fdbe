"""Real PDFs with Vietnamese text, made with reportlab and the DejaVu font
(Debian ``fonts-dejavu-core``, installed by ``.ci/run``)."""
import io
import os

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_PATHS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
]
_FONT = "DejaVuSans"


def _register_font():
    if _FONT in pdfmetrics.getRegisteredFontNames():
        return _FONT
    for path in FONT_PATHS:
        if os.path.exists(path):
            pdfmetrics.registerFont(TTFont(_FONT, path))
            return _FONT
    raise RuntimeError("DejaVuSans.ttf not found: install fonts-dejavu-core")


SAMPLE = [
    "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
    "QUYẾT ĐỊNH",
    "Về việc phê duyệt kế hoạch chuyển đổi số năm 2026",
    "Điều 1. Phê duyệt kế hoạch chuyển đổi số của tỉnh Lào Cai.",
    "Điều 2. Các sở, ban, ngành tổ chức thực hiện.",
]


def make_pdf(lines=None, pages=1, version="1.7", size=A4):
    """A text PDF (bytes) whose every page shows ``lines``."""
    font = _register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    c.setPageCompression(1)
    for page in range(pages):
        c.setFont(font, 12)
        y = size[1] - 72
        for line in (lines or SAMPLE):
            c.drawString(72, y, line)
            y -= 18
        c.drawString(72, 40, "Trang %d/%d" % (page + 1, pages))
        c.showPage()
    c.save()
    data = buf.getvalue()
    return _set_header_version(data, version)


def _set_header_version(data, version):
    """reportlab writes %PDF-1.3/1.4; rewrite the header to ``version`` (same
    length, so the xref offsets stay right)."""
    head = data[:8]
    assert head.startswith(b"%PDF-1.")
    return b"%PDF-" + version.encode("ascii") + data[8:]


def write_pdf(path, **kw):
    data = make_pdf(**kw)
    with open(path, "wb") as f:
        f.write(data)
    return path


# -- changes after signing: incremental updates that leave signatures intact -----

def _incremental(pdf_bytes, change):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def append_page_incrementally(pdf_bytes, size=A4):
    """An empty page appended in a new revision."""
    from pyhanko.pdf_utils import generic

    def add(writer):
        writer.insert_page(generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (0, 0, size[0], size[1])])}))
    return _incremental(pdf_bytes, add)


def remove_page_incrementally(pdf_bytes, index=-1):
    """Page ``index`` taken out of the (flat) page tree in a new revision."""
    from pyhanko.pdf_utils import generic

    def remove(writer):
        pages = writer.root["/Pages"]
        kids = pages["/Kids"]
        del kids[index]
        pages["/Count"] = generic.NumberObject(len(kids))
        writer.update_container(pages)
    return _incremental(pdf_bytes, remove)


def with_page_box(pdf_bytes, box, name="/MediaBox"):
    """Every page's ``name`` box set to ``box`` (x0, y0, x1, y1): pages
    whose origin is not 0,0, as some scanners and imposition tools write."""
    import pikepdf
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    for page in pdf.pages:
        page.obj[name] = pikepdf.Array(list(box))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
