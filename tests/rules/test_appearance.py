"""Art. 9.1a, 9.2c, 8.1b/9.3b, 6.4b: the colours of the signature images and
where the seal sits, read from real pyHanko signature appearances."""
from dataclasses import replace

import pytest

from archive_repo.rules import appearance
from tests.rules.conftest import SIGNED_AT
from tests.support.signing import BLUE, PERSONAL_BOX, RED, signed_document

PX1, PY1, PX2, PY2 = PERSONAL_BOX
WIDTH = PX2 - PX1


def _checks(ctx):
    return {rule.__name__: rule(ctx) for rule in appearance.RULES}


def test_correct_born_digital_document_passes(make_ctx, good_pdf):
    checks = _checks(make_ctx(good_pdf))
    assert [checks[n].passed for n in ("personal_image_blue", "organisation_seal_red",
                                       "organisation_seal_position")] == [True, True, True]
    assert checks["urgency_stamp_red"].passed is None          # not an urgent document
    assert all(c.severity == "status" for c in checks.values())
    measured = checks["personal_image_blue"].details["measured"]["ChuKyCaNhan"]
    assert abs(measured["hue"] - 230) < 10 and measured["share"] > 0.9
    assert "± 27°" in checks["personal_image_blue"].message     # the tolerance is stated
    assert abs(checks["organisation_seal_position"].details["overlap_fraction"] - 1 / 3) < 0.02


def test_red_personal_signature_fails(make_ctx, pki):
    ctx = make_ctx(signed_document(pki, personal_colour=RED, org_time=SIGNED_AT))
    check = appearance.personal_image_blue(ctx)
    assert check.passed is False and check.details["fields"] == ["ChuKyCaNhan"]
    assert "màu xanh" in check.message and "Điều 9, khoản 1, điểm a" in check.message


def test_personal_signature_without_image_fails(make_ctx, pki):
    ctx = make_ctx(signed_document(pki, personal_image=None, org_time=SIGNED_AT))
    check = appearance.personal_image_blue(ctx)
    assert check.passed is False and check.details["measured"] == {"ChuKyCaNhan": None}


def test_blue_seal_fails(make_ctx, pki):
    ctx = make_ctx(signed_document(pki, seal_colour=BLUE, org_time=SIGNED_AT))
    check = appearance.organisation_seal_red(ctx)
    assert check.passed is False and check.article == "9.2c"


@pytest.mark.parametrize("seal_box,why", [
    ((PX1 + WIDTH / 3, 100, PX1 + WIDTH / 3 + 100, 200), "right of the left third"),
    ((PX1 - 40, 100, PX1 + WIDTH * 2 / 3, 200), "covers two thirds"),
    ((60, 100, 160, 200), "nowhere near the signature"),
    ((PX2 - WIDTH / 3, 100, PX2 - WIDTH / 3 + 100, 200), "on the right third"),
])
def test_misplaced_seal_fails(make_ctx, pki, seal_box, why):
    ctx = make_ctx(signed_document(pki, seal_box=seal_box, org_time=SIGNED_AT))
    check = appearance.organisation_seal_position(ctx)
    assert check.passed is False, why
    assert "dung sai ±15%" in check.message


def test_tolerance_is_the_policy_setting(make_ctx, pki, rule_policy):
    """A seal over 45 % of the signature: outside ±5 %, inside ±15 %."""
    box = (PX1 + WIDTH * 0.45 - 100, 100, PX1 + WIDTH * 0.45, 200)
    pdf = signed_document(pki, seal_box=box, org_time=SIGNED_AT)
    strict = replace(rule_policy, appearance_tolerance=0.05, cache={})
    assert appearance.organisation_seal_position(make_ctx(pdf, policy=strict)).passed is False
    assert appearance.organisation_seal_position(make_ctx(pdf)).passed is True


def test_digitized_seal_top_right_of_page_one(make_ctx, digitized_pdf):
    ctx = make_ctx(digitized_pdf, digitized=True)
    checks = _checks(ctx)
    assert checks["organisation_seal_position"].passed is True
    assert checks["organisation_seal_position"].article == "8.1b"
    assert checks["organisation_seal_red"].passed is True
    assert checks["personal_image_blue"].passed is None        # no personal signature


def test_digitized_seal_elsewhere_fails(make_ctx, pki):
    pdf = signed_document(pki, kind="digitized", seal_box=(60, 60, 160, 160), org_time=SIGNED_AT)
    check = appearance.organisation_seal_position(make_ctx(pdf, digitized=True))
    assert check.passed is False and "không nằm" in check.message


def test_urgency_stamp_red(make_ctx, urgent_pdf, pki):
    assert appearance.urgency_stamp_red(make_ctx(urgent_pdf, urgency="Khẩn")).passed is True
    blue = signed_document(pki, urgent=True, urgency_colour=BLUE, org_time=SIGNED_AT)
    check = appearance.urgency_stamp_red(make_ctx(blue, urgency="Hỏa tốc"))
    assert check.passed is False and check.details["fields"] == ["ChuKyDoKhan"]
    # the seal itself is still red and in place: only the stamp is wrong
    assert appearance.organisation_seal_red(make_ctx(blue)).passed is True


# -- page boxes that do not start at 0,0 ------------------------------------------

SHIFTED_UP = (0, 842, 595, 1684)         # an A4 page one page-height up
NEGATIVE = (-595, -842, 0, 0)            # an A4 page whose top-right corner is 0,0


def _digitized_on(pki, make_ctx, box, seal_box=None, crop=None):
    from tests.support.pdfs import make_pdf, with_page_box
    page = with_page_box(make_pdf(), box)
    if crop:
        page = with_page_box(page, crop, "/CropBox")
    pdf = signed_document(pki, kind="digitized", pdf=page, seal_box=seal_box,
                          org_time=SIGNED_AT)
    return appearance.organisation_seal_position(make_ctx(pdf, digitized=True))


@pytest.mark.parametrize("box", [SHIFTED_UP, NEGATIVE])
def test_digitized_seal_top_right_of_a_page_not_at_the_origin(make_ctx, pki, box):
    """The seal at the top-right of the page box, wherever that box sits."""
    check = _digitized_on(pki, make_ctx, box)           # top_right_box reads the MediaBox
    assert check.passed is True, check.message
    assert check.details["page_box"] == [float(v) for v in box]
    assert check.details["page_size"] == [595.0, 842.0]


def test_digitized_seal_bottom_right_of_a_shifted_page_fails(make_ctx, pki):
    x0, y0, x1, _ = SHIFTED_UP
    bottom_right = (x1 - 110, y0 + 10, x1 - 10, y0 + 110)
    check = _digitized_on(pki, make_ctx, SHIFTED_UP, seal_box=bottom_right)
    assert check.passed is False and "không nằm" in check.message


def test_digitized_seal_position_follows_the_crop_box(make_ctx, pki):
    """A reader shows the CropBox: with the page cropped to its lower half,
    the top-right corner is at y = 421, not 842."""
    crop = (0, 0, 595, 421)
    check = _digitized_on(pki, make_ctx, (0, 0, 595, 842), crop=crop,
                          seal_box=(475, 311, 575, 411))
    assert check.passed is True, check.message
    assert check.details["page_box"] == [0.0, 0.0, 595.0, 421.0]


def test_a_seal_stored_as_a_palette_image_is_read_in_its_colours(make_ctx, pki):
    """pyHanko (and signing tools) write a palette PNG as an /Indexed image:
    its samples are palette indexes, not grey levels."""
    import io
    import pikepdf
    from tests.support.signing import FIELDS, SEAL_BOX, make_image, sign
    pdf = signed_document(pki, with_organisation=False)
    palette_seal = make_image("seal").convert("PA")
    pdf = sign(pdf, pki.signer("organisation"), FIELDS["organisation"], box=SEAL_BOX,
               image=palette_seal, signing_time=SIGNED_AT)
    with pikepdf.open(io.BytesIO(pdf)) as doc:      # the seal really is indexed
        spaces = [str(obj.get("/ColorSpace")) for obj in doc.objects
                  if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
    assert any("/Indexed" in s for s in spaces), spaces
    check = appearance.organisation_seal_red(make_ctx(pdf))
    measured = check.details["measured"]["ChuKyToChuc"]
    assert check.passed is True, measured
    assert min(measured["hue"], 360 - measured["hue"]) < 10
