"""Attacks on signed PDFs made from the test PKI (tests/support/attacks.py),
and the long-term signatures an archive must keep: each bad file refused,
naming the rule (and the revision or byte), each good one intact."""
from datetime import timedelta

import pytest

from tests.rules.conftest import SIGNED_AT, by_code
from tests.support import attacks
from tests.support.signing import add_signature_fields, sign, signed_document


@pytest.fixture(scope="module")
def good(pki):
    return signed_document(pki, org_time=SIGNED_AT)


@pytest.fixture(scope="module")
def stamped(pki):
    """B-T: the organisation signature carries a token from the test TSA."""
    return signed_document(pki, org_time=SIGNED_AT, org_timestamper=pki.timestamper(SIGNED_AT))


@pytest.fixture(scope="module")
def signed_form(pki):
    return signed_document(pki, org_time=SIGNED_AT, pdf=attacks.form_document())


def rejected(report):
    return [c["code"] for c in report["rejections"]]


# -- (1) every signature accounted for, nothing after the signed end -------------

def test_a_subfilter_flip_does_not_make_a_signature_vanish(check, good):
    report = check(attacks.subfilter_flip(good))
    assert "signatures_accounted" in rejected(report)
    accounted = by_code(report)["signatures_accounted"]
    assert accounted["details"]["dictionaries"] == 2 and accounted["details"]["validated"] == 1
    assert "SubFilter" in accounted["message"]


def test_a_fields_flip_does_not_make_a_signed_file_unsigned(check, good):
    report = check(attacks.fields_flip(good))
    assert report["signatures"] == []
    assert rejected(report) == ["signatures_accounted"]
    assert len(by_code(report)["signatures_accounted"]["details"]["byte_ranges"]) == 2


def test_bytes_after_the_signed_end_are_refused(check, good):
    report = check(attacks.trailing_script(good))
    assert rejected(report) == ["no_trailing_bytes"]
    trailing = by_code(report)["no_trailing_bytes"]
    assert trailing["details"]["offset"] == len(good) + 1
    assert "<script>" in trailing["details"]["preview"]


@pytest.mark.parametrize("attack, problem", [
    (attacks.usf_no_byterange, "thiếu /ByteRange"),
    (attacks.usf_zero_contents, "không được đọc"),
    (attacks.usf_byterange_out_of_file, "vượt quá cuối tệp"),
])
def test_universal_signature_forgery_is_refused(check, good, attack, problem):
    report = check(attack(good))
    assert "signatures_accounted" in rejected(report)
    assert problem in by_code(report)["signatures_accounted"]["message"]
    assert report["legal_status"] == "reference_only"


def test_signature_wrapping_is_refused(check, good):
    report = check(attacks.signature_wrapping(good))
    assert {"signatures_intact", "signatures_accounted"} <= set(rejected(report))
    assert "khoảng trống" in by_code(report)["signatures_accounted"]["message"]


def test_incremental_saving_attack_is_refused_naming_the_revision(check, good):
    report = check(attacks.incremental_saving(good))
    assert rejected(report) == ["no_modification_after_signing", "signed_view_unchanged"]
    changed = by_code(report)["no_modification_after_signing"]["details"]["signatures"]
    assert {r["revision"] for s in changed for r in s["changed_in"]} == {3}


def test_a_well_formed_later_revision_is_not_trailing_bytes(check, good):
    report = check(good)
    trailing = by_code(report)["no_trailing_bytes"]
    assert trailing["passed"] is True and trailing["details"]["signed_end"] == len(good)
    assert by_code(report)["signatures_accounted"]["passed"] is True


# -- long-term signatures are kept -----------------------------------------------

def test_b_t_signature_is_intact(check, stamped):
    report = check(stamped)
    assert rejected(report) == [] and report["legal_status"] == "equivalent_to_paper"


def test_b_lt_dss_added_later_is_allowed(check, pki, stamped):
    report = check(attacks.long_term(pki, stamped))
    assert rejected(report) == [] and report["legal_status"] == "equivalent_to_paper"
    assert by_code(report)["signatures_accounted"]["details"]["validated"] == 2


def test_b_lta_document_timestamp_is_allowed_and_listed(check, pki, stamped):
    report = check(attacks.long_term(pki, stamped, archive_timestamp=True,
                                     at=SIGNED_AT + timedelta(minutes=5)))
    assert rejected(report) == [] and report["legal_status"] == "equivalent_to_paper"
    assert [s["role"] for s in report["signatures"]].count("timestamp") == 1
    assert by_code(report)["signatures_accounted"]["details"]["validated"] == 3


# -- (2) what later revisions changed, judged revision by revision -----------------

def changes(report):
    """{revision: (change, allowed)} of the judgement's later revisions."""
    check = by_code(report)["no_modification_after_signing"]
    return {r["revision"]: (r["change"], r["allowed"])
            for s in check["details"]["judgement"] for r in s["later"]}


def test_a_second_signature_added_later_is_allowed(check, good):
    report = check(good)
    assert changes(report) == {2: ("signature", True)}
    judgement = by_code(report)["no_modification_after_signing"]["details"]["judgement"]
    assert [(s["field"], s["signs_revision"]) for s in judgement] == [
        ("ChuKyCaNhan", 1), ("ChuKyToChuc", 2)]


def test_b_lta_revisions_are_classified(check, pki, stamped):
    report = check(attacks.long_term(pki, stamped, archive_timestamp=True,
                                     at=SIGNED_AT + timedelta(minutes=5)))
    found = changes(report)
    assert set(found.values()) == {("signature", True), ("dss", True),
                                   ("document_timestamp", True)}
    assert report["timestamps"] and report["timestamps"][0]["intact"] is True


def test_a_certification_permitting_form_filling_allows_a_later_fill(check, pki):
    # the certified form carries the empty field its later signer fills: a
    # new visible field after certification would be a new annotation
    form = add_signature_fields(attacks.form_document(), {"ChuKyCaNhan": (450, 100, 550, 200)})
    certified = sign(form, pki.signer("organisation"), "ChuKyToChuc", box=(350, 100, 450, 200),
                     signing_time=SIGNED_AT, certify="FILL_FORMS")
    filled = attacks.fill_field(certified, "2.000.000 dong")
    report = check(sign(filled, pki.signer("personal"), "ChuKyCaNhan",
                        signing_time=SIGNED_AT + timedelta(minutes=5)))
    assert rejected(report) == []
    assert sorted(changes(report).values()) == [("form_fill", True), ("signature", True)]


@pytest.mark.parametrize("attack, change", [
    (attacks.shadow_replace, "form_values"),
    (attacks.shadow_replace_in_object_stream, "form_values"),
    (attacks.shadow_hide, "form_values"),
    (attacks.shadow_hide_and_replace, "other"),
])
def test_shadow_attacks_are_refused_naming_the_revision(check, signed_form, attack, change):
    report = check(attack(signed_form))
    # refused twice over: by what the objects say and by what the page shows
    assert rejected(report) == ["no_modification_after_signing", "signed_view_unchanged"]
    assert changes(report)[4] == (change, False)
    message = by_code(report)["no_modification_after_signing"]["message"]
    assert "phiên bản 4" in message
    if change == "form_values":
        assert "SoTien" in message


def test_the_signed_form_itself_is_intact(check, signed_form):
    report = check(signed_form)
    assert rejected(report) == [] and changes(report) == {3: ("signature", True)}
