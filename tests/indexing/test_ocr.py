"""Scans have no text layer: their text comes from Tesseract's Vietnamese
model (Debian tesseract-ocr + tesseract-ocr-vie), and says so."""
import io

import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from tests.support.pdfs import FONT_PATHS

from .conftest import H38, paths, search, settle

LINES = ["ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "QUYẾT ĐỊNH",
         "Về việc phê duyệt đề án chuyển đổi số", "Điều 1. Giao Sở Thông tin và Truyền thông",
         "chủ trì tổ chức thực hiện đề án."]


def make_scan(lines=LINES, dpi=300):
    """An image-only PDF: an A5-ish page of printed Vietnamese at ``dpi``."""
    font = ImageFont.truetype(next(p for p in FONT_PATHS if __import__("os").path.exists(p)),
                              dpi // 7)
    size = (int(5.8 * dpi), int(4 * dpi))
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    y = dpi // 3
    for line in lines:
        draw.text((dpi // 3, y), line, fill=0, font=font)
        y += dpi // 4
    out = io.BytesIO()
    img.save(out, "PNG")
    out.seek(0)
    buf = io.BytesIO()
    page = (size[0] * 72 / dpi, size[1] * 72 / dpi)
    c = canvas.Canvas(buf, pagesize=page)
    c.drawImage(ImageReader(out), 0, 0, *page)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture
def scan_path(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_scan())
    return str(path)


def test_tesseract_with_the_vietnamese_model_is_installed():
    from archive_repo.indexing.text import ocr_available
    assert ocr_available(), "install tesseract-ocr and tesseract-ocr-vie"


def test_scan_text_comes_from_ocr(scan_path):
    from archive_repo.indexing.analysis import fold, normalize
    from archive_repo.indexing.text import extract, pdf_text
    assert pdf_text(scan_path).strip() == ""
    text, source = extract(scan_path)
    assert source == "ocr"
    folded = fold(normalize(text))
    assert "quyet dinh" in folded and "chuyen doi so" in folded
    assert "Quyết định".lower() in normalize(text)      # with its marks, not just letters


def test_deposited_scan_is_searchable_and_marked_as_ocr(ienv):
    ienv.deposit(meta={"number": 11, "digitized": True, "subject": "Đề án (bản chụp)"},
                 pdf=make_scan())
    settle(ienv)
    found = search(ienv, q="sở thông tin truyền thông")
    assert paths(found) == ["/%s/2026/11" % H38]
    assert found["results"][0]["text_source"] == "ocr"
