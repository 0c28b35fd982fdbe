"""Real signed documents for tests: pyHanko signatures showing the stamp
images the regulation prescribes, placed where it says — or, on request,
where it does not, so that each rule can be made to fail.

    from tests.support.pki import build_pki
    from tests.support.signing import signed_document, sign, make_image_png

    pki = build_pki(tmp_path)                              # test Government PKI
    pdf = signed_document(pki)                             # correct born-digital
    pdf = signed_document(pki, kind="digitized")           # org seal top-right p.1
    pdf = signed_document(pki, urgent=True)                # + red "KHẨN" stamp
    pdf = signed_document(pki, org_time=datetime(2019, 3, 8, 16, 0, tzinfo=VN))
    pdf = signed_document(pki, organisation="revoked")     # any PKI party signs
    pdf = sign(pdf, pki.signer("personal"), "ChuKy2", box=(50, 50, 200, 100),
               image=make_image_png("signature"), signing_time=moment)

**Signing time.**  pyHanko takes the claimed time (the CMS ``signingTime``
attribute, the signature dictionary's ``/M`` and the time printed in the
stamp) from ``PdfSigningSession.system_time``, which it fills with "now" in
``PdfSigner.init_signing_session``; :class:`DatedPdfSigner` overrides that
one method to set the chosen instant.  No clock freezing is needed.

Signatures are plain CMS (``adbe.pkcs7.detached``): a PAdES signature would
drop ``signingTime``, and the regulation's "time of signing" is the signer's
claimed time unless a timestamp token says otherwise.
"""
import io
import math
from datetime import datetime, timedelta, timezone

from PIL import Image, ImageDraw

from .pdfs import make_pdf

VN = timezone(timedelta(hours=7))
# Boxes in PDF points (x1, y1, x2, y2) on an A4 page (595 x 842).
PERSONAL_BOX = (350, 110, 520, 190)          # where the signer signs, above the name
SEAL_SIZE = 100                              # about a 35 mm seal
# The seal over the left third of the personal box: its right edge a third
# of the way into that box.
SEAL_BOX = (350 + 170 / 3 - SEAL_SIZE, 100, 350 + 170 / 3, 200)
DIGITIZED_SEAL_BOX = (440, 700, 560, 800)    # top-right of page 1
URGENCY_BOX = (70, 690, 170, 720)            # under "Số, ký hiệu", top-left
BLUE = (20, 40, 180)
RED = (210, 20, 30)
FIELDS = {"personal": "ChuKyCaNhan", "organisation": "ChuKyToChuc",
          "urgency": "ChuKyDoKhan"}


def _signature(colour):
    img = Image.new("RGBA", (340, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    pts = [(10 + i * 3, 80 + 35 * math.sin(i / 7) + 10 * math.sin(i / 2)) for i in range(105)]
    draw.line(pts, fill=colour + (255,), width=7)
    return img


def _seal(colour):
    img = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, 292, 292), outline=colour + (255,), width=14)
    draw.ellipse((60, 60, 240, 240), outline=colour + (255,), width=8)
    draw.regular_polygon((150, 150, 40), 5, fill=colour + (255,))
    return img


def _urgency(colour):
    img = Image.new("RGBA", (330, 100), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rectangle((5, 5, 325, 95), outline=colour + (255,), width=10)
    # Block letters K H A N, drawn, so no font is needed.
    for x in (60, 130, 200, 260):
        draw.rectangle((x, 25, x + 12, 75), fill=colour + (255,))
    return img


DRAWERS = {"signature": (_signature, BLUE), "seal": (_seal, RED), "urgency": (_urgency, RED)}


def top_right_box(pdf, size=SEAL_SIZE, margin=10):
    """The seal's box at the top-right corner of page 1 of ``pdf``."""
    import pikepdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        x1, y1, x2, y2 = [float(v) for v in doc.pages[0].mediabox]
    return (x2 - margin - size, y2 - margin - size, x2 - margin, y2 - margin)


def make_image(kind, colour=None):
    """A transparent RGBA Pillow image: 'signature' (blue handwriting-like
    strokes), 'seal' (red round seal), 'urgency' (red "KHẨN" frame)."""
    draw, default = DRAWERS[kind]
    return draw(tuple(colour or default))


def make_image_png(kind, colour=None):
    """The same image as PNG bytes (what an agency's signing tool embeds)."""
    buf = io.BytesIO()
    make_image(kind, colour).save(buf, format="PNG")
    return buf.getvalue()


def _as_pil(image):
    if image is None or isinstance(image, Image.Image):
        return image
    return Image.open(io.BytesIO(image))


def _pdf_signer_class():
    from pyhanko.sign import signers

    class DatedPdfSigner(signers.PdfSigner):
        """A PdfSigner that claims ``signing_time`` instead of "now"; with
        ``ignore_locks`` it also signs a document whose certification
        forbids it, as a careless or hostile tool would."""
        signing_time = None
        ignore_locks = False

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only)
            if self.signing_time is not None:
                session.system_time = self.signing_time
            return session

        def _enforce_certification_constraints(self, reader):
            if not self.ignore_locks:
                super()._enforce_certification_constraints(reader)

    return DatedPdfSigner


def _docmdp(name):
    from pyhanko.sign.fields import MDPPerm
    return {"docmdp_permissions": MDPPerm[name]} if name else {}


def add_signature_fields(pdf_bytes, fields_and_boxes, page=0):
    """Empty signature fields ``{name: (x1, y1, x2, y2)}`` added in one
    incremental update — what a form prepared for later signers carries."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    for name, box in fields_and_boxes.items():
        fields.append_signature_field(writer, fields.SigFieldSpec(
            sig_field_name=name, on_page=page, box=tuple(int(round(v)) for v in box)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _subfilter(pades):
    from pyhanko.sign.fields import SigSeedSubFilter
    return SigSeedSubFilter.PADES if pades else SigSeedSubFilter.ADOBE_PKCS7_DETACHED


def sign(pdf_bytes, signer, field_name, page=0, box=None, image=None, signing_time=None,
         timestamper=None, pades=False, certify=None, ignore_locks=False):
    """Add one signature as an incremental update; return the new bytes.

    ``box`` (x1, y1, x2, y2) makes a visible widget on ``page`` (0-based);
    ``image`` (PNG bytes or a Pillow image) fills it; ``signing_time`` (an
    aware datetime) is the time the signature claims.  ``timestamper``
    (e.g. ``pki.timestamper(moment)``) adds a signature timestamp token;
    ``pades=True`` signs as ETSI.CAdES.detached, which carries no
    ``signingTime`` (only ``/M`` then says when).  ``certify`` (a DocMDP
    permission name: "NO_CHANGES", "FILL_FORMS", "ANNOTATE") makes it a
    certification signature; ``ignore_locks=True`` signs even where an
    earlier certification forbids it.  An existing empty field named
    ``field_name`` is filled (give no ``box`` then).
    """
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page,
                               box=tuple(int(round(v)) for v in box) if box else None)
    pil = _as_pil(image)
    style = (StaticStampStyle(background=PdfImage(pil), border_width=0,
                              background_opacity=1.0) if pil is not None else None)
    meta = signers.PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256",
                                        subfilter=_subfilter(pades), certify=bool(certify),
                                        **_docmdp(certify))
    # an existing empty field is filled as it is; otherwise the new one
    new_field = spec if box or not _has_field(writer, field_name) else None
    pdf_signer = _pdf_signer_class()(meta, signer, stamp_style=style, new_field_spec=new_field,
                                     timestamper=timestamper)
    pdf_signer.signing_time = signing_time
    pdf_signer.ignore_locks = ignore_locks
    return pdf_signer.sign_pdf(writer).getvalue()


def _has_field(writer, name):
    from pyhanko.sign.fields import enumerate_sig_fields
    return any(found == name for found, _, _ in enumerate_sig_fields(writer))


def signed_document(pki, kind="born_digital", urgent=False, personal_time=None,
                    org_time=None, personal="personal", organisation="organisation",
                    personal_image="signature", seal_image="seal", seal_box=None,
                    personal_box=PERSONAL_BOX, personal_colour=None, seal_colour=None,
                    urgency_colour=None, with_personal=None, with_organisation=True,
                    pdf=None, personal_timestamper=None, org_timestamper=None):
    """A signed PDF (bytes), correct by default:

    * born-digital: the signer's blue signature at ``PERSONAL_BOX``, then the
      organisation's red seal over its left third (``SEAL_BOX``);
    * digitized: only the organisation's red seal at the top-right of page 1;
    * urgent: an extra organisation signature with the red urgency stamp.

    Each parameter breaks one thing: ``personal``/``organisation`` name the
    PKI party that signs (``"expired"``, ``"revoked"``, ``"commercial"``,
    ``"no_signing"``…), ``*_image=None`` signs without an image, ``*_colour``
    repaints it, ``seal_box`` moves the seal, ``with_*=False`` leaves a
    signature out, ``*_time`` sets the claimed signing times (default: the
    organisation signs now, the person 30 minutes earlier), ``*_timestamper``
    (``pki.timestamper(moment)``) adds a signature timestamp token.
    """
    pdf = pdf if pdf is not None else make_pdf()
    org_time = org_time or datetime.now(VN).replace(microsecond=0)
    personal_time = personal_time or (org_time - timedelta(minutes=30))
    if with_personal is None:
        with_personal = kind == "born_digital"
    if with_personal:
        img = make_image(personal_image, personal_colour) if personal_image else None
        pdf = sign(pdf, pki.signer(personal), FIELDS["personal"], box=personal_box,
                   image=img, signing_time=personal_time, timestamper=personal_timestamper)
    if with_organisation:
        default_box = SEAL_BOX if kind == "born_digital" else top_right_box(pdf)
        img = make_image(seal_image, seal_colour) if seal_image else None
        pdf = sign(pdf, pki.signer(organisation), FIELDS["organisation"],
                   box=seal_box or default_box, image=img, signing_time=org_time,
                   timestamper=org_timestamper)
    if urgent:
        pdf = sign(pdf, pki.signer(organisation), FIELDS["urgency"], box=URGENCY_BOX,
                   image=make_image("urgency", urgency_colour),
                   signing_time=org_time + timedelta(minutes=1))
    return pdf
