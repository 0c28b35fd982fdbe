"""Art. 7.1a — what a reader sees is what was signed.

For every signature followed by later revisions, the pages those revisions
touch are rendered twice with PDFium (pypdfium2): as the signed revision
(the bytes up to the end of its /ByteRange) and as the final file.  Any
pixel that differs outside the boxes of later signatures — and of form
fields a certification permitted to fill — means the signature no longer
covers what is shown: the deposit is refused, naming the page and the
region.  This catches shadow attacks whatever object trick they use; the
difference analysis (``diffpolicy``) only sees the objects.

Cost is kept down (``bench/rules.py``): only pages whose object graph holds
an object a later revision wrote, at a low resolution (``DPI``), in grey.
"""
import re
import threading
import zlib

from .model import REJECT, Check, article
from .structure import raw_bytes

ARTICLE = "7.1a"
WHERE = "Điều 7, khoản 1, điểm a"
DPI = 36                     # enough to see text and images change, cheap to draw
SCALE = DPI / 72.0
THRESHOLD = 48               # grey levels: anti-aliasing noise stays below it
MARGIN = 2.0                 # points around a box a later signature may draw in
# bounded and not preceded by a digit: a long run of hex digits (/Contents)
# would otherwise make the search quadratic
OBJECT = re.compile(rb"(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj\b")
OBJSTM = re.compile(rb"obj\s*<<((?:(?!>>\s*stream).)*?/Type\s*/ObjStm.*?)>>\s*stream\r?\n",
                    re.DOTALL)
COUNT = re.compile(rb"/N\s+(\d+)")
SKIP_KEYS = {"/Parent", "/P", "/Dest", "/Prev", "/Next", "/First", "/Last"}
# PDFium is not thread-safe (pypdfium2's documentation): one render at a time.
PDFIUM_LOCK = threading.Lock()


def written_objects(tail):
    """Object numbers a span of incremental updates writes, including the
    ones packed in its object streams."""
    found = {int(m.group(1)) for m in OBJECT.finditer(tail)}
    for stm in OBJSTM.finditer(tail):
        count = COUNT.search(stm.group(1))
        try:
            body = zlib.decompressobj().decompress(tail[stm.end():stm.end() + 10 ** 7])
        except zlib.error:
            continue
        numbers = body.split(None, 2 * int(count.group(1)) if count else 0)
        found.update(int(n) for n in numbers[:-1:2] if n.isdigit())
    return found


def _reached(obj, seen):
    """Object numbers reachable from ``obj`` (a pikepdf object), not
    following links up or across the page tree."""
    import pikepdf
    if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)):
        return      # numbers, names, strings: nothing below them
    num = obj.objgen[0]
    if num:
        if num in seen:
            return
        seen.add(num)
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        for key in obj.keys():
            if key not in SKIP_KEYS:
                _reached(obj[key] if not isinstance(obj, pikepdf.Stream)
                         else obj.stream_dict[key], seen)
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            _reached(item, seen)


def touched_pages(pdf, written):
    """0-based indexes of the pages of ``pdf`` (pikepdf) that reach a
    written object."""
    out = []
    for index, page in enumerate(pdf.pages):
        seen = set()
        _reached(page.obj, seen)
        if seen & written:
            out.append(index)
    return out


def _render(doc, index):
    import numpy
    page = doc[index]
    try:
        bitmap = page.render(scale=SCALE, grayscale=True, may_draw_forms=True)
        # the box PDFium draws (get_cropbox falls back to Letter when it finds none)
        left, _, _, top = page.get_bbox()
        return numpy.array(bitmap.to_numpy(), dtype=numpy.int16).squeeze(), (left, top)
    finally:
        page.close()


def _mask(diff, boxes, origin):
    left, top = origin
    height, width = diff.shape
    for x1, y1, x2, y2 in boxes:
        cols = (int((x1 - MARGIN - left) * SCALE), int((x2 + MARGIN - left) * SCALE) + 1)
        rows = (int((top - y2 - MARGIN) * SCALE), int((top - y1 + MARGIN) * SCALE) + 1)
        diff[max(0, rows[0]):min(height, rows[1]), max(0, cols[0]):min(width, cols[1])] = 0


def difference(signed, final, index, boxes, drawn=None):
    """The region ``[x1, y1, x2, y2]`` (PDF points) of page ``index`` that
    differs outside ``boxes``, or None.  ``drawn`` keeps the final file's
    pages, drawn once for every signature compared with them."""
    import numpy
    drawn = {} if drawn is None else drawn
    before, origin = _render(signed, index)
    if index not in drawn:
        drawn[index] = _render(final, index)[0]
    after = drawn[index]
    if before.shape != after.shape:
        return [origin[0], origin[1] - before.shape[0] / SCALE,
                origin[0] + before.shape[1] / SCALE, origin[1]]
    diff = numpy.abs(before - after) > THRESHOLD
    _mask(diff, boxes, origin)
    rows, cols = numpy.nonzero(diff)
    if not len(rows):
        return None
    left, top = origin
    return [round(left + cols.min() / SCALE, 1), round(top - (rows.max() + 1) / SCALE, 1),
            round(left + (cols.max() + 1) / SCALE, 1), round(top - rows.min() / SCALE, 1)]


def _later_boxes(ctx, sig, page):
    """Boxes on ``page`` later revisions may draw in: later signatures'
    widgets, and fields whose filling a certification allowed."""
    later = {s.field.rsplit(".", 1)[-1] for s in ctx.signatures if s.revision > sig.revision}
    later |= {f.rsplit(".", 1)[-1] for r in ctx.facts.get("revisions", [])
              if r["revision"] > sig.revision and r.get("change") == "form_fill"
              for f in r.get("changed_fields", [])}
    return [rect for name, at, rect in field_widgets(ctx.pdf) if name in later and at == page]


def field_widgets(pdf):
    """``(field name, page index, rect)`` of every widget of a named field,
    walking the form tree (a widget may be a kid without /Parent) and
    placing each widget by the page whose /Annots hold it."""
    pages = {annot.objgen: index for index, page in enumerate(pdf.pages)
             for annot in page.obj.get("/Annots") or [] if annot.is_indirect}
    found, seen = [], set()
    todo = [(f, None) for f in (pdf.Root.get("/AcroForm") or {}).get("/Fields") or []]
    while todo:
        node, name = todo.pop()
        if node.objgen in seen and node.is_indirect:
            continue            # a form tree with a cycle: each node once
        seen.add(node.objgen)
        name = str(node.get("/T")) if "/T" in node else name
        if node.get("/Subtype") == "/Widget" and name and node.objgen in pages:
            x1, y1, x2, y2 = [float(v) for v in node.get("/Rect", [0, 0, 0, 0])]
            found.append((name, pages[node.objgen],
                          [min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)]))
        todo.extend((kid, name) for kid in node.get("/Kids") or [])
    return found


def open_document(data):
    """A PDFium document that draws form fields: without a form environment
    PDFium leaves widgets out, and a shadow attack lives in them."""
    import pypdfium2
    doc = pypdfium2.PdfDocument(data)
    doc.init_forms()
    return doc


def _signed_ends(ctx):
    ranges = ctx.facts.get("byte_ranges") or []
    if len(ranges) != len(ctx.signatures):
        return {}
    return {s.field: r[2] + r[3] for s, r in zip(ctx.signatures, ranges) if r}


def _compare(ctx, data, final):
    found, compared, drawn = [], [], {}
    for sig in ctx.signatures:
        end = _signed_ends(ctx).get(sig.field)
        if not end or end >= len(data.rstrip()) or not (sig.intact and sig.valid):
            continue
        pages = touched_pages(ctx.pdf, written_objects(data[end:]))
        if not pages:
            continue
        signed = open_document(data[:end])
        try:
            for index in pages:
                compared.append({"field": sig.field, "page": index + 1})
                if index >= len(signed):
                    found.append({"field": sig.field, "page": index + 1, "region": None})
                    continue
                region = difference(signed, final, index, _later_boxes(ctx, sig, index), drawn)
                if region:
                    found.append({"field": sig.field, "page": index + 1, "region": region})
        finally:
            signed.close()
    return found, compared


@article("7.1a")
def signed_view_unchanged(ctx):
    """The pages later revisions touch look as they did when signed."""
    data = raw_bytes(ctx)
    if not ctx.signatures or ctx.pdf is None:
        return Check("signed_view_unchanged", ARTICLE, None,
                     "Văn bản không có chữ ký số để so sánh hình ảnh.", REJECT)
    with PDFIUM_LOCK:
        final = open_document(data)
        try:
            found, compared = _compare(ctx, data, final)
        finally:
            final.close()
    if found:
        where = "; ".join("trang %d%s (so với lúc ký %s)" % (
            f["page"], " vùng [%s]" % ", ".join("%g" % v for v in f["region"])
            if f["region"] else " (trang mới)", f["field"]) for f in found)
        return Check("signed_view_unchanged", ARTICLE, False,
                     "Nội dung hiển thị khác với nội dung đã ký: %s (%s)." % (where, WHERE),
                     REJECT, {"differences": found, "compared": compared, "dpi": DPI})
    return Check("signed_view_unchanged", ARTICLE, True,
                 "Các trang bị thay đổi sau khi ký vẫn hiển thị đúng như lúc ký (%d trang "
                 "được so sánh)." % len(compared), REJECT, {"compared": compared, "dpi": DPI})


RULES = [signed_view_unchanged]
