"""Art. 8.1a, 9.3a — a scan of a paper original: colour images, at least
200 dpi at 100% scale (``policy.min_scan_dpi``).  Applies only to documents
whose metadata says ``digitized``.

*Resolution.*  An image's effective resolution is its pixels divided by the
size it is painted at: the content stream's transformation matrix (``cm``,
through ``q``/``Q`` and nested form XObjects' ``/Matrix``) at the ``Do`` that
paints it gives that size in points (1/72 inch, times the page's
``/UserUnit``).  Only images covering at least ``SCAN_SHARE`` of the page
count as the page's scan: a small seal or logo stamped on top says nothing
about the scan.

*Colour.*  Every page's scan must be stored in a colour space with colour
(RGB, CMYK, Lab, ICC with 3+ components, a palette over one of those), and
at least one page must show coloured pixels — the original bears a red seal
(Art. 6.3a), so a colour scan of it has some; a greyscale scan re-saved as
RGB has none.  Pages of plain black text are not asked to show colour: a
genuine colour scan of them is nearly grey.
"""
import math

from PIL import ImageChops

from .model import STATUS, Check, article

SCAN_SHARE = 0.25        # of the page area: smaller images are stamps, logos
GREY_SPREAD = 12         # max channel difference still counted as grey (JPEG noise)
COLOUR_SHARE = 0.002     # share of coloured pixels that shows colour
SAMPLE_SIZE = (300, 300)  # pixels looked at per image: enough to see a seal
MAX_FORM_DEPTH = 8
COLOUR_MODES = {"RGB", "RGBA", "CMYK", "LAB"}
IDENTITY = (1, 0, 0, 1, 0, 0)


def _multiply(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _xobjects(holder):
    resources = holder.get("/Resources") or {}
    return resources.get("/XObject") or {}


def drawn_images(page):
    """(pikepdf image, width_pt, height_pt) for each image painted on ``page``."""
    found = []
    _walk(page, page.obj, IDENTITY, found, 0)
    return found


def _walk(content, holder, ctm, found, depth):
    import pikepdf
    xobjects, stack = _xobjects(holder), []
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "Do":
            _paint(xobjects.get(str(operands[0])), ctm, found, depth)
        elif op == "INLINE IMAGE":
            found.append((operands[0], *_size(ctm)))


def _paint(obj, ctm, found, depth):
    import pikepdf
    if obj is None:
        return
    if obj.get("/Subtype") == "/Image":
        found.append((pikepdf.PdfImage(obj), *_size(ctm)))
    elif obj.get("/Subtype") == "/Form" and depth < MAX_FORM_DEPTH:
        matrix = tuple(float(v) for v in obj.get("/Matrix", IDENTITY))
        _walk(obj, obj, _multiply(matrix, ctm), found, depth + 1)


def _size(ctm):
    a, b, c, d = ctm[:4]
    return math.hypot(a, b), math.hypot(c, d)


def _dpi(image, width_pt, height_pt, unit):
    if width_pt <= 0 or height_pt <= 0:
        return 0
    return min(image.width / (width_pt * unit / 72), image.height / (height_pt * unit / 72))


def colour_space(image):
    """(name for people, stored in colour?) of a pikepdf image."""
    if image.image_mask:
        return "ImageMask", False
    name = str(image.colorspace or "JPX")
    try:
        mode = image.mode
    except (NotImplementedError, ValueError):
        return name.lstrip("/"), False         # Separation / DeviceN: one ink, or unknown
    if mode == "P":
        base = str(image.palette[0])
        return "Indexed %s" % base.lstrip("/"), base not in ("/DeviceGray", "/CalGray")
    return name.lstrip("/"), mode in COLOUR_MODES


def shows_colour(image):
    """Whether the image has coloured pixels, judged on a small sample."""
    pil = image.as_pil_image()
    try:
        pil.draft("RGB", SAMPLE_SIZE)          # JPEG: decode at reduced size
        sample = pil.convert("RGB")
        sample.thumbnail(SAMPLE_SIZE)
    finally:
        pil.close()
    r, g, b = sample.split()
    spread = ImageChops.subtract(ImageChops.lighter(ImageChops.lighter(r, g), b),
                                 ImageChops.darker(ImageChops.darker(r, g), b))
    coloured = sum(spread.histogram()[GREY_SPREAD + 1:])
    return coloured >= max(1, sample.width * sample.height * COLOUR_SHARE)


def _page_area(page, unit):
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    return abs(x1 - x0) * abs(y1 - y0) * unit * unit


def page_scans(page, number):
    """What the page's scan images are: [{page, dpi, colour_space, colour, …}]."""
    unit = float(page.obj.get("/UserUnit", 1))
    area = _page_area(page, unit)
    scans = []
    for image, w, h in drawn_images(page):
        if area and w * h * unit * unit < SCAN_SHARE * area:
            continue
        space, stored_in_colour = colour_space(image)
        scans.append({"page": number, "dpi": round(_dpi(image, w, h, unit)),
                      "colour_space": space, "colour": stored_in_colour,
                      "pixels": [image.width, image.height],
                      "drawn_pt": [round(w, 1), round(h, 1)], "_image": image})
    return scans


def measure(ctx):
    """Per page, its scan images — computed once per document (ctx.facts)."""
    if "scan" not in ctx.facts:
        ctx.facts["scan"] = [page_scans(page, n) for n, page in enumerate(ctx.pdf.pages, 1)]
    return ctx.facts["scan"]


def _public(scan):
    return {k: v for k, v in scan.items() if not k.startswith("_")}


def _not_applicable(code):
    return Check(code, "8.1a", None, "Không áp dụng: văn bản không số hóa từ văn bản giấy.",
                 STATUS)


@article("8.1a")
def scan_resolution(ctx):
    if not ctx.digitized:
        return _not_applicable("scan_resolution")
    pages, minimum = measure(ctx), ctx.policy.min_scan_dpi
    images = [_public(s) for scans in pages for s in scans]
    missing = [n for n, scans in enumerate(pages, 1) if not scans]
    low = [s for s in images if s["dpi"] < minimum]
    details = {"min_dpi": minimum, "images": images, "pages_without_scan": missing}
    if missing:
        return Check("scan_resolution", "8.1a", False,
                     "Trang %s không có ảnh quét toàn trang: không xác định được độ phân giải "
                     "(Điều 8, khoản 1, điểm a)." % _pages(missing), STATUS, details)
    if low:
        worst = min(low, key=lambda s: s["dpi"])
        return Check("scan_resolution", "8.1a", False,
                     "Độ phân giải bản số hóa %d dpi (trang %s), dưới mức tối thiểu %d dpi ở "
                     "tỷ lệ 100%% (Điều 8, khoản 1, điểm a)."
                     % (worst["dpi"], _pages({s["page"] for s in low}), minimum), STATUS, details)
    least = min(s["dpi"] for s in images)
    return Check("scan_resolution", "8.1a", True,
                 "Độ phân giải bản số hóa %d dpi ở tỷ lệ 100%% (tối thiểu %d dpi)."
                 % (least, minimum), STATUS, details)


@article("8.1a")
def scan_colour(ctx):
    if not ctx.digitized:
        return _not_applicable("scan_colour")
    scans = [s for page in measure(ctx) for s in page]
    grey = [s for s in scans if not s["colour"]]
    details = {"images": [_public(s) for s in scans]}
    if not scans:
        return Check("scan_colour", "8.1a", False, "Bản số hóa không có ảnh quét "
                     "(Điều 8, khoản 1, điểm a).", STATUS, details)
    if grey:
        spaces = sorted({s["colour_space"] for s in grey})
        return Check("scan_colour", "8.1a", False,
                     "Bản số hóa không phải ảnh màu: trang %s lưu ở không gian màu %s "
                     "(Điều 8, khoản 1, điểm a)." % (_pages({s["page"] for s in grey}),
                                                     ", ".join(spaces)), STATUS, details)
    if not any(shows_colour(s["_image"]) for s in scans):
        return Check("scan_colour", "8.1a", False,
                     "Bản số hóa lưu ở không gian màu %s nhưng không có điểm ảnh màu nào (ảnh "
                     "xám chuyển sang màu) (Điều 8, khoản 1, điểm a)." % scans[0]["colour_space"],
                     STATUS, details)
    return Check("scan_colour", "8.1a", True, "Bản số hóa là ảnh màu (%s)."
                 % ", ".join(sorted({s["colour_space"] for s in scans})), STATUS, details)


def _pages(numbers):
    return ", ".join(str(n) for n in sorted(numbers))


RULES = [scan_colour, scan_resolution]
