"""Format identification with pikepdf: version, PDF/A claim, encryption,
pages, image colour and resolution — reported, the file never touched."""
import io

import pikepdf

from archive_repo.preservation import formats
from tests.support.pdfs import make_pdf
from tests.support.scans import make_scan_pdf


def with_pdfa_claim(data, part="2", conformance="B"):
    pdf = pikepdf.open(io.BytesIO(data))
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = part
        meta["pdfaid:conformance"] = conformance
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def encrypted(data):
    pdf = pikepdf.open(io.BytesIO(data))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="chu", user="", R=6))
    return out.getvalue()


def test_born_digital_pdf():
    facts = formats.identify(io.BytesIO(make_pdf(pages=3, version="1.7")))
    assert facts["format"] == "PDF" and facts["pdf_version"] == "1.7"
    assert facts["pages"] == 3 and facts["pdfa"] is None and not facts["encrypted"]
    assert facts["images"] == []


def test_pdfa_claim_is_read_from_xmp():
    facts = formats.identify(io.BytesIO(with_pdfa_claim(make_pdf())))
    assert facts["pdfa"] == {"part": "2", "conformance": "B"}


def test_scan_colour_and_dpi():
    facts = formats.identify(io.BytesIO(make_scan_pdf(dpi=200, mode="RGB")))
    image = facts["images"][0]
    assert image["colorspace"] == "/DeviceRGB" and image["bits"] == 8
    assert abs(image["dpi"] - 200) <= 2
    grey = formats.identify(io.BytesIO(make_scan_pdf(dpi=150, mode="L")))["images"][0]
    assert grey["colorspace"] == "/DeviceGray" and abs(grey["dpi"] - 150) <= 2


def test_encryption_and_garbage():
    assert formats.identify(io.BytesIO(encrypted(make_pdf())))["encrypted"] is True
    garbage = formats.identify(io.BytesIO(b"not a pdf at all"))
    assert garbage["format"] == "unknown" and garbage["error"]
