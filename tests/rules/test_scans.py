"""Art. 8.1a, 9.3a: a scan of a paper original is in colour, at least
200 dpi at 100% scale — measured from the images as the page draws them."""
import io

import pikepdf
import pytest

from archive_repo.rules import scans
from archive_repo.rules.model import Context, RulePolicy
from archive_repo.timeutil import now
from tests.rules.conftest import SIGNED_AT, by_code
from tests.support.pdfs import make_pdf
from tests.support.scans import make_scan_pdf
from tests.support.signing import signed_document


def _run(data, digitized=True, **policy):
    pdf = pikepdf.open(io.BytesIO(data))
    ctx = Context(path="-", metadata={"digitized": digitized}, deposited_at=now(),
                  policy=RulePolicy(**policy), pdf=pdf)
    return scans.scan_colour(ctx), scans.scan_resolution(ctx)


@pytest.mark.parametrize("dpi,mode,colour_ok,dpi_ok", [
    (300, "RGB", True, True),
    (150, "RGB", True, False),
    (300, "L", False, True),
    (200, "RGB", True, True),
    (199, "RGB", True, False),
    (300, "CMYK", True, True),
])
def test_scan_quality(dpi, mode, colour_ok, dpi_ok):
    colour, resolution = _run(make_scan_pdf(dpi=dpi, mode=mode))
    assert colour.passed is colour_ok, colour.message
    assert resolution.passed is dpi_ok, resolution.message
    assert "%d dpi" % dpi in resolution.message
    assert resolution.details["images"][0]["dpi"] == dpi


def test_failures_say_what_was_measured():
    colour, _ = _run(make_scan_pdf(mode="L"))
    assert colour.message == ("Bản số hóa không phải ảnh màu: trang 1 lưu ở không gian màu "
                              "DeviceGray (Điều 8, khoản 1, điểm a).")
    _, resolution = _run(make_scan_pdf(dpi=150))
    assert resolution.message.startswith("Độ phân giải bản số hóa 150 dpi (trang 1), dưới mức "
                                         "tối thiểu 200 dpi ở tỷ lệ 100%")


def test_greyscale_scan_saved_as_rgb_is_not_colour():
    colour, _ = _run(make_scan_pdf(mode="RGB-grey"))
    assert colour.passed is False and "không có điểm ảnh màu" in colour.message


def test_plain_text_pages_of_a_colour_scan_pass():
    # only page 1 bears the red seal; pages 2–3 are black text on paper
    colour, resolution = _run(make_scan_pdf(pages=3, seal="first"))
    assert colour.passed is True and resolution.passed is True
    assert [i["page"] for i in resolution.details["images"]] == [1, 2, 3]


def test_image_drawn_at_double_size_halves_the_dpi():
    _, resolution = _run(make_scan_pdf(dpi=300, draw_scale=2.0))
    assert resolution.passed is False and "150 dpi" in resolution.message


def test_image_inside_a_form_xobject_is_measured():
    colour, resolution = _run(make_scan_pdf(dpi=150, in_form=True))
    assert colour.passed is True
    assert resolution.passed is False and resolution.details["images"][0]["dpi"] == 150


def test_a_small_stamp_on_the_scan_is_not_the_scan():
    _, resolution = _run(make_scan_pdf(dpi=300, stamp=True))
    assert resolution.passed is True           # the 72-dpi stamp is ignored
    assert len(resolution.details["images"]) == 1


def test_a_text_pdf_declared_digitized_has_no_scan():
    colour, resolution = _run(make_pdf())
    assert colour.passed is False and resolution.passed is False
    assert "không có ảnh quét" in resolution.message


def test_the_minimum_dpi_is_the_policy():
    assert _run(make_scan_pdf(dpi=250), min_scan_dpi=300)[1].passed is False


def test_scan_rules_do_not_apply_to_born_digital_documents():
    colour, resolution = _run(make_scan_pdf(mode="L", dpi=100), digitized=False)
    assert colour.passed is None and resolution.passed is None


def test_digitized_signed_document_is_equivalent_to_paper(check, pki):
    pdf = signed_document(pki, kind="digitized", org_time=SIGNED_AT, pdf=make_scan_pdf())
    report = check(pdf, digitized=True)
    failing = [c["code"] for c in report["checks"] if c["passed"] is False
               and c["severity"] != "flag"]
    assert failing == [] and report["legal_status"] == "equivalent_to_paper"
    assert by_code(report)["scan_colour"]["passed"] is True


def test_greyscale_digitized_document_is_reference_only(check, pki):
    pdf = signed_document(pki, kind="digitized", org_time=SIGNED_AT,
                          pdf=make_scan_pdf(mode="L"))
    report = check(pdf, digitized=True)
    assert report["legal_status"] == "reference_only"
    assert by_code(report)["scan_colour"]["message"] in report["legal_status_reasons"]
