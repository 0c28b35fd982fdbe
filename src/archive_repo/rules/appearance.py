"""Art. 8.1b, 9.1a, 9.2c, 9.3b, 6.4b — what the signatures look like and
where they sit (Circular 01/2019/TT-BNV, Decree 30/2020 App. I).  Art. 6.1c
makes those presentation rules part of validity, hence severity STATUS.

* the signer's image is **blue**, at the signer's place (9.1a);
* the organisation's seal is **red**; on a born-digital document it overlaps
  about the **left third** of the signer's image (9.2c); on a digitised
  paper original it sits at the **top-right of page 1** (8.1b, 9.3b);
* an urgent document's extra organisation signature shows the **red**
  urgency stamp (6.4b).

Colour: the images inside each signature widget's normal appearance stream
(image XObjects, followed through nested forms) are read with pikepdf and
Pillow; among the *inked* pixels (alpha > 50 %, not near-white, not grey)
the dominant hue is the fullest of twelve 30° sectors, and its mean hue is
compared with the target hue (blue 230°, red 0°) within
``policy.appearance_tolerance`` × 180° (±27° at the default 0.15).

Position: the seal's horizontal overlap with the signer's box must be 1/3 ±
tolerance of that box's width, with the seal's centre left of the box's
centre; on digitised documents the seal's centre must lie in the right half
of page 1 and within its top quarter widened by the tolerance.
"""
import colorsys
from collections import Counter

from .model import STATUS, Check, article

TARGET_HUES = {"blue": 230.0, "red": 0.0}
COLOUR_VI = {"blue": "màu xanh", "red": "màu đỏ"}
MIN_SATURATION = 0.35          # below this the ink is grey or black, no colour
SECTOR = 30                     # degrees per hue bucket


def _images(xobject, depth=0):
    """Image XObjects inside a form XObject, recursively."""
    import pikepdf
    if depth > 5 or xobject is None:
        return
    resources = xobject.get("/Resources") or {}
    for _, obj in (resources.get("/XObject") or {}).items():
        if obj.get("/Subtype") == "/Image":
            yield pikepdf.PdfImage(obj)
        elif obj.get("/Subtype") == "/Form":
            yield from _images(obj, depth + 1)


def _flat(image):
    """The pixels as a list (Pillow 13 renamed getdata)."""
    return list(getattr(image, "get_flattened_data", image.getdata)())


def _pixels(image):
    """(rgb pixels, alpha values) of a PDF image, downsampled for speed."""
    import pikepdf
    pil = image.as_pil_image().convert("RGB")
    pil.thumbnail((64, 64))     # the hue survives; 6× fewer pixels
    smask = image.obj.get("/SMask")
    alpha = (pikepdf.PdfImage(smask).as_pil_image().convert("L").resize(pil.size)
             if smask is not None else None)
    rgb = _flat(pil)
    return rgb, _flat(alpha) if alpha is not None else [255] * len(rgb)


def _hls(pixel):
    h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in pixel))
    return h * 360, l, s


def dominant_colour(image):
    """``{"hue", "saturation", "share"}`` of the dominant inked hue, or None."""
    rgb, alpha = _pixels(image)
    inked = [_hls(p) for p, a in zip(rgb, alpha) if a > 128 and min(p) < 200]
    coloured = [(h, s) for h, l, s in inked if s >= MIN_SATURATION and 0.1 < l < 0.9]
    if not coloured:
        return None
    sector, count = Counter(int(h // SECTOR) for h, _ in coloured).most_common(1)[0]
    members = [(h, s) for h, s in coloured if int(h // SECTOR) == sector]
    return {"hue": round(sum(h for h, _ in members) / count, 1),
            "saturation": round(sum(s for _, s in members) / count, 2),
            "share": round(count / len(inked), 2)}


def _hue_distance(a, b):
    d = abs(a - b) % 360
    return min(d, 360 - d)


def is_colour(measured, name, tolerance):
    return measured is not None and \
        _hue_distance(measured["hue"], TARGET_HUES[name]) <= tolerance * 180


def _widget_images(ctx, sig):
    placed = ctx.facts.get("widgets", {}).get(sig.field)
    ap = placed[2].get("/AP") if placed is not None else None
    return _images(ap.get("/N")) if ap is not None else iter(())


def appearance_of(ctx, sig):
    """The dominant colour of the first inked image in the signature's
    widget (None if it shows none); cached, and noted in ``sig.appearance``."""
    cache = ctx.facts.setdefault("appearance", {})
    if sig.field not in cache:
        colours = (dominant_colour(image) for image in _widget_images(ctx, sig))
        cache[sig.field] = next((c for c in colours if c is not None), None)
        sig.appearance = dict(sig.appearance or {}, colour=cache[sig.field])
    return cache[sig.field]


def _image_check(ctx, role, colour, code, article, what, where):
    sigs = ctx.signatures_with_role(role)
    tol = ctx.policy.appearance_tolerance
    if not sigs:
        return Check(code, article, None, "Không có %s để kiểm tra hình ảnh." % what, STATUS)
    measured = {s.field: appearance_of(ctx, s) for s in sigs}
    bad = [f for f, m in measured.items() if not is_colour(m, colour, tol)]
    details = {"measured": measured, "target_hue": TARGET_HUES[colour],
               "tolerance_degrees": round(tol * 180, 1), "fields": bad}
    rule = "sắc độ %g° ± %.0f°" % (TARGET_HUES[colour], tol * 180)
    if bad:
        return Check(code, article, False,
                     "Hình ảnh %s không phải %s hoặc không có hình ảnh (%s; %s)."
                     % (what, COLOUR_VI[colour], rule, where), STATUS, details)
    return Check(code, article, True, "Hình ảnh %s là %s (%s)." % (what, COLOUR_VI[colour], rule),
                 STATUS, details)


@article("9.1a")
def personal_image_blue(ctx):
    return _image_check(ctx, "personal", "blue", "personal_image_blue", "9.1a",
                        "chữ ký của người có thẩm quyền", "Điều 9, khoản 1, điểm a")


@article("9.2c")
def organisation_seal_red(ctx):
    article, where = (("8.1b", "Điều 8, khoản 1, điểm b") if ctx.digitized
                      else ("9.2c", "Điều 9, khoản 2, điểm c"))
    return _image_check(ctx, "organisation", "red", "organisation_seal_red", article,
                        "dấu của tổ chức", where)


def overlap_fraction(seal, personal):
    """Share of the personal box's width covered by the seal box (0 if the
    boxes do not meet)."""
    overlap = min(seal[2], personal[2]) - max(seal[0], personal[0])
    vertical = min(seal[3], personal[3]) - max(seal[1], personal[1])
    if overlap <= 0 or vertical <= 0:
        return 0.0
    return overlap / (personal[2] - personal[0])


def page_box(page):
    """The page as a reader shows it, ``[x0, y0, x1, y1]`` in the same user
    space as widget rectangles: the CropBox, else the MediaBox (pikepdf
    resolves inheritance).  Neither need start at 0,0 — scanners and
    imposition tools write boxes such as ``[0 842 595 1684]``."""
    x1, y1, x2, y2 = [float(v) for v in page.cropbox]
    return [min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)]


def _digitized_position(ctx, seal):
    tol = ctx.policy.appearance_tolerance
    x0, y0, x1, y1 = page_box(ctx.pdf.pages[0])
    width, height = x1 - x0, y1 - y0
    # the seal's centre relative to the page's own origin
    cx = (seal.rect[0] + seal.rect[2]) / 2 - x0
    cy = (seal.rect[1] + seal.rect[3]) / 2 - y0
    ok = seal.page == 0 and cx >= width / 2 and cy >= height * (0.75 - tol)
    return Check("organisation_seal_position", "8.1b", ok,
                 "Chữ ký số của tổ chức %s ở góc trên, bên phải trang đầu (nửa phải, phần tư "
                 "trên cùng, dung sai %.0f%% chiều cao trang; Điều 8, khoản 1, điểm b và Điều 9, "
                 "khoản 3, điểm b)." % ("nằm" if ok else "không nằm", tol * 100), STATUS,
                 {"rect": seal.rect, "page": seal.page, "page_box": [x0, y0, x1, y1],
                  "page_size": [width, height], "tolerance": tol})


def _born_digital_position(ctx, seal):
    tol = ctx.policy.appearance_tolerance
    people = [s for s in ctx.signatures_with_role("personal") if s.rect is not None]
    if not people:
        return Check("organisation_seal_position", "9.2c", None,
                     "Không có hình ảnh chữ ký cá nhân để đối chiếu vị trí dấu.", STATUS)
    personal = people[0]
    fraction = overlap_fraction(seal.rect, personal.rect) if seal.page == personal.page else 0.0
    on_left = (seal.rect[0] + seal.rect[2]) / 2 < (personal.rect[0] + personal.rect[2]) / 2
    ok = on_left and abs(fraction - 1 / 3) <= tol
    return Check("organisation_seal_position", "9.2c", ok,
                 "Dấu của tổ chức trùm lên %.0f%% chữ ký của người có thẩm quyền%s (yêu cầu khoảng "
                 "1/3 về phía bên trái, dung sai ±%.0f%%; Điều 9, khoản 2, điểm c)."
                 % (fraction * 100, "" if on_left else ", không ở phía bên trái", tol * 100),
                 STATUS, {"overlap_fraction": round(fraction, 3), "on_left": on_left,
                          "tolerance": tol, "seal": seal.rect, "personal": personal.rect})


@article("9.2c")
def organisation_seal_position(ctx):
    seals = [s for s in ctx.signatures_with_role("organisation") if s.rect is not None]
    if not seals:
        return Check("organisation_seal_position", "8.1b" if ctx.digitized else "9.2c", None,
                     "Không có hình ảnh dấu của tổ chức để kiểm tra vị trí.", STATUS)
    position = _digitized_position if ctx.digitized else _born_digital_position
    return position(ctx, seals[0])


@article("6.4b")
def urgency_stamp_red(ctx):
    if not ctx.metadata.get("urgency"):
        return Check("urgency_stamp_red", "6.4b", None, "Văn bản không thuộc loại khẩn.", STATUS)
    return _image_check(ctx, "urgency", "red", "urgency_stamp_red", "6.4b",
                        "dấu chỉ mức độ khẩn", "Điều 6, khoản 4, điểm b")


RULES = [personal_image_blue, organisation_seal_red, organisation_seal_position,
         urgency_stamp_red]
