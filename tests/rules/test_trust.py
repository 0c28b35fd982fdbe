"""Art. 6.1a: Government specialised CA, validity at signing, key usage,
revocation (offline CRLs, soft- and hard-fail)."""
from datetime import datetime

import pytest

from archive_repo.rules import policy_from_settings
from archive_repo.rules.signatures import describe_cert, load_certs
from tests.conftest import CORPORA
from tests.rules.conftest import DESCRIBED, SIGNED_AT, by_code
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
    report = evaluate(str(path), dict(DESCRIBED, receivers=[]), SIGNED_AT, policy)
    check = by_code(report)["revocation"]
    assert check["passed"] is expected
    assert "Chưa kiểm tra được" in check["message"]
    assert {s["revocation"] for s in report["signatures"]} == {"not_checked"}
    assert report["legal_status"] == ("equivalent_to_paper" if mode == "soft-fail"
                                      else "reference_only")


def test_real_vietnamese_roots_are_read_and_fingerprinted():
    """The real Government (VGCA) and commercial certificates published by
    their issuers: what trust-root folders will actually hold."""
    gov = load_certs(str(CORPORA / "vn-pki" / "government"))
    public = load_certs(str(CORPORA / "vn-pki" / "public"))
    assert len(gov) == 6 and len(public) == 5
    root = [describe_cert(c) for c in gov if c.self_signed == "maybe" or
            c.subject == c.issuer][0]
    assert root["sha256"].upper().startswith("F7BC8905")
    assert "Ban Co yeu Chinh phu" in root["subject"]
    gov_subjects = {describe_cert(c)["subject"] for c in gov}
    assert not gov_subjects & {describe_cert(c)["subject"] for c in public}


def test_report_records_trust_roots_used(check, good_pdf, pki):
    from cryptography.hazmat.primitives import hashes
    [root] = check(good_pdf)["trust_roots"]
    assert root["sha256"] == pki.root.cert.fingerprint(hashes.SHA256()).hex()
    assert "Common Name: TEST Co quan chung thuc so chuyen dung Chinh phu (RootCA)" \
        in root["subject"]


def test_every_trust_rule_passes_on_a_correct_document(make_ctx, good_pdf):
    from archive_repo.rules import trust
    checks = [rule(make_ctx(good_pdf)) for rule in trust.RULES]
    assert [(c.code, c.passed, c.article) for c in checks] == [
        ("gov_ca_chain", True, "6.1a"), ("cert_valid_at_signing", True, "6.1a"),
        ("signing_key_usage", True, "6.1a"), ("revocation", True, "6.1a")]


# -- backdating: the signer's claimed time never moves the validation moment -------

OLD_CLAIM = datetime(2016, 5, 2, 9, 0, tzinfo=VN)       # the expired cert was valid then
BEFORE_REVOCATION = datetime(2015, 6, 1, 9, 0, tzinfo=VN)   # revoked 1/1/2016


def test_expired_certificate_claiming_an_old_signing_time_fails(check, pki):
    """The audit's case: a certificate that expired in 2017 signs, claiming
    2016, beside a 2026 organisation signature.  No trusted timestamp, so
    the certificate is judged at the deposit, when it had expired."""
    report = check(signed_document(pki, personal="expired", personal_time=OLD_CLAIM,
                                   org_time=SIGNED_AT))
    valid = by_code(report)["cert_valid_at_signing"]
    assert valid["passed"] is False and valid["details"]["fields"] == ["ChuKyCaNhan"]
    assert "Trần Thị Bình" in valid["message"] and "01/01/2017" in valid["message"]
    assert "chỉ do người ký tự khai, không có dấu thời gian tin cậy" in valid["message"]
    assert "thời điểm nộp lưu 10:00:00 05/03/2026" in valid["message"]
    assert valid["message"].endswith("(Điều 6, khoản 1, điểm a).")
    assert valid["details"]["judged_at"]["ChuKyCaNhan"] == {
        "at": "2026-03-05T10:00:00+07:00", "source": "deposit"}
    personal = report["signatures"][0]
    assert personal["signed_at"] == "2016-05-02T09:00:00+07:00"      # still what it claims
    assert personal["trusted"] is False
    assert report["legal_status"] == "reference_only"
    assert valid["message"] in report["legal_status_reasons"]


def test_revoked_certificate_claiming_a_time_before_revocation_fails(check, pki):
    """The audit's second case: judged at its claimed 2015 moment the 2016
    CRL was "too recent" and revocation came out "not checked" (passing
    under soft-fail); judged at the deposit the CRL lists it."""
    report = check(signed_document(pki, personal="revoked", personal_time=BEFORE_REVOCATION,
                                   org_time=SIGNED_AT))
    revocation = by_code(report)["revocation"]
    assert revocation["passed"] is False and revocation["details"]["revoked"] == ["ChuKyCaNhan"]
    assert "Lê Văn Cường (thu hồi ngày 01/01/2016)" in revocation["message"]
    assert "trước ngày thu hồi, chỉ do người ký tự khai" in revocation["message"]
    assert "(Điều 6, khoản 1, điểm a)" in revocation["message"]
    assert report["signatures"][0]["revoked_at"] == "2016-01-01T07:00:00+07:00"
    assert report["legal_status"] == "reference_only"


def test_timestamped_old_signature_by_a_since_expired_certificate_passes(check, pki):
    """A token from the trusted TSA proves the 2016 signature was made while
    the certificate was valid: judged then, it still counts in 2026."""
    pdf = signed_document(pki, personal="expired", personal_time=OLD_CLAIM,
                          personal_timestamper=pki.timestamper(OLD_CLAIM), org_time=SIGNED_AT)
    report = check(pdf, signer="Trần Thị Bình")
    checks = by_code(report)
    assert checks["cert_valid_at_signing"]["passed"] is True
    assert checks["revocation"]["passed"] is True
    personal = report["signatures"][0]
    assert (personal["validated_at"], personal["validated_at_source"]) == (
        "2016-05-02T09:00:00+07:00", "timestamp")
    assert personal["signed_at_source"] == "timestamp" and personal["trusted"] is True
    assert report["legal_status"] == "equivalent_to_paper", report["legal_status_reasons"]


def test_timestamp_before_revocation_proves_the_signature_predates_it(check, pki):
    """With a proven moment, a later CRL still answers for it: revoked on
    1/1/2016, the certificate was good for a signature stamped in 2015."""
    pdf = signed_document(pki, personal="revoked", personal_time=BEFORE_REVOCATION,
                          personal_timestamper=pki.timestamper(BEFORE_REVOCATION),
                          org_time=SIGNED_AT)
    report = check(pdf)
    assert by_code(report)["revocation"]["passed"] is True
    assert report["signatures"][0]["revocation"] == "good"


def test_timestamp_after_revocation_is_caught(check, pki):
    stamped = datetime(2016, 6, 1, 9, 0, tzinfo=VN)
    pdf = signed_document(pki, personal="revoked", personal_time=stamped,
                          personal_timestamper=pki.timestamper(stamped), org_time=SIGNED_AT)
    assert by_code(check(pdf))["revocation"]["passed"] is False


def test_a_token_from_an_untrusted_tsa_does_not_move_the_moment(check, pki):
    """A timestamp from a TSA that is not under the configured roots is a
    claim like any other: the certificate is judged at the deposit."""
    pdf = signed_document(pki, personal="expired", personal_time=OLD_CLAIM,
                          personal_timestamper=pki.timestamper(OLD_CLAIM, who="rogue_tsa"),
                          org_time=SIGNED_AT)
    report = check(pdf)
    assert by_code(report)["cert_valid_at_signing"]["passed"] is False
    personal = report["signatures"][0]
    assert personal["validated_at_source"] == "deposit"
    assert personal["signed_at_source"] == "signing_time"


def test_current_certificate_is_judged_at_the_deposit(make_ctx, good_pdf):
    ctx = make_ctx(good_pdf)
    assert {(s.validated_at, s.validated_at_source) for s in ctx.signatures} == {
        (ctx.deposited_at, "deposit")}


def test_a_claim_outside_the_certificate_life_fails(check, pki):
    """Valid at the deposit, but claiming to have signed before the
    certificate existed (1/1/2015): the claim contradicts the certificate."""
    pdf = signed_document(pki, personal_time=datetime(2014, 6, 1, tzinfo=VN), org_time=SIGNED_AT)
    valid = by_code(check(pdf))["cert_valid_at_signing"]
    assert valid["passed"] is False
    assert "nằm ngoài thời hạn của chứng thư" in valid["message"]


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
