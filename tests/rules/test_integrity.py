"""Art. 7.1a on pyHanko's own public test PDFs (MIT licence, see
../shared/corpora/pyhanko/LICENSE): tampered "sneaky" incremental updates,
byte-range anomalies, legitimate form filling and double signatures."""
import shutil
from datetime import datetime, timezone

import pytest

from archive_repo.rules import evaluate, policy_from_settings
from tests.conftest import CORPORA
from tests.rules.conftest import SIGNED_AT, by_code
from tests.support.pdfs import make_pdf
from tests.support.signing import signed_document

PDFS = CORPORA / "pyhanko" / "pdf"
NOW = datetime(2026, 11, 25, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def corpus_policy(tmp_path_factory):
    roots = tmp_path_factory.mktemp("pyhanko-roots")
    shutil.copy(CORPORA / "pyhanko" / "crypto" / "testing-ca" / "ca-chain.cert.pem", roots)
    return policy_from_settings({"archive_repo.trust_roots": str(roots)})


def run(name, policy):
    return evaluate(str(PDFS / name), {"receivers": []}, NOW, policy)


SNEAKY = ["form-update-ap-indirect-sneaky-trailer.pdf",
          "form-update-override-appearance-stream-sneaky.pdf",
          "form-update-override-appearance-stream-ap-indirect-sneaky.pdf",
          "form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf",
          "extensions-indirect-not-all-paths.pdf"]
ANOMALIES = ["coverage-anomalies/one-byterange.pdf", "coverage-anomalies/tail-uncovered.pdf",
             "coverage-anomalies/weird-byterange.pdf",
             "coverage-anomalies/signature-gap-too-big.pdf"]
ALLOWED = ["form-update-override-appearance-stream.pdf",
           "form-update-no-override-appearance-stream-ap-indirect.pdf",
           "minimal-signed-twice-both-created.pdf", "minimal-two-fields-signed-twice.pdf",
           "separate-annots-kids-indir.pdf"]


@pytest.mark.parametrize("name", SNEAKY + ANOMALIES)
def test_changes_after_signing_are_rejected_although_intact(name, corpus_policy):
    report = run(name, corpus_policy)
    check = by_code(report)["no_modification_after_signing"]
    assert check["passed"] is False and check["severity"] == "reject"
    codes = [c["code"] for c in report["rejections"]]
    assert codes[0] == "no_modification_after_signing"
    # a byte range that leaves bytes out is also a structural anomaly
    # and a sneaky update changes what the page shows
    assert set(codes[1:]) <= ({"signatures_accounted", "no_trailing_bytes"}
                              if name in ANOMALIES else {"signed_view_unchanged"})
    # the statement says which signature / revision changed what
    assert "phiên bản" in check["message"]
    changed = check["details"]["signatures"][0]
    if name in SNEAKY:      # the difference analysis names the later revision
        assert changed["changed_in"] and all(
            r["revision"] > changed["revision"] for r in changed["changed_in"])
    else:                   # byte-range anomalies: coverage, not a later revision
        assert changed["coverage"] not in ("ENTIRE_REVISION", "ENTIRE_FILE")


@pytest.mark.parametrize("name", SNEAKY)
def test_sneaky_updates_keep_signatures_cryptographically_intact(name, corpus_policy):
    report = run(name, corpus_policy)
    assert all(s["intact"] for s in report["signatures"])
    assert by_code(report)["signatures_intact"]["passed"] is True


@pytest.mark.parametrize("name", ALLOWED)
def test_permitted_updates_are_accepted(name, corpus_policy):
    report = run(name, corpus_policy)
    assert report["rejections"] == []
    levels = {s["modification_level"] for s in report["signatures"]}
    assert levels <= {"NONE", "FORM_FILLING"}


@pytest.mark.parametrize("name", ["malformed-encrypt-dict1.pdf", "circular-page-tree.pdf",
                                  "broken-objstream1.pdf", "minimal-aes256.pdf"])
def test_unreadable_or_locked_pdfs_are_rejected(name, corpus_policy):
    report = run(name, corpus_policy)
    assert [c["code"] for c in report["rejections"]] == ["pdf_readable"]


LTA = "pades-lta-dss-indirect-arrs-test.pdf"


def test_pades_lta_uses_embedded_revocation_data(corpus_policy):
    """Deposited while the DSS's CRLs were current (they run to 11/12/2020):
    the signature timestamp verifies, the signer (whose certificate ran to
    2022) is judged at its time, revocation answered offline by the DSS."""
    report = evaluate(str(PDFS / LTA), {"receivers": []},
                      datetime(2020, 12, 1, tzinfo=timezone.utc), corpus_policy)
    assert report["rejections"] == []
    signer = [s for s in report["signatures"] if s["role"] != "timestamp"][0]
    assert signer["revocation"] == "good"          # from the PDF's DSS, offline
    assert signer["validated_at_source"] == "timestamp"
    assert by_code(report)["cert_valid_at_signing"]["passed"] is True
    assert any(s["role"] == "timestamp" for s in report["signatures"])


def test_pades_lta_deposited_after_its_revocation_data_lapsed(corpus_policy):
    """In 2026 the TSA's CRL in the DSS is stale, so its token proves no
    time; the signer is judged at the deposit, when its certificate had
    expired.  (Document timestamps are not yet used as proof of existence
    for older revocation data — PAdES-LTA's long-term chain.)"""
    report = run(LTA, corpus_policy)
    assert report["rejections"] == []
    signer = [s for s in report["signatures"] if s["role"] != "timestamp"][0]
    assert signer["validated_at_source"] == "deposit"
    assert signer["signed_at_source"] == "pdf_M"
    assert by_code(report)["cert_valid_at_signing"]["passed"] is False


def test_page_added_after_signing_is_caught(check, pki, good_pdf):
    """A page appended in an incremental update: every signature stays
    intact, the difference analysis catches it."""
    import io
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    writer = IncrementalPdfFileWriter(io.BytesIO(good_pdf))
    page = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject(
            [generic.NumberObject(0), generic.NumberObject(0),
             generic.NumberObject(595), generic.NumberObject(842)]),
    })
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    report = check(out.getvalue())
    assert all(s["intact"] for s in report["signatures"])
    assert by_code(report)["no_modification_after_signing"]["passed"] is False
    assert report["rejections"]


TWICE = ["minimal-signed-twice-both-created.pdf", "minimal-signed-twice-second-created.pdf",
         "minimal-signed-twice-no-sig-type.pdf"]


@pytest.mark.parametrize("name", TWICE)
def test_signed_twice_is_a_permitted_update(name, corpus_policy):
    from archive_repo.rules import integrity
    from archive_repo.rules.model import Context
    from archive_repo.rules.roles import classify
    from archive_repo.rules.signatures import read_signatures
    ctx = Context(path=str(PDFS / name), metadata={}, deposited_at=NOW, policy=corpus_policy)
    ctx.signatures = classify(read_signatures(ctx), corpus_policy)
    assert [s.modification_level for s in ctx.signatures] == ["FORM_FILLING", "NONE"]
    assert [rule(ctx).passed for rule in integrity.RULES] == [True, True, True]
    assert ctx.facts["revisions"][-1]["changed_fields"]         # the second signature


def test_unsigned_pdf_is_kept_for_reference_only(make_ctx):
    from archive_repo.rules import integrity
    from tests.support.pdfs import make_pdf
    ctx = make_ctx(make_pdf())
    checks = [rule(ctx) for rule in integrity.RULES]
    assert [(c.code, c.passed, c.severity) for c in checks] == [
        ("signatures_intact", None, "reject"), ("no_modification_after_signing", None, "reject"),
        ("has_signature", False, "status")]
    assert "Điều 4, khoản 2" in checks[2].message


def test_flipped_bit_breaks_the_signature(make_ctx, good_pdf):
    from archive_repo.rules import integrity
    tampered = bytearray(good_pdf)
    tampered[tampered.find(b"stream", 2000) + 20] ^= 0x01
    ctx = make_ctx(bytes(tampered))
    check = integrity.signatures_intact(ctx)
    assert check.passed is False and check.severity == "reject"
    assert check.details["fields"][0] == "ChuKyCaNhan"
    assert integrity.signatures_intact(make_ctx(good_pdf)).passed is True


def test_page_added_after_signing_names_the_revision(make_ctx, good_pdf):
    import io
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from archive_repo.rules import integrity
    writer = IncrementalPdfFileWriter(io.BytesIO(good_pdf))
    writer.insert_page(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject(
            [generic.NumberObject(v) for v in (0, 0, 595, 842)])}))
    out = io.BytesIO()
    writer.write(out)
    ctx = make_ctx(out.getvalue())
    assert integrity.signatures_intact(ctx).passed is True        # intact ...
    check = integrity.no_modification_after_signing(ctx)
    assert check.passed is False                                   # ... but changed
    assert {s["field"] for s in check.details["signatures"]} == {"ChuKyCaNhan", "ChuKyToChuc"}
    assert [r["revision"] for r in check.details["signatures"][1]["changed_in"]] == [3]
    assert "phiên bản 3" in check.message and ctx.facts["revisions"][3]["signs"] is None


def test_page_removed_after_signing_is_rejected(check, pki):
    """The mirror of an added page: the second page taken out of the page
    tree in an incremental update; both signatures stay intact."""
    from tests.support.pdfs import make_pdf, remove_page_incrementally
    signed = signed_document(pki, org_time=SIGNED_AT, pdf=make_pdf(pages=2))
    report = check(remove_page_incrementally(signed))
    assert all(s["intact"] for s in report["signatures"])
    check_ = by_code(report)["no_modification_after_signing"]
    assert check_["passed"] is False and check_["severity"] == "reject"
    assert [c["code"] for c in report["rejections"]] == ["no_modification_after_signing"]
    changed = {d["field"]: d for d in check_["details"]["signatures"]}
    assert set(changed) == {"ChuKyCaNhan", "ChuKyToChuc"}
    assert [r["revision"] for r in changed["ChuKyToChuc"]["changed_in"]] == [3]
    assert "phiên bản 3" in check_["message"]


# -- DocMDP: what a certification signature permits ---------------------------------

def _certified_then_signed(pki, permission):
    """Two prepared fields; the organisation certifies in the first with
    ``permission``, then a second signature fills the other — pyHanko itself
    refuses to sign under NO_CHANGES, so the helper ignores the lock as a
    careless tool would."""
    from tests.support.signing import add_signature_fields, sign
    prepared = add_signature_fields(make_pdf(), {"ChungThuc": (350, 100, 450, 200),
                                                 "ChuKyThem": (100, 100, 200, 200)})
    certified = sign(prepared, pki.signer("organisation"), "ChungThuc", certify=permission,
                     signing_time=SIGNED_AT)
    return sign(certified, pki.signer("personal"), "ChuKyThem", ignore_locks=True,
                signing_time=SIGNED_AT)


def test_signature_after_a_no_changes_certification_is_rejected(check, pki):
    report = check(_certified_then_signed(pki, "NO_CHANGES"))
    certification = report["signatures"][0]
    # pyHanko's level is one PDF permits; only the DocMDP verdict says no
    assert (certification["field"], certification["modification_level"]) == (
        "ChungThuc", "FORM_FILLING")
    assert (certification["docmdp"], certification["docmdp_ok"]) == ("NO_CHANGES", False)
    check_ = by_code(report)["no_modification_after_signing"]
    assert check_["passed"] is False and check_["severity"] == "reject"
    [detail] = check_["details"]["signatures"]
    assert (detail["field"], detail["docmdp"], detail["docmdp_ok"]) == (
        "ChungThuc", "NO_CHANGES", False)
    assert [r["revision"] for r in detail["changed_in"]] == [3]
    assert "chữ ký chứng thực ChungThuc (phiên bản 2) không cho phép bất kỳ thay đổi nào" \
        in check_["message"]
    assert "phiên bản 3: thêm chữ ký số ChuKyThem" in check_["message"]
    assert "DocMDP NO_CHANGES" in check_["message"]
    assert [c["code"] for c in report["rejections"]] == ["no_modification_after_signing"]


def test_signature_after_a_fill_forms_certification_is_permitted(check, pki):
    report = check(_certified_then_signed(pki, "FILL_FORMS"))
    certification = report["signatures"][0]
    assert (certification["docmdp"], certification["docmdp_ok"]) == ("FILL_FORMS", True)
    assert by_code(report)["no_modification_after_signing"]["passed"] is True
    assert report["rejections"] == []
