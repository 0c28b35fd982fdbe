"""What you see is what was signed: pages rendered as signed and as
deposited (PDFium), differences outside later signatures refused."""
from datetime import timedelta

import pytest

from archive_repo.rules import rendering
from tests.rules.conftest import SIGNED_AT, by_code
from tests.support import attacks
from tests.support.signing import add_signature_fields, sign, signed_document


@pytest.fixture(scope="module")
def signed_form(pki):
    return signed_document(pki, org_time=SIGNED_AT, pdf=attacks.form_document())


def overlaps(region, box):
    return region[0] < box[2] and box[0] < region[2] and region[1] < box[3] and box[1] < region[3]


@pytest.mark.parametrize("attack", [attacks.shadow_replace, attacks.shadow_hide])
def test_a_changed_field_appearance_is_seen_whatever_the_objects_say(make_ctx, signed_form,
                                                                     attack):
    # the rule on its own: it does not rely on the difference analysis
    check = rendering.signed_view_unchanged(make_ctx(attack(signed_form)))
    assert check.passed is False and check.severity == "reject"
    pages = {d["page"] for d in check.details["differences"]}
    assert pages == {1}
    assert all(overlaps(d["region"], attacks.AMOUNT_BOX) for d in check.details["differences"])
    assert "trang 1 vùng" in check.message


def test_replaced_page_content_is_seen(make_ctx, signed_form):
    check = rendering.signed_view_unchanged(make_ctx(attacks.shadow_hide_and_replace(signed_form)))
    assert check.passed is False
    assert {d["field"] for d in check.details["differences"]} == {"ChuKyCaNhan", "ChuKyToChuc"}


def test_a_later_signature_draws_only_in_its_own_box(check, good_pdf):
    found = by_code(check(good_pdf))["signed_view_unchanged"]
    assert found["passed"] is True
    # the personal signature's page was compared with the final file
    assert found["details"]["compared"] == [{"field": "ChuKyCaNhan", "page": 1}]


def test_a_permitted_fill_draws_only_in_its_field(make_ctx, pki):
    form = add_signature_fields(attacks.form_document(), {"ChuKyCaNhan": (450, 100, 550, 200)})
    certified = sign(form, pki.signer("organisation"), "ChuKyToChuc", box=(350, 100, 450, 200),
                     signing_time=SIGNED_AT, certify="FILL_FORMS")
    filled = sign(attacks.fill_field(certified, "2.000.000 dong"), pki.signer("personal"),
                  "ChuKyCaNhan", signing_time=SIGNED_AT + timedelta(minutes=5))
    check = rendering.signed_view_unchanged(make_ctx(filled))
    assert check.passed is True and check.details["compared"]


def test_an_unsigned_document_is_not_compared(check):
    from tests.support.pdfs import make_pdf
    assert by_code(check(make_pdf()))["signed_view_unchanged"]["passed"] is None
