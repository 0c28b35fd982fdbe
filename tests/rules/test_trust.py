"""Art. 6.1a: Government specialised CA, validity at signing, key usage,
revocation (offline CRLs, soft- and hard-fail)."""
from datetime import datetime

import pytest

from archive_repo.rules import policy_from_settings
from archive_repo.rules.signatures import describe_cert, _load_certs
from tests.conftest import CORPORA
from tests.rules.conftest import SIGNED_AT, by_code
from tests.support.signing import VN, signed_document


def test_commercial_root_is_not_government_ca(check, pki):
    report = check(signed_document(pki, organisation="commercial", org_time=SIGNED_AT))
    chain = by_code(report)["gov_ca_chain"]
    assert chain["passed"] is False and "TEST Commercial Root CA" in chain["message"]
    assert chain["details"]["fields"] == ["ChuKyToChuc"]
    assert report["legal_status"] == "reference_only"


def test_no_trust_roots_configured_fails_clearly(tmp_path, good_pdf):
    from archive_repo.rules import evaluate
    empty = tmp_path / "roots"
    empty.mkdir()
    path = tmp_path / "a.pdf"
    path.write_bytes(good_pdf)
    report = evaluate(str(path), {"receivers": []}, SIGNED_AT,
                      policy_from_settings({"archive_repo.trust_roots": str(empty)}))
    assert by_code(report)["gov_ca_chain"]["passed"] is False
    assert "Chưa cài đặt chứng thư gốc" in by_code(report)["gov_ca_chain"]["message"]


def test_expired_certificate_fails_validity_at_signing(check, pki):
    report = check(signed_document(pki, personal="expired", org_time=SIGNED_AT))
    assert by_code(report)["cert_valid_at_signing"]["passed"] is False
    assert by_code(report)["gov_ca_chain"]["passed"] is True      # chain itself is fine


def test_certificate_without_signing_usage_fails(check, pki):
    report = check(signed_document(pki, organisation="no_signing", org_time=SIGNED_AT))
    assert by_code(report)["signing_key_usage"]["passed"] is False


def test_revoked_certificate_is_caught_from_the_crl_folder(check, pki):
    report = check(signed_document(pki, personal="revoked", org_time=SIGNED_AT))
    revocation = by_code(report)["revocation"]
    assert revocation["passed"] is False and revocation["details"]["revoked"] == ["ChuKyCaNhan"]
    states = {s["field"]: s["revocation"] for s in report["signatures"]}
    assert states == {"ChuKyCaNhan": "revoked", "ChuKyToChuc": "good"}


@pytest.mark.parametrize("mode,expected", [("soft-fail", None), ("hard-fail", False)])
def test_without_crl_revocation_is_not_checked(tmp_path, pki, good_pdf, mode, expected):
    from archive_repo.rules import evaluate
    path = tmp_path / "a.pdf"
    path.write_bytes(good_pdf)
    policy = policy_from_settings({"archive_repo.trust_roots": pki.trust_roots_dir,
                                   "archive_repo.revocation_mode": mode})
    report = evaluate(str(path), {"receivers": []}, SIGNED_AT, policy)
    check = by_code(report)["revocation"]
    assert check["passed"] is expected
    assert "Chưa kiểm tra được" in check["message"]
    assert {s["revocation"] for s in report["signatures"]} == {"not_checked"}
    assert report["legal_status"] == ("equivalent_to_paper" if mode == "soft-fail"
                                      else "reference_only")


def test_real_vietnamese_roots_are_read_and_fingerprinted():
    """The real Government (VGCA) and commercial certificates published by
    their issuers: what trust-root folders will actually hold."""
    gov = _load_certs(str(CORPORA / "vn-pki" / "government"))
    public = _load_certs(str(CORPORA / "vn-pki" / "public"))
    assert len(gov) == 6 and len(public) == 5
    root = [describe_cert(c) for c in gov if c.self_signed == "maybe" or
            c.subject == c.issuer][0]
    assert root["sha256"].upper().startswith("F7BC8905")
    assert "Ban Co yeu Chinh phu" in root["subject"]
    gov_subjects = {describe_cert(c)["subject"] for c in gov}
    assert not gov_subjects & {describe_cert(c)["subject"] for c in public}


def test_report_records_trust_roots_used(check, good_pdf, pki):
    report = check(good_pdf)
    assert report["trust_roots"][0]["subject"].startswith("Common Name: TEST Co quan") or \
        "TEST Co quan" in report["trust_roots"][0]["subject"]


def test_every_trust_rule_passes_on_a_correct_document(make_ctx, good_pdf):
    from archive_repo.rules import trust
    checks = [rule(make_ctx(good_pdf)) for rule in trust.RULES]
    assert [(c.code, c.passed, c.article) for c in checks] == [
        ("gov_ca_chain", True, "6.1a"), ("cert_valid_at_signing", True, "6.1a"),
        ("signing_key_usage", True, "6.1a"), ("revocation", True, "6.1a")]


def test_expired_certificate_is_fine_for_what_it_signed_while_valid(make_ctx, pki):
    """Validity is judged at the claimed signing time, not today."""
    from archive_repo.rules import trust
    pdf = signed_document(pki, personal="expired", org_time=datetime(2016, 5, 2, 9, 0, tzinfo=VN))
    ctx = make_ctx(pdf)
    assert trust.cert_valid_at_signing(ctx).passed is True
    assert ctx.signatures[0].trusted is True


def test_trust_root_fingerprints_are_the_evidence(pki, rule_policy):
    from cryptography.hazmat.primitives import hashes
    from archive_repo.rules.trust import trust_root_fingerprints
    [root] = trust_root_fingerprints(rule_policy)
    assert root["sha256"] == pki.root.cert.fingerprint(hashes.SHA256()).hex()
    assert "TEST Co quan chung thuc so chuyen dung Chinh phu (RootCA)" in root["subject"]


def _vn(*names):
    from asn1crypto import pem, x509
    out = []
    for name in names:
        data = (CORPORA / "vn-pki" / name).read_bytes()
        out.append(x509.Certificate.load(pem.unarmor(data)[2] if pem.detect(data) else data))
    return out


def _folder(path, *names):
    """A trust-root folder as an operator would fill it (the corpus file
    is read in place and written only to the test's temp dir)."""
    path.mkdir()
    for name in names:
        (path / name.split("/")[-1]).write_bytes((CORPORA / "vn-pki" / name).read_bytes())
    return path


def test_real_government_and_public_cas_are_told_apart_as_trust_roots(tmp_path):
    """With only the real Government root (VGCA) installed, its sub-CA for
    state agencies chains to it and the public VNPT-CA does not; install the
    MIC root instead and it is the other way round."""
    from archive_repo.rules.model import RulePolicy
    from archive_repo.rules.signatures import chain_to_roots
    from archive_repo.rules.trust import chains_to_configured_root, trust_root_fingerprints
    cp, vnpt, mic = _vn("government/cp.pem", "public/vnptca.pem", "public/mic.pem")
    gov = RulePolicy(trust_roots_dir=str(_folder(tmp_path / "gov", "government/vgca_rootca.pem")))
    roots = {r["sha256"] for r in trust_root_fingerprints(gov)}
    chain = chain_to_roots(cp, gov)
    assert chain[0]["sha256"].upper().startswith("F7BC8905")
    assert "Ban Co yeu Chinh phu" in chain[0]["subject"]
    assert chain_to_roots(vnpt, gov, [mic]) == []
    public = RulePolicy(trust_roots_dir=str(_folder(tmp_path / "public", "public/mic.pem")))
    assert chain_to_roots(vnpt, public, [mic])[-1]["common_name"] == describe_cert(vnpt)[
        "common_name"]
    assert chain_to_roots(cp, public) == []
    # a signature whose chain ends at MIC is not "chuyên dùng Chính phủ"
    from archive_repo.rules.model import SignatureFacts
    sig = SignatureFacts(field="F", chain=chain_to_roots(vnpt, public, [mic]))
    assert not chains_to_configured_root(sig, roots)
