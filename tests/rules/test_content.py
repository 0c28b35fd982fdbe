"""Art. 7.1a: the file is the document the metadata describes — number,
notation and date of issue on page 1 against the metadata."""
from tests.support.pdfs import make_pdf
from tests.support.scans import make_scan_pdf

from .conftest import by_code

HEAD = ["ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "Số: 05/QĐ-UBND", "Lào Cai, ngày 5 tháng 3 năm 2026",
        "QUYẾT ĐỊNH"]


def _judged(check, lines, **meta):
    return by_code(check(make_pdf(lines), **dict({"number": 5, "notation": "QĐ-UBND",
                                                   "issued_on": "2026-03-05"}, **meta)))[
        "metadata_matches_document"]


def test_number_notation_and_date_on_page_one_match_spacing_and_zeros_tolerated(check):
    assert _judged(check, HEAD)["passed"] is True
    spaced = ["Số 5 / QĐ - UBND", "Lào Cai, ngày 05 tháng 03 năm 2026"]
    result = _judged(check, spaced)
    assert result["passed"] is True and result["details"]["found"]["issued_on"] == "2026-03-05"
    assert result["article"] == "7.1a"


def test_another_number_notation_or_date_fails_naming_what_was_found(check):
    result = _judged(check, HEAD, number=6)
    assert result["passed"] is False and "5" in result["message"] and "6" in result["message"]
    assert result["details"]["fields"] == [{"field": "number"}]
    result = _judged(check, HEAD, notation="KH-UBND")
    assert result["passed"] is False and "qđ-ubnd" in result["message"].lower()
    result = _judged(check, HEAD, issued_on="2026-03-06")
    assert result["passed"] is False and "2026-03-05" in result["message"]


def test_a_failing_match_costs_the_legal_status_not_the_deposit(check):
    report = check(make_pdf(HEAD), number=7, notation="QĐ-UBND", issued_on="2026-03-05")
    assert report["legal_status"] == "reference_only" and not report["rejections"]
    assert by_code(report)["metadata_matches_document"]["message"] in \
        report["legal_status_reasons"]


def test_a_scan_without_text_or_a_page_without_the_header_is_not_judged(check):
    scan = by_code(check(make_scan_pdf()))["metadata_matches_document"]
    assert scan["passed"] is None and "lớp chữ" in scan["message"]
    plain = _judged(check, ["Một trang không có số và ngày"])
    assert plain["passed"] is None


def test_a_new_version_naming_another_number_fails_the_same_check(env):
    from tests.workflow.conftest import add_version
    record = env.deposit(meta={"number": 5}, pdf=make_pdf(HEAD)).json
    checks = {c["code"]: c for c in record["checks"]}
    assert checks["metadata_matches_document"]["passed"] is True
    other = [line.replace("05/", "06/") for line in HEAD]
    version = add_version(env, record, pdf=make_pdf(other)).json
    checks = {c["code"]: c for c in version["checks"]}
    assert checks["metadata_matches_document"]["passed"] is False
    assert checks["metadata_matches_document"]["details"]["found"]["number"] == 6
