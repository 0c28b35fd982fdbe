"""Scans of paper originals: a raster page image embedded at 100% scale, at
a chosen resolution and colour mode."""
import io

from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from .pdfs import _set_header_version

PAGE_IN = (4.0, 5.0)      # a small page keeps 300-dpi images quick to make


def page_image(dpi, mode="RGB"):
    size = (int(PAGE_IN[0] * dpi), int(PAGE_IN[1] * dpi))
    img = Image.new("RGB", size, (250, 248, 240))
    draw = ImageDraw.Draw(img)
    for y in range(size[1] // 10, size[1] * 9 // 10, max(size[1] // 30, 4)):
        draw.line((size[0] // 10, y, size[0] * 9 // 10, y), fill=(30, 30, 30), width=max(dpi // 100, 1))
    r = size[0] // 6
    draw.ellipse((size[0] - 2 * r - 10, 10, size[0] - 10, 10 + 2 * r), outline=(200, 20, 30),
                 width=max(dpi // 40, 2))        # the red seal on the paper original
    return img.convert(mode) if mode != "RGB" else img


def make_scan_pdf(dpi=300, mode="RGB", pages=1, version="1.7", draw_scale=1.0):
    """A scanned document: each page one image drawn at ``draw_scale`` × the
    page (1.0 = 100% scale, the image's pixels over the page's inches)."""
    width, height = PAGE_IN[0] * 72, PAGE_IN[1] * 72
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    for _ in range(pages):
        img = page_image(dpi, mode)
        out = io.BytesIO()
        img.save(out, format="JPEG", quality=70)
        out.seek(0)
        c.drawImage(ImageReader(out), 0, 0, width * draw_scale, height * draw_scale)
        c.showPage()
    c.save()
    return _set_header_version(buf.getvalue(), version)
