"""Art. 6.1c–d and 8.1a: PDF ≥ 1.4; scans in colour at ≥ 200 dpi at 100%."""
import io

import pikepdf
import pytest

from tests.rules.conftest import SIGNED_AT, by_code
from tests.support.pdfs import make_pdf
from tests.support.scans import make_scan_pdf
from tests.support.signing import signed_document


@pytest.mark.parametrize("version,ok", [("1.3", False), ("1.4", True), ("1.7", True)])
def test_pdf_version(check, version, ok):
    check_ = by_code(check(make_pdf(version=version)))["pdf_version"]
    assert check_["passed"] is ok and check_["details"]["version"] == version


def test_catalogue_version_overrides_header(check):
    pdf = pikepdf.open(io.BytesIO(make_pdf(version="1.3")))
    pdf.Root.Version = pikepdf.Name("/1.7")
    out = io.BytesIO()
    pdf.save(out, min_version="1.3", force_version="1.3")
    assert out.getvalue().startswith(b"%PDF-1.3")
    assert by_code(check(out.getvalue()))["pdf_version"]["passed"] is True


@pytest.mark.parametrize("dpi,mode,colour_ok,dpi_ok", [
    (300, "RGB", True, True),
    (150, "RGB", True, False),
    (300, "L", False, True),
    (200, "RGB", True, True),
])
def test_scan_quality(check, dpi, mode, colour_ok, dpi_ok):
    report = check(make_scan_pdf(dpi=dpi, mode=mode), digitized=True)
    checks = by_code(report)
    assert checks["scan_colour"]["passed"] is colour_ok
    assert checks["scan_resolution"]["passed"] is dpi_ok
    assert "%d dpi" % dpi in checks["scan_resolution"]["message"]
    # what the engine measured, as kept in the report
    [image] = checks["scan_resolution"]["details"]["images"]
    assert (image["page"], image["dpi"]) == (1, dpi)


# A greyscale page saved as RGB: tests/rules/test_scans.py
# (test_greyscale_scan_saved_as_rgb_is_not_colour, with the scans helper's
# "RGB-grey" mode instead of patching it).


def test_image_drawn_at_double_size_halves_the_dpi(check):
    pdf = make_scan_pdf(dpi=300, draw_scale=2.0)
    result = by_code(check(pdf, digitized=True))["scan_resolution"]
    assert result["passed"] is False and "150 dpi" in result["message"]


def test_scan_rules_do_not_apply_to_born_digital(check, good_pdf):
    checks = by_code(check(good_pdf))
    assert checks["scan_colour"]["passed"] is None and checks["scan_resolution"]["passed"] is None


def test_digitized_document_signed_top_right_is_equivalent_to_paper(check, pki):
    pdf = signed_document(pki, kind="digitized", org_time=SIGNED_AT, pdf=make_scan_pdf())
    report = check(pdf, digitized=True)
    failing = [c["code"] for c in report["checks"] if c["passed"] is False
               and c["severity"] != "flag"]
    assert failing == [] and report["legal_status"] == "equivalent_to_paper"
