"""Art. 6.1d: a PDF that runs code is flagged and not equivalent to paper."""
import io

import pikepdf
import pytest

from tests.rules.conftest import SIGNED_AT, by_code
from tests.support.pdfs import make_pdf
from tests.support.signing import signed_document


def _edit(change):
    pdf = pikepdf.open(io.BytesIO(make_pdf()))
    change(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def open_action_script(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')")))


def launch(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(
        S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")))


def embedded_exe(pdf):
    pdf.attachments["tai-lieu.pdf.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00" + b"\0" * 60)


@pytest.mark.parametrize("change, what", [(open_action_script, "JavaScript"),
                                          (launch, "Launch"),
                                          (embedded_exe, "tai-lieu.pdf.exe")])
def test_code_in_a_signed_pdf_makes_it_reference_only(check, pki, change, what):
    report = check(signed_document(pki, org_time=SIGNED_AT, pdf=_edit(change)))
    found = by_code(report)["active_content"]
    assert found["passed"] is False and found["severity"] == "status"
    assert what in found["message"]
    assert report["legal_status"] == "reference_only" and report["rejections"] == []


def test_a_plain_attachment_is_not_code(check, pki):
    def attach(pdf):
        pdf.attachments["phu-luc.txt"] = pikepdf.AttachedFileSpec(pdf, b"Phu luc")
    report = check(signed_document(pki, org_time=SIGNED_AT, pdf=_edit(attach)))
    assert by_code(report)["active_content"]["passed"] is True
    assert report["legal_status"] == "equivalent_to_paper"
