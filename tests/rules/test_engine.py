"""The engine end to end on real signed documents, and the legal status."""

from tests.rules.conftest import SIGNED_AT, by_code
from tests.support.pdfs import make_pdf
from tests.support.signing import signed_document


def test_correct_born_digital_document_is_equivalent_to_paper(check, good_pdf):
    report = check(good_pdf)
    failing = [c for c in report["checks"] if c["passed"] is False and c["severity"] != "flag"]
    assert failing == []
    assert report["legal_status"] == "equivalent_to_paper"
    assert report["rejections"] == []
    assert report["trust_roots"] and len(report["trust_roots"][0]["sha256"]) == 64
    roles = {s["field"]: s["role"] for s in report["signatures"]}
    assert roles == {"ChuKyCaNhan": "personal", "ChuKyToChuc": "organisation"}
    sig = report["signatures"][0]
    for key in ("field", "role", "signer", "signed_at", "intact", "trusted",
                "covers_whole_document", "certificate", "chain", "role_rule"):
        assert key in sig
    assert sig["signed_at"].endswith("+07:00")
    assert sig["certificate"]["uid"] == ["CCCD:001080012345"]
    assert len(sig["chain"]) == 3


def test_missing_organisation_signature_is_reference_only_with_reason(check, pki):
    report = check(signed_document(pki, with_organisation=False, org_time=SIGNED_AT))
    assert report["legal_status"] == "reference_only"
    assert by_code(report)["organisation_signature"]["passed"] is False
    assert any("thiếu chữ ký số của tổ chức" in m for m in report["legal_status_reasons"])


def test_unsigned_pdf_is_kept_as_reference_only(check):
    report = check(make_pdf())
    assert report["rejections"] == []
    assert report["legal_status"] == "reference_only"
    assert by_code(report)["has_signature"]["passed"] is False


def test_tampered_document_is_rejected(check, good_pdf):
    tampered = bytearray(good_pdf)
    index = tampered.find(b"stream", 2000)
    tampered[index + 20] ^= 0x01                     # one bit inside signed bytes
    report = check(bytes(tampered))
    assert report["rejections"], report["checks"]
    assert report["rejections"][0]["code"] == "signatures_intact"
    assert "ChuKyCaNhan" in report["rejections"][0]["details"]["fields"]


def test_state_secret_and_non_pdf_are_rejected(check, good_pdf):
    secret = check(good_pdf, confidentiality="Tuyệt mật")
    assert [c["code"] for c in secret["rejections"]] == ["not_state_secret"]
    broken = check(b"%PDF-1.7\nnot really a pdf")
    assert [c["code"] for c in broken["rejections"]] == ["pdf_readable"]
    assert broken["legal_status"] == "reference_only"


def test_a_rule_that_crashes_is_reported_not_fatal(check, good_pdf, monkeypatch):
    from archive_repo.rules import engine, pdf_format
    from archive_repo.rules.model import article

    @article("6.1c")
    def explode(ctx):
        raise RuntimeError("boom")
    monkeypatch.setattr(engine, "RULE_TABLES", engine.RULE_TABLES + [[explode]])
    report = check(good_pdf)
    crashed = by_code(report)["explode"]
    assert crashed["passed"] is False and crashed["severity"] == "status"
    assert crashed["article"] == "6.1c"                # the rule's own, not "?"
    assert "boom" in crashed["message"] and "(Điều 6, khoản 1, điểm c)" in crashed["message"]
    assert report["legal_status"] == "reference_only"
    assert pdf_format.RULES        # the real tables are untouched


def test_a_real_rule_that_crashes_keeps_its_article(check, good_pdf, monkeypatch):
    from archive_repo.rules import engine, trust

    def broken(ctx):
        raise ValueError("hỏng")
    broken.__name__, broken.article = "revocation", trust.revocation.article
    tables = [[broken if rule is trust.revocation else rule for rule in table]
              for table in engine.RULE_TABLES]
    monkeypatch.setattr(engine, "RULE_TABLES", tables)
    assert by_code(check(good_pdf))["revocation"]["article"] == "6.1a"


def test_every_rule_names_its_article():
    from archive_repo.rules import engine
    from archive_repo.rules.model import ARTICLE
    rules = [rule for table in engine.RULE_TABLES for rule in table]
    assert len(rules) == 28
    assert {rule.__name__: bool(ARTICLE.match(getattr(rule, "article", "?")))
            for rule in rules} == {rule.__name__: True for rule in rules}


CONTRACT_CHECK = {"code", "article", "passed", "message"}
CERTIFICATE = {"subject", "issuer", "serial", "not_before", "not_after", "sha256"}


def test_every_check_and_signature_carries_the_contract_fields(check, pki, urgent_pdf):
    """Every check of every rule table has the contract's four keys (with
    a Vietnamese message that names its article when it fails), and every
    signature its certificate — issuer, serial, validity — and chain."""
    from datetime import datetime
    report = check(urgent_pdf, urgency="Khẩn", subject="Quyết định bổ nhiệm cán bộ",
                   doctype="QĐ", deposited_at=datetime(2026, 3, 9, 15, 0, tzinfo=SIGNED_AT.tzinfo))
    assert len(report["checks"]) >= 23
    for c in report["checks"]:
        assert CONTRACT_CHECK <= set(c), c
        assert isinstance(c["code"], str) and c["article"] and c["passed"] in (True, False, None)
        assert isinstance(c["message"], str) and c["message"]
        if c["passed"] is False:
            assert "Điều " in c["message"], c
    assert [c for c in report["checks"] if c["passed"] is False]    # some did fail
    assert len(report["signatures"]) == 3
    for sig in report["signatures"]:
        cert = sig["certificate"]
        assert CERTIFICATE <= set(cert) and cert["issuer"] and cert["serial"]
        assert cert["not_before"] < cert["not_after"]
        assert [c["common_name"] for c in sig["chain"]][:2] == [
            "TEST Co quan chung thuc so chuyen dung Chinh phu (RootCA)",
            "TEST Co quan chung thuc so Chinh phu"]
        assert sig["chain"][-1]["serial"] == cert["serial"]
        assert sig["validated_at"].endswith("+07:00")


def test_report_is_plain_json(check, good_pdf):
    import json
    report = check(good_pdf, urgency=None)
    assert json.loads(json.dumps(report)) == report
    assert report["made_at"].endswith("+07:00")
    assert report["flags"]["priority"] is False


def test_truncated_document_is_rejected(check, good_pdf):
    report = check(good_pdf[: len(good_pdf) - 40])
    assert [c["code"] for c in report["rejections"]] == ["pdf_readable"]
    assert "%%EOF" in report["rejections"][0]["message"]


def _encrypted(user):
    import io

    import pikepdf
    pdf = pikepdf.open(io.BytesIO(make_pdf()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="chu-so-huu", user=user, R=6))
    return out.getvalue()


def test_password_protected_pdf_is_rejected(check):
    report = check(_encrypted(user="mat-khau"))
    assert [c["code"] for c in report["rejections"]] == ["pdf_readable"]
    assert "mật khẩu" in report["rejections"][0]["message"]


def test_permissions_only_encryption_is_read_and_said(check):
    readable = by_code(check(_encrypted(user="")))["pdf_readable"]
    assert readable["passed"] is True and readable["details"]["encrypted"] is True
    assert "giới hạn quyền" in readable["message"]


def test_state_secret_is_refused_unread(check):
    report = check(b"not even a PDF", confidentiality="TỐI MẬT")
    assert [c["code"] for c in report["checks"]] == ["not_state_secret"]
    assert report["rejections"][0]["details"] == {"confidentiality": "Tối mật"}
