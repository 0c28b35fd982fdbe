"""Page 1 of a PDF as a PNG with the signature boxes drawn on it.

Boxes are in PDF points in the page's user space; the page shown is its
CropBox (``rules.appearance.page_box``), so a point maps to pixels from the
box's left and top edges at ``dpi / 72`` pixels per point.  Pages with a
/Rotate are drawn as PDFium shows them but their boxes are not rotated (no
test document has one)."""
import io

DPI = 100
GREEN = (0, 160, 60)
RED = (220, 0, 0)
LINE = 4                      # pixels: visible over a red seal or blue ink


def _pixels(rect, box, scale):
    left, _, _, top = box
    x0, y0, x1, y1 = rect
    return [round((min(x0, x1) - left) * scale), round((top - max(y0, y1)) * scale),
            round((max(x0, x1) - left) * scale), round((top - min(y0, y1)) * scale)]


def render_page_one(path, marks, dpi=DPI):
    """PNG bytes of page 1 of the PDF at ``path`` with ``marks`` drawn."""
    from PIL import ImageDraw

    from ..rules.rendering import PDFIUM_LOCK, open_document
    scale = dpi / 72.0
    with PDFIUM_LOCK:
        doc = open_document(path)
        try:
            page = doc[0]
            box = list(page.get_cropbox())
            image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
            page.close()
        finally:
            doc.close()
    draw = ImageDraw.Draw(image)
    for mark in marks:
        draw.rectangle(_pixels(mark.rect, box, scale), outline=GREEN if mark.passed else RED,
                       width=LINE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
