"""Real signed documents: pyHanko signatures with the stamp images the
regulation prescribes, placed where it says (or, on request, where it does
not).

    pki = build_pki(tmp)                                   # tests.support.pki
    pdf = signed_document(pki)                             # correct born-digital
    pdf = signed_document(pki, kind="digitized")           # org seal top-right
    pdf = signed_document(pki, urgent=True)                # + urgency stamp
    pdf = signed_document(pki, org_time=datetime(...))     # claimed signing time

Signing times are set by freezing the clock (freezegun) while pyHanko signs,
so the CMS signingTime attribute and the /M entry both carry that instant.
"""
import io
import math
from datetime import datetime, timedelta, timezone

from PIL import Image, ImageDraw

from .pdfs import make_pdf

VN = timezone(timedelta(hours=7))
A4 = (595.2756, 841.8898)
# Boxes in PDF points [x1, y1, x2, y2] on page 1.
PERSONAL_BOX = (350, 110, 520, 190)                     # where the signer signs
SEAL_SIZE = 100                                          # a 35 mm seal
SEAL_BOX = (350 - SEAL_SIZE + 170 / 3, 100, 350 + 170 / 3, 200)   # over the left third
DIGITIZED_SEAL_BOX = (440, 700, 540, 800)                # top-right of page 1
URGENCY_BOX = (70, 690, 170, 720)                        # under "Số, ký hiệu"
BLUE = (20, 40, 180)
RED = (210, 20, 30)


def make_image(kind, colour=None, size=(340, 160)):
    """A transparent PNG-like RGBA image: 'signature' (blue strokes), 'seal'
    (red ring with text), 'urgency' (red frame "KHẨN")."""
    if kind == "signature":
        img = Image.new("RGBA", size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        pts = [(10 + i * 3, size[1] / 2 + 35 * math.sin(i / 7)) for i in range(105)]
        draw.line(pts, fill=(colour or BLUE) + (255,), width=7)
        return img
    if kind == "seal":
        img = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.ellipse((8, 8, 292, 292), outline=(colour or RED) + (255,), width=14)
        draw.ellipse((60, 60, 240, 240), outline=(colour or RED) + (255,), width=8)
        draw.regular_polygon((150, 150, 40), 5, fill=(colour or RED) + (255,))
        return img
    if kind == "urgency":
        img = Image.new("RGBA", (330, 100), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.rectangle((5, 5, 325, 95), outline=(colour or RED) + (255,), width=10)
        draw.rectangle((60, 35, 270, 65), fill=(colour or RED) + (255,))
        return img
    raise ValueError(kind)


def sign(pdf_bytes, signer, field_name, page=0, box=None, image=None, when=None):
    """Add one signature (an incremental update) and return the new bytes."""
    from freezegun import freeze_time
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page,
                               box=tuple(int(round(v)) for v in box) if box else None)
    style = (StaticStampStyle(background=PdfImage(image), border_width=0,
                              background_opacity=1.0) if image is not None else None)
    meta = signers.PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256")
    pdf_signer = signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=spec)
    moment = (when or datetime.now(VN)).astimezone(timezone.utc).replace(tzinfo=None)
    with freeze_time(moment):
        out = pdf_signer.sign_pdf(writer)
    return out.getvalue()


def signed_document(pki, kind="born_digital", urgent=False, personal_time=None,
                    org_time=None, personal="personal", organisation="organisation",
                    personal_image="signature", seal_image="seal", seal_box=None,
                    personal_colour=None, seal_colour=None, urgency_colour=None,
                    with_personal=None, with_organisation=True, pdf=None):
    """A signed PDF (bytes) laid out as the regulation says, unless a
    parameter says otherwise (to make one rule fail)."""
    pdf = pdf if pdf is not None else make_pdf()
    org_time = org_time or datetime.now(VN)
    personal_time = personal_time or (org_time - timedelta(minutes=30))
    if with_personal is None:
        with_personal = kind == "born_digital"
    if with_personal:
        img = make_image(personal_image, personal_colour) if personal_image else None
        pdf = sign(pdf, pki.signer(personal), "ChuKyCaNhan", box=PERSONAL_BOX,
                   image=img, when=personal_time)
    if with_organisation:
        default_box = SEAL_BOX if kind == "born_digital" else DIGITIZED_SEAL_BOX
        img = make_image(seal_image, seal_colour) if seal_image else None
        pdf = sign(pdf, pki.signer(organisation), "ChuKyToChuc", box=seal_box or default_box,
                   image=img, when=org_time)
    if urgent:
        pdf = sign(pdf, pki.signer(organisation), "ChuKyDoKhan", box=URGENCY_BOX,
                   image=make_image("urgency", urgency_colour),
                   when=org_time + timedelta(minutes=1))
    return pdf
