"""Printed documents: real PDFs read back with pdfminer, Vietnamese intact."""
import io
from datetime import datetime

from archive_repo import timeutil


def _makeOne(**kw):
    from archive_repo.printing import OfficialDocument
    return OfficialDocument("Biên bản", "Sao lưu dữ liệu", issuer="Kho lưu trữ điện tử",
                            parent="UBND tỉnh Lào Cai", number="05/BB-KLT", **kw)


def _text(pdf):
    from pdfminer.high_level import extract_text
    return extract_text(io.BytesIO(pdf))


def test_official_layout_and_vietnamese_text_survive_extraction():
    doc = _makeOne(at=datetime(2026, 3, 5, 17, 0, tzinfo=timeutil.VN_TZ))
    doc.paragraph("Hồi 17 giờ 00, đã sao lưu đủ dữ liệu của Sở Tài chính.")
    doc.table(["STT", "Tệp", "SHA-256"], [[1, "Data.fs", "ab" * 32]], widths=[1, 4, 9])
    doc.signatures(["NGƯỜI LẬP"], ["Nguyễn Thị Hoa"])
    pdf = doc.build()
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Lào Cai, ngày 05 tháng 03 năm 2026",
                     "BIÊN BẢN", "Số: 05/BB-KLT", "Sở Tài chính", "Data.fs", "Nguyễn Thị Hoa"):
        assert expected in text


def test_long_tables_break_over_pages_with_their_header():
    doc = _makeOne(landscape_pages=True)
    doc.table(["STT", "Tiêu đề"], [[i, "Hồ sơ số %d" % i] for i in range(200)])
    pdf = doc.build()
    text = _text(pdf)
    assert "Hồ sơ số 199" in text
    assert text.count("Tiêu đề") >= 3 and "Trang 3" in text
