"""Scans of paper originals: raster page images embedded at 100% scale (the
image's pixels over the page's inches), at a chosen resolution and colour
mode, made with Pillow and reportlab; pikepdf for the less common layouts.

``mode``: a Pillow mode ("RGB", "L", "1", "CMYK"), or "RGB-grey" — a
greyscale scan re-saved as RGB, which has a colour space but no colour.
"""
import io

import pikepdf
from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from .pdfs import _set_header_version

PAGE_IN = (4.0, 5.0)      # a small page keeps 300-dpi images quick to make
PAPER = (250, 248, 240)
INK = (30, 30, 30)
SEAL_RED = (200, 20, 30)


def page_image(dpi, mode="RGB", seal=True):
    """One scanned page: lines of black text, and the red seal if ``seal``."""
    size = (int(PAGE_IN[0] * dpi), int(PAGE_IN[1] * dpi))
    img = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(img)
    for y in range(size[1] // 10, size[1] * 9 // 10, max(size[1] // 30, 4)):
        draw.line((size[0] // 10, y, size[0] * 9 // 10, y), fill=INK, width=max(dpi // 100, 1))
    if seal:
        r = size[0] // 6
        draw.ellipse((size[0] - 2 * r - 10, 10, size[0] - 10, 10 + 2 * r), outline=SEAL_RED,
                     width=max(dpi // 40, 2))
    if mode == "RGB-grey":
        return img.convert("L").convert("RGB")
    return img.convert(mode) if mode != "RGB" else img


def _encoded(img):
    out = io.BytesIO()
    img.save(out, format="PNG" if img.mode == "1" else "JPEG", quality=70)
    out.seek(0)
    return ImageReader(out)


def make_scan_pdf(dpi=300, mode="RGB", pages=1, version="1.7", draw_scale=1.0,
                  seal="all", stamp=False, in_form=False):
    """A scanned document (bytes).

    ``draw_scale`` 1.0 draws each image over its page (100%); ``seal``:
    "all", "first" or "none" — which pages bear the red seal; ``stamp`` adds
    a small 72-dpi red image on page 1 (a seal stamped on top of the scan);
    ``in_form`` wraps each page's drawing in a form XObject.
    """
    width, height = PAGE_IN[0] * 72, PAGE_IN[1] * 72
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    for number in range(pages):
        with_seal = seal == "all" or (seal == "first" and number == 0)
        # seal=False only when needed: older tests swap page_image for a
        # two-argument function
        img = page_image(dpi, mode) if with_seal else page_image(dpi, mode, seal=False)
        c.drawImage(_encoded(img), 0, 0, width * draw_scale, height * draw_scale)
        if stamp and number == 0:
            c.drawImage(_encoded(Image.new("RGB", (72, 72), SEAL_RED)), width - 90, height - 90,
                        72, 72)
        c.showPage()
    c.save()
    data = buf.getvalue()
    if in_form:
        data = _wrap_in_forms(data)
    return _set_header_version(data, version)


def _wrap_in_forms(data):
    """Move each page's content into a form XObject drawn at identity."""
    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        form = pikepdf.Stream(pdf, page.obj.Contents.read_bytes())
        form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        form.BBox = pikepdf.Array([x0, y0, x1, y1])
        form.Resources = page.obj.Resources
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Page0=form))
        page.obj.Contents = pikepdf.Stream(pdf, b"q /Page0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
