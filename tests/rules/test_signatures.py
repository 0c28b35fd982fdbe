"""What ``signatures.read_signatures`` learns from real PDFs signed by pyHanko
with the test PKI, and from pyHanko's own test files (MIT licence, see
../shared/corpora/pyhanko/LICENSE; read in place, never copied)."""
import shutil
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives import hashes

from archive_repo import timeutil
from archive_repo.rules import signatures
from archive_repo.rules.model import Context, RulePolicy
from tests.conftest import CORPORA
from tests.rules.conftest import SIGNED_AT
from tests.support.pdfs import make_pdf
from tests.support.signing import (PERSONAL_BOX, VN, make_image_png, sign, signed_document,
                                   top_right_box)

FRIDAY_16H = datetime(2019, 3, 8, 16, 0, tzinfo=VN)
PYHANKO = CORPORA / "pyhanko" / "pdf"


def _one(pki, make_ctx, **kw):
    pdf = sign(make_pdf(), pki.signer("personal"), "ChuKy", box=(50, 50, 200, 100),
               image=make_image_png("signature"), signing_time=FRIDAY_16H, **kw)
    return make_ctx(pdf).signatures[0]


def test_facts_of_a_correct_born_digital_document(make_ctx, good_pdf, pki):
    personal, org = make_ctx(good_pdf).signatures
    assert (personal.field, personal.signer) == ("ChuKyCaNhan", "Nguyễn Văn An")
    assert (org.field, org.signer) == ("ChuKyToChuc", "Sở Thông tin và Truyền thông")
    assert personal.signed_at == SIGNED_AT - timedelta(minutes=30)
    assert org.signed_at == SIGNED_AT and org.signed_at_source == "signing_time"
    for sig in (personal, org):
        assert (sig.intact, sig.valid, sig.trusted, sig.revocation) == (True, True, True, "good")
    # the first signature is followed by the second: covered revision only
    assert (personal.revision, org.revision) == (1, 2)
    assert personal.coverage == "ENTIRE_REVISION" and not personal.covers_whole_document
    assert org.covers_whole_document and org.modification_level == "NONE"
    assert personal.modification_level == "FORM_FILLING"
    assert personal.page == 0 and personal.rect == [float(v) for v in PERSONAL_BOX]


def test_certificate_and_chain_are_recorded(make_ctx, good_pdf, pki):
    personal = make_ctx(good_pdf).signatures[0]
    cert = personal.certificate
    assert cert["uid"] == ["CCCD:001080012345"]
    assert "UID" not in cert["subject"]       # printed as "User ID": match the OID
    assert set(cert["key_usage"]) == {"digital_signature", "non_repudiation"}
    assert cert["serial"] == format(pki.personal.cert.serial_number, "x")
    assert cert["not_before"].startswith("2015-01-01")
    assert personal.chain[0]["sha256"] == pki.root.cert.fingerprint(hashes.SHA256()).hex()
    assert [c["common_name"] for c in personal.chain][1:] == [
        "TEST Co quan chung thuc so Chinh phu", "Nguyễn Văn An"]


def test_claimed_signing_time_friday_afternoon(pki, make_ctx):
    sig = _one(pki, make_ctx)
    assert timeutil.isoformat(sig.signed_at) == "2019-03-08T16:00:00+07:00"
    assert sig.signed_at_source == "signing_time"


def test_signing_time_from_a_timestamp_token_wins(pki, make_ctx):
    stamped = FRIDAY_16H + timedelta(minutes=5)
    sig = _one(pki, make_ctx, timestamper=pki.timestamper(stamped))
    assert sig.signed_at == stamped and sig.signed_at_source == "timestamp"


def test_without_signing_time_attribute_the_M_entry_is_used(pki, make_ctx):
    sig = _one(pki, make_ctx, pades=True)      # PAdES drops signingTime
    assert sig.signed_at == FRIDAY_16H and sig.signed_at_source == "pdf_M"


def test_revisions_say_what_each_update_changed(make_ctx, good_pdf):
    revisions = make_ctx(good_pdf).facts["revisions"]
    assert [r["signs"] for r in revisions] == [None, "ChuKyCaNhan", "ChuKyToChuc"]
    assert "modification_level" not in revisions[1]       # nothing signed before it
    assert revisions[2]["modification_level"] == "FORM_FILLING"
    assert revisions[2]["changed_fields"] == ["ChuKyToChuc"]
    assert revisions[2]["problem"] is None


def test_commercial_signer_has_no_chain_to_the_configured_roots(make_ctx, pki):
    ctx = make_ctx(signed_document(pki, organisation="commercial", org_time=SIGNED_AT))
    org = ctx.signatures[1]
    assert org.intact and org.valid            # the maths is fine ...
    assert org.trusted is False and org.chain == []      # ... the root is not ours
    assert "NO_CERTIFICATE_CHAIN_FOUND" in org.trust_detail


def test_widget_place_and_page_size(make_ctx, digitized_pdf):
    org = make_ctx(digitized_pdf, digitized=True).signatures[0]
    assert org.rect == [float(round(v)) for v in top_right_box(make_pdf())] and org.page == 0
    width, height = org.appearance["page_size"]
    assert round(width) == 595 and round(height) == 842
    assert org.appearance["images"] == 1                   # the seal PNG


def test_invisible_signature_has_no_place(pki, make_ctx):
    pdf = sign(make_pdf(), pki.signer("organisation"), "Hidden", signing_time=FRIDAY_16H)
    sig = make_ctx(pdf).signatures[0]
    assert (sig.page, sig.rect, sig.appearance) == (None, None, {})
    assert sig.role == "organisation" and sig.intact


def test_trust_roots_and_crls_are_loaded_once(tmp_path, pki, good_pdf, make_ctx):
    roots = tmp_path / "roots"
    shutil.copytree(pki.trust_roots_dir, roots)
    policy = RulePolicy(trust_roots_dir=str(roots), crl_dir=pki.crl_dir)
    assert make_ctx(good_pdf, policy=policy).signatures[0].trusted
    assert len(policy.cache["trust"][0]) == 1 and len(policy.cache["trust"][1]) == 1
    shutil.rmtree(roots)                       # later documents use the cache
    assert make_ctx(good_pdf, policy=policy).signatures[0].trusted


def test_document_timestamp_is_its_own_kind(rule_policy):
    """pyHanko's PAdES-LTA sample: a signature plus a document timestamp."""
    ctx = Context(path=str(PYHANKO / "pades-lta-dss-indirect-arrs-test.pdf"), metadata={},
                  deposited_at=SIGNED_AT, policy=rule_policy)
    sigs = signatures.read_signatures(ctx)
    assert [s.role for s in sigs] == ["unknown", "timestamp"]
    assert sigs[1].signed_at_source == "timestamp" and sigs[1].intact


@pytest.mark.parametrize("name", ["minimal-aes256.pdf", "minimal-pubkey-aes256.pdf",
                                  "minimal-with-field-pubkey-rc4.pdf",
                                  "malformed-encrypt-dict1.pdf", "minimal-startxref-hopeless.pdf"])
def test_encrypted_or_broken_pdfs_record_a_problem(name, rule_policy):
    ctx = Context(path=str(PYHANKO / name), metadata={}, deposited_at=SIGNED_AT,
                  policy=rule_policy)
    assert signatures.read_signatures(ctx) == []
    assert ctx.facts["signature_problems"] and ctx.facts["revisions"] == []


def test_not_a_pdf_at_all(tmp_path, rule_policy):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.7\nnot really a pdf")
    ctx = Context(path=str(path), metadata={}, deposited_at=SIGNED_AT, policy=rule_policy)
    assert signatures.read_signatures(ctx) == []
    assert "Không đọc được" in ctx.facts["signature_problems"][0]


def _embedded(pdf):
    import io
    from pyhanko.pdf_utils.reader import PdfFileReader
    return PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]


@pytest.mark.parametrize("tsa,verified", [("tsa", True), ("rogue_tsa", False)])
def test_only_a_verified_token_gives_a_time(pki, rule_policy, tsa, verified):
    """``claimed_time`` is the signer's own claim, token or not; a token's
    time counts only once verified against the configured roots."""
    token_time = FRIDAY_16H - timedelta(days=3 * 365)
    pdf = sign(make_pdf(), pki.signer("personal"), "ChuKy", signing_time=FRIDAY_16H,
               timestamper=pki.timestamper(token_time, who=tsa))
    sig = _embedded(pdf)
    assert signatures.claimed_time(sig) == (FRIDAY_16H, "signing_time")
    deposit = FRIDAY_16H + timedelta(hours=1)
    when = signatures.validation_moment(sig, rule_policy, ([], [], []), deposit)
    assert (when.at, when.source) == ((token_time, "timestamp") if verified
                                      else (deposit, "deposit"))
