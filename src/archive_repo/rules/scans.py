"""Art. 8.1a, 9.3a — a scan of a paper original: colour images, at least
200 dpi at 100% scale.

The effective resolution of an image is its pixels divided by the size it
is drawn at: the content stream's transformation matrix (``cm``) at the
``Do`` that paints it gives that size in points (1/72 inch).  "Colour"
means a colour space with colour *and* pixels that use it: a greyscale page
saved as RGB is still a greyscale scan.
"""
import math

from .model import STATUS, Check

GREY_SPREAD = 12          # max channel difference still counted as grey
COLOUR_SHARE = 0.002      # share of coloured pixels that makes a colour scan


def _multiply(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def drawn_images(page):
    """(image object, width_pt, height_pt) for each image painted on ``page``."""
    import pikepdf
    xobjects = (page.obj.get("/Resources") or {}).get("/XObject") or {}
    ctm, stack, found = (1, 0, 0, 1, 0, 0), [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "Do":
            obj = xobjects.get(str(operands[0]))
            if obj is not None and obj.get("/Subtype") == "/Image":
                a, b, c, d = ctm[:4]
                found.append((obj, math.hypot(a, b), math.hypot(c, d)))
    return found


def _dpi(obj, width_pt, height_pt):
    if width_pt <= 0 or height_pt <= 0:
        return 0
    return min(int(obj.Width) / (width_pt / 72), int(obj.Height) / (height_pt / 72))


def _colour_space_is_colour(obj):
    space = obj.get("/ColorSpace")
    if obj.get("/ImageMask"):
        return False
    if space is None:
        return False
    name = str(space[0] if hasattr(space, "__len__") and not isinstance(space, str)
               and str(space).startswith("[") else space)
    if "ICCBased" in name:
        return int(space[1].get("/N", 1)) >= 3
    if "Indexed" in name:
        return "Gray" not in str(space[1])
    return name in ("/DeviceRGB", "/DeviceCMYK", "/CalRGB", "/Lab")


def _uses_colour(obj):
    import pikepdf
    pil = pikepdf.PdfImage(obj).as_pil_image().convert("RGB")
    pil.thumbnail((300, 300))
    pixels = _flat(pil)
    coloured = sum(1 for p in pixels if max(p) - min(p) > GREY_SPREAD)
    return coloured >= max(1, len(pixels) * COLOUR_SHARE)


def measure(ctx):
    """Per page: [(dpi, colour)] — cached in ctx.facts['scan']."""
    if "scan" not in ctx.facts:
        pages = []
        for index, page in enumerate(ctx.pdf.pages):
            images = [(round(_dpi(obj, w, h)), _colour_space_is_colour(obj) and _uses_colour(obj))
                      for obj, w, h in drawn_images(page)]
            pages.append({"page": index + 1, "images": images})
        ctx.facts["scan"] = pages
    return ctx.facts["scan"]


def _not_applicable(code):
    return Check(code, "8.1a", None, "Không áp dụng: văn bản không số hóa từ giấy.", STATUS)


def scan_resolution(ctx):
    if not ctx.digitized:
        return _not_applicable("scan_resolution")
    pages = measure(ctx)
    low = [(p["page"], dpi) for p in pages for dpi, _ in p["images"]
           if dpi < ctx.policy.min_scan_dpi]
    without = [p["page"] for p in pages if not p["images"]]
    least = min((dpi for p in pages for dpi, _ in p["images"]), default=0)
    if low or without:
        return Check("scan_resolution", "8.1a", False,
                     "Độ phân giải bản số hóa %s dpi, dưới mức tối thiểu %d dpi ở tỷ lệ 100%%%s "
                     "(Điều 8, khoản 1, điểm a)." % (least, ctx.policy.min_scan_dpi,
                                                    "; trang không có ảnh quét: %s" % without
                                                    if without else ""),
                     STATUS, {"pages": pages})
    return Check("scan_resolution", "8.1a", True,
                 "Độ phân giải bản số hóa tối thiểu %d dpi." % least, STATUS, {"min_dpi": least})


def scan_colour(ctx):
    if not ctx.digitized:
        return _not_applicable("scan_colour")
    pages = measure(ctx)
    grey = [p["page"] for p in pages if p["images"] and not any(c for _, c in p["images"])]
    if grey or not any(p["images"] for p in pages):
        return Check("scan_colour", "8.1a", False,
                     "Bản số hóa không phải ảnh màu (trang %s) (Điều 8, khoản 1, điểm a)."
                     % ", ".join(map(str, grey or ["—"])), STATUS, {"grey_pages": grey})
    return Check("scan_colour", "8.1a", True, "Bản số hóa là ảnh màu.", STATUS)


RULES = [scan_colour, scan_resolution]


def _flat(image):
    """The pixels as a list (Pillow 13 renamed getdata)."""
    return list(getattr(image, "get_flattened_data", image.getdata)())
