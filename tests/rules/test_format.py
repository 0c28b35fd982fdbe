"""Art. 6.1c–d, 8.1a: PDF 1.4 or later, the header or the catalogue's /Version."""
import io

import pikepdf
import pytest

from archive_repo.rules import pdf_format
from archive_repo.rules.model import Context, RulePolicy
from archive_repo.timeutil import now
from tests.rules.conftest import by_code
from tests.support.pdfs import make_pdf


def _check(data, **policy):
    pdf = pikepdf.open(io.BytesIO(data))
    ctx = Context(path="-", metadata={}, deposited_at=now(), policy=RulePolicy(**policy), pdf=pdf)
    return pdf_format.pdf_version(ctx)


def _with_catalogue_version(header, catalogue):
    pdf = pikepdf.open(io.BytesIO(make_pdf(version=header)))
    pdf.Root.Version = pikepdf.Name("/" + catalogue) if catalogue[0].isdigit() else catalogue
    out = io.BytesIO()
    pdf.save(out, min_version=header, force_version=header)
    assert out.getvalue().startswith(b"%PDF-" + header.encode())
    return out.getvalue()


@pytest.mark.parametrize("version,ok", [("1.3", False), ("1.4", True), ("1.7", True),
                                        ("2.0", True)])
def test_header_version(version, ok):
    result = _check(make_pdf(version=version))
    assert result.passed is ok and result.details["version"] == version
    assert ("yêu cầu phiên bản 1.4 trở lên" in result.message) is not ok


def test_catalogue_version_raises_an_old_header():
    result = _check(_with_catalogue_version("1.3", "1.7"))
    assert result.passed is True
    assert result.details == {"header": "1.3", "catalogue": "1.7", "version": "1.7",
                              "required": "1.4"}


def test_catalogue_cannot_lower_the_header():
    assert _check(_with_catalogue_version("1.7", "1.3")).details["version"] == "1.7"


def test_a_catalogue_version_that_is_not_a_number_is_ignored():
    result = _check(_with_catalogue_version("1.3", "nonsense"))
    assert result.passed is False and result.details["version"] == "1.3"


def test_the_minimum_is_the_policy():
    assert _check(make_pdf(version="1.4"), min_pdf_version="1.7").passed is False


def test_version_check_runs_in_the_engine(check):
    result = by_code(check(make_pdf(version="1.3")))["pdf_version"]
    assert result["passed"] is False and result["severity"] == "status"
