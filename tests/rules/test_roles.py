"""Art. 6.2, 6.3b, 6.4b: who signed — classified from the certificate's UID
and the signature's place, by a rule list an operator can replace."""
import json

from archive_repo.rules import policy_from_settings
from archive_repo.rules.model import SignatureFacts
from archive_repo.rules.roles import classify
from tests.rules.conftest import SIGNED_AT, by_code
from tests.support.signing import signed_document


def _sig(uid, field="F", rect=None):
    return SignatureFacts(field=field, certificate={"uid": [uid]}, page=0, rect=rect)


def test_default_rules_classify_by_uid_and_place(policy):
    sigs = classify([_sig("CCCD:0123"), _sig("CMND:99"), _sig("HC:B123"),
                     _sig("MNS:1234567", rect=[350, 100, 450, 200]),
                     _sig("MST:0101", field="ChuKyDoKhan"),
                     _sig("MST:0101", rect=[60, 690, 170, 720]),
                     _sig("XYZ:1")], policy)
    assert [(s.role, s.role_rule) for s in sigs] == [
        ("personal", "uid-person"), ("personal", "uid-person"), ("personal", "uid-person"),
        ("organisation", "uid-organisation"), ("urgency", "urgency-field-name"),
        ("urgency", "urgency-top-left"), ("unknown", "no-match")]


def test_rules_are_a_setting(tmp_path, settings):
    path = tmp_path / "roles.json"
    path.write_text(json.dumps([{"name": "everything-is-org", "role": "organisation"}]))
    policy = policy_from_settings(dict(settings, **{"archive_repo.signature_roles": str(path)}))
    assert classify([_sig("CCCD:1")], policy)[0].role_rule == "everything-is-org"


def test_born_digital_needs_personal_signature(check, pki):
    report = check(signed_document(pki, with_personal=False, org_time=SIGNED_AT))
    assert by_code(report)["personal_signature"]["passed"] is False
    assert by_code(report)["organisation_signature"]["passed"] is True
    assert "người có thẩm quyền" in by_code(report)["personal_signature"]["message"]


def test_digitized_needs_only_organisation_signature(check, pki):
    from tests.support.scans import make_scan_pdf
    pdf = signed_document(pki, kind="digitized", org_time=SIGNED_AT, pdf=make_scan_pdf())
    report = check(pdf, digitized=True)
    assert by_code(report)["personal_signature"]["passed"] is None
    assert by_code(report)["organisation_signature"]["passed"] is True
    assert by_code(report)["organisation_signature"]["article"] == "6.3b"


def test_digitized_without_organisation_signature_fails(check, pki):
    from tests.support.scans import make_scan_pdf
    pdf = signed_document(pki, kind="digitized", with_personal=True, with_organisation=False,
                          org_time=SIGNED_AT, pdf=make_scan_pdf())
    report = check(pdf, digitized=True)
    assert by_code(report)["organisation_signature"]["passed"] is False
    assert "Điều 6, khoản 3" in by_code(report)["organisation_signature"]["message"]


def test_urgent_document_roles_from_real_certificates(make_ctx, urgent_pdf):
    sigs = make_ctx(urgent_pdf, urgency="Khẩn").signatures
    assert [(s.field, s.role, s.role_rule) for s in sigs] == [
        ("ChuKyCaNhan", "personal", "uid-person"),
        ("ChuKyToChuc", "organisation", "uid-organisation"),
        ("ChuKyDoKhan", "urgency", "urgency-field-name")]


def test_extra_organisation_signature_at_the_stamp_place_is_urgency(make_ctx, pki, good_pdf):
    """A neutral field name: the place (top-left of page 1) and being the
    extra organisation signature decide."""
    from tests.support.signing import URGENCY_BOX, make_image_png, sign
    pdf = sign(good_pdf, pki.signer("organisation"), "Signature3", box=URGENCY_BOX,
               image=make_image_png("urgency"), signing_time=SIGNED_AT)
    sigs = make_ctx(pdf).signatures
    assert [(s.role, s.role_rule) for s in sigs][1:] == [
        ("organisation", "uid-organisation"), ("urgency", "urgency-top-left")]


def test_lone_organisation_signature_top_left_stays_organisation(make_ctx, pki):
    from tests.support.signing import URGENCY_BOX
    pdf = signed_document(pki, kind="digitized", seal_box=URGENCY_BOX, org_time=SIGNED_AT)
    [org] = make_ctx(pdf, digitized=True).signatures
    assert (org.role, org.role_rule) == ("organisation", "uid-organisation")


def test_role_comes_from_the_uid_not_from_trust(make_ctx, pki):
    pdf = signed_document(pki, organisation="commercial", org_time=SIGNED_AT)
    org = make_ctx(pdf).signatures[1]
    assert org.role == "organisation" and org.trusted is False


def test_organisation_rule_passes_and_fails_on_the_context(make_ctx, pki, good_pdf):
    from archive_repo.rules import roles
    ctx = make_ctx(good_pdf)
    assert [r(ctx).passed for r in roles.RULES] == [True, True]
    assert roles.organisation_signature(ctx).details["rules"] == ["uid-organisation"]
    alone = make_ctx(signed_document(pki, with_organisation=False, org_time=SIGNED_AT))
    check = roles.organisation_signature(alone)
    assert check.passed is False
    assert check.message == "Văn bản thiếu chữ ký số của tổ chức (Điều 6, khoản 2)."


def test_stamp_place_is_read_in_the_page_box_of_a_shifted_page(make_ctx, pki):
    """Top-left of a page whose box ends at 0,0 (MediaBox [-595 -842 0 0]):
    the urgency stamp's place is judged from the box's own origin."""
    from tests.support.pdfs import make_pdf, with_page_box
    from tests.support.signing import PERSONAL_BOX, SEAL_BOX, URGENCY_BOX, make_image_png, sign
    dx, dy = -595, -842
    page = with_page_box(make_pdf(), (dx, dy, 0, 0))

    def moved(box):
        return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)
    pdf = signed_document(pki, pdf=page, personal_box=moved(PERSONAL_BOX),
                          seal_box=moved(SEAL_BOX), org_time=SIGNED_AT)
    pdf = sign(pdf, pki.signer("organisation"), "Signature3", box=moved(URGENCY_BOX),
               image=make_image_png("urgency"), signing_time=SIGNED_AT)
    sigs = make_ctx(pdf).signatures
    assert [(s.role, s.role_rule) for s in sigs] == [
        ("personal", "uid-person"), ("organisation", "uid-organisation"),
        ("urgency", "urgency-top-left")]
