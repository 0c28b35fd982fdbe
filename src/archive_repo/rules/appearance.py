"""Art. 8.1b, 9.1a, 9.2c, 9.3b, 6.4b — what the signatures look like and
where they sit (Circular 01/2019/TT-BNV, Decree 30/2020 App. I):

* the signer's image is **blue**, at the signer's place;
* the organisation's seal is **red**; on a born-digital document it overlaps
  about the **left third** of the signer's image; on a digitised paper
  original it sits at the **top-right of page 1**;
* an urgent document's extra organisation signature shows the **red**
  urgency stamp.

Colours are read from the images inside each signature widget's appearance
stream (pikepdf + Pillow): the mean hue of the inked pixels (opaque and not
near-white).  Decisions use ``policy.appearance_tolerance`` (default 0.15):
the seal's overlap must be 1/3 ± that fraction of the signer's box width.
"""
import colorsys

from .model import STATUS, Check

HUES = {"blue": (180, 265), "red": (335, 25)}
MIN_SATURATION = 0.35


def _images(xobject, depth=0):
    """Image XObjects inside a form XObject, recursively."""
    import pikepdf
    if depth > 5:
        return
    resources = xobject.get("/Resources") or {}
    for _, obj in (resources.get("/XObject") or {}).items():
        if obj.get("/Subtype") == "/Image":
            yield pikepdf.PdfImage(obj)
        elif obj.get("/Subtype") == "/Form":
            yield from _images(obj, depth + 1)


def _pixels(image):
    pil = image.as_pil_image().convert("RGB")
    alpha = None
    smask = image.obj.get("/SMask")
    if smask is not None:
        import pikepdf
        alpha = pikepdf.PdfImage(smask).as_pil_image().convert("L")
    pil.thumbnail((120, 120))
    if alpha is not None:
        alpha = alpha.resize(pil.size)
    return pil, alpha


def ink_colour(image):
    """(hue in degrees, saturation) of the inked pixels, or None."""
    pil, alpha = _pixels(image)
    rgb = list(pil.getdata())
    opacity = list(alpha.getdata()) if alpha is not None else [255] * len(rgb)
    inked = [p for p, a in zip(rgb, opacity) if a > 128 and min(p) < 200]
    if not inked:
        return None
    r, g, b = (sum(c[i] for c in inked) / len(inked) / 255 for i in range(3))
    h, _, s = colorsys.rgb_to_hls(r, g, b)
    return h * 360, s


def is_colour(hue_sat, name):
    if hue_sat is None or hue_sat[1] < MIN_SATURATION:
        return False
    low, high = HUES[name]
    hue = hue_sat[0]
    return low <= hue <= high if low < high else (hue >= low or hue <= high)


def appearance_of(ctx, sig):
    """Cached: the colour of the first image in the signature's widget."""
    cache = ctx.facts.setdefault("appearance", {})
    if sig.field not in cache:
        placed = ctx.facts.get("widgets", {}).get(sig.field)
        colour = None
        if placed is not None:
            ap = placed[2].get("/AP")
            normal = ap.get("/N") if ap is not None else None
            for image in _images(normal) if normal is not None else ():
                colour = ink_colour(image)
                if colour is not None:
                    break
        cache[sig.field] = colour
        sig.appearance = {"hue": None if colour is None else round(colour[0]),
                          "saturation": None if colour is None else round(colour[1], 2)}
    return cache[sig.field]


def _image_check(ctx, role, colour, code, article, what, where):
    sigs = ctx.signatures_with_role(role)
    if not sigs:
        return Check(code, article, None, "Không có %s để kiểm tra hình ảnh." % what, STATUS)
    bad = [s for s in sigs if not is_colour(appearance_of(ctx, s), colour)]
    colour_vi = {"blue": "màu xanh", "red": "màu đỏ"}[colour]
    if bad:
        return Check(code, article, False,
                     "Hình ảnh %s không phải %s hoặc không có hình ảnh (%s)." % (what, colour_vi, where),
                     STATUS, {"fields": [s.field for s in bad],
                              "measured": [s.appearance for s in bad]})
    return Check(code, article, True, "Hình ảnh %s là %s." % (what, colour_vi), STATUS)


def personal_image_blue(ctx):
    return _image_check(ctx, "personal", "blue", "personal_image_blue", "9.1a",
                        "chữ ký của người có thẩm quyền", "Điều 9, khoản 1, điểm a")


def organisation_seal_red(ctx):
    article, where = (("8.1b", "Điều 8, khoản 1, điểm b") if ctx.digitized
                      else ("9.2c", "Điều 9, khoản 2, điểm c"))
    return _image_check(ctx, "organisation", "red", "organisation_seal_red", article,
                        "dấu của tổ chức", where)


def _overlap_fraction(seal, personal):
    overlap = min(seal[2], personal[2]) - max(seal[0], personal[0])
    vertical = min(seal[3], personal[3]) - max(seal[1], personal[1])
    if overlap <= 0 or vertical <= 0:
        return 0.0
    return overlap / (personal[2] - personal[0])


def _page_size(ctx, index):
    box = [float(v) for v in ctx.pdf.pages[index].mediabox]
    return box[2] - box[0], box[3] - box[1]


def organisation_seal_position(ctx):
    seals = [s for s in ctx.signatures_with_role("organisation") if s.rect is not None]
    if not seals:
        return Check("organisation_seal_position", "9.2c", None,
                     "Không có hình ảnh dấu của tổ chức để kiểm tra vị trí.", STATUS)
    seal = seals[0]
    if ctx.digitized:
        width, height = _page_size(ctx, 0)
        ok = seal.page == 0 and seal.rect[0] >= width / 2 and seal.rect[1] >= height * 2 / 3
        return Check("organisation_seal_position", "8.1b", ok,
                     "Chữ ký số của tổ chức %s ở góc trên, bên phải trang đầu (Điều 8, khoản 1, "
                     "điểm b)." % ("nằm" if ok else "không nằm"), STATUS,
                     {"rect": seal.rect, "page": seal.page})
    return _born_digital_position(ctx, seal)


def _born_digital_position(ctx, seal):
    tol = ctx.policy.appearance_tolerance
    people = [s for s in ctx.signatures_with_role("personal") if s.rect is not None]
    if not people:
        return Check("organisation_seal_position", "9.2c", None,
                     "Không có hình ảnh chữ ký cá nhân để đối chiếu vị trí dấu.", STATUS)
    personal = people[0]
    fraction = _overlap_fraction(seal.rect, personal.rect) if seal.page == personal.page else 0.0
    on_left = (seal.rect[0] + seal.rect[2]) / 2 < (personal.rect[0] + personal.rect[2]) / 2
    ok = on_left and abs(fraction - 1 / 3) <= tol
    return Check("organisation_seal_position", "9.2c", ok,
                 "Dấu của tổ chức trùm lên %.0f%% chữ ký của người có thẩm quyền%s (yêu cầu khoảng "
                 "1/3 về phía bên trái, dung sai ±%.0f%%; Điều 9, khoản 2, điểm c)."
                 % (fraction * 100, "" if on_left else ", không ở phía bên trái", tol * 100),
                 STATUS, {"overlap_fraction": round(fraction, 3), "on_left": on_left,
                          "tolerance": tol})


def urgency_stamp_red(ctx):
    if not ctx.metadata.get("urgency"):
        return Check("urgency_stamp_red", "6.4b", None, "Văn bản không thuộc loại khẩn.", STATUS)
    return _image_check(ctx, "urgency", "red", "urgency_stamp_red", "6.4b",
                        "dấu chỉ mức độ khẩn", "Điều 6, khoản 4, điểm b")


RULES = [personal_image_blue, organisation_seal_red, organisation_seal_position,
         urgency_stamp_red]
