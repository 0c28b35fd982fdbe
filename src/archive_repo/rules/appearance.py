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
(image XObjects, followed through nested forms) are read with pikepdf
(Pillow where qpdf cannot decode them or the samples are not plain RGB or
grey) at about 64 × 64 samples; among the *inked* pixels (alpha > 50 %,
not near-white, not grey) the dominant hue is the fullest of twelve 30°
sectors, and its mean hue is compared with the target hue (blue 230°, red
0°) within ``policy.appearance_tolerance`` × 180° (±27° at the default
0.15).

Position: the seal's horizontal overlap with the signer's box must be 1/3 ±
tolerance of that box's width, with the seal's centre left of the box's
centre; on digitised documents the seal's centre must lie in the right half
of page 1 and within its top quarter widened by the tolerance.
"""
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


SIDE = 64                       # pixels a side the colour is judged on


def _samples(image):
    """The image's 8-bit samples as an ``(h, w, n)`` array, straight from
    the stream when qpdf can decode it (Flate, predictors) and they are
    plain RGB or grey levels — or None, and Pillow decodes it (JPEG; indexed,
    ICC or CMYK colour; a /Decode array; other depths).  An indexed image's
    samples are palette entries: read as grey they hide its colour."""
    import numpy as np
    plain = (not image.indexed and image.colorspace in ("/DeviceRGB", "/DeviceGray")
             and "/Decode" not in image.obj)
    if not plain or image.bits_per_component != 8:
        return None
    try:
        raw = image.obj.read_bytes()
    except Exception:
        return None
    count = image.width * image.height
    if not count or len(raw) % count:
        return None
    return np.frombuffer(raw, dtype=np.uint8).reshape(image.height, image.width, -1)


def _grid(height, width):
    """Row and column indices of every k-th pixel, about SIDE a side (the
    hue survives)."""
    import numpy as np
    step = max(1, max(height, width) // SIDE)
    return np.arange(0, height, step), np.arange(0, width, step)


def _rgb(image):
    """RGB samples on the grid as an ``(n, 3)`` float array, and the grid."""
    import numpy as np
    samples = _samples(image)
    if samples is None or samples.shape[2] not in (1, 3):
        samples = np.asarray(image.as_pil_image().convert("RGB"))
    rows, cols = _grid(*samples.shape[:2])
    picked = samples[rows][:, cols]
    if picked.shape[2] == 1:                    # grey: no hue to find
        picked = np.repeat(picked, 3, axis=2)
    return picked.reshape(-1, 3).astype(np.float32), (rows, cols, samples.shape[:2])


def _alpha(image, grid):
    """The soft mask's values at the grid's pixels (255 without one); a
    mask of another size is read at the same relative places."""
    import numpy as np
    import pikepdf
    rows, cols, (height, width) = grid
    smask = image.obj.get("/SMask")
    if smask is None:
        return np.full(len(rows) * len(cols), 255, dtype=np.float32)
    mask = pikepdf.PdfImage(smask)
    samples = _samples(mask)
    if samples is None:
        samples = np.asarray(mask.as_pil_image().convert("L"))[:, :, None]
    at_rows = rows * samples.shape[0] // height
    at_cols = cols * samples.shape[1] // width
    return samples[at_rows][:, at_cols, 0].reshape(-1).astype(np.float32)


def _hls(rgb):
    """Hue (degrees), lightness and saturation of ``(n, 3)`` RGB 0–255,
    as colorsys.rgb_to_hls computes them, for all pixels at once."""
    import numpy as np
    r, g, b = (rgb / 255.0).T
    high, low = rgb.max(axis=1) / 255.0, rgb.min(axis=1) / 255.0
    spread, light = high - low, (high + low) / 2
    flat = spread == 0
    safe = np.where(flat, 1.0, spread)
    sat = np.where(light <= 0.5, spread / np.where(flat, 1.0, high + low),
                   spread / np.where(flat, 1.0, 2.0 - high - low))
    rc, gc, bc = (high - r) / safe, (high - g) / safe, (high - b) / safe
    hue = np.select([r == high, g == high], [bc - gc, 2.0 + rc - bc], 4.0 + gc - rc)
    hue = np.where(flat, 0.0, (hue / 6.0) % 1.0) * 360
    return hue, light, np.where(flat, 0.0, sat)


def dominant_colour(image):
    """``{"hue", "saturation", "share"}`` of the dominant inked hue, or None."""
    import numpy as np
    rgb, grid = _rgb(image)
    alpha = _alpha(image, grid)
    inked = (alpha > 128) & (rgb.min(axis=1) < 200)
    if not inked.any():
        return None
    hue, light, sat = _hls(rgb[inked])
    coloured = (sat >= MIN_SATURATION) & (light > 0.1) & (light < 0.9)
    if not coloured.any():
        return None
    hue, sat = hue[coloured], sat[coloured]
    sectors = (hue // SECTOR).astype(int)
    counts = np.bincount(sectors)
    # the fullest sector; of equals, the one met first (as Counter did)
    tied = np.flatnonzero(counts == counts.max())
    first_seen = [np.argmax(sectors == t) for t in tied]
    sector = tied[int(np.argmin(first_seen))]
    members = sectors == sector
    count = int(members.sum())
    return {"hue": round(float(hue[members].mean()), 1),
            "saturation": round(float(sat[members].mean()), 2),
            "share": round(count / int(inked.sum()), 2)}


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
