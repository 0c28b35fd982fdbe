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
