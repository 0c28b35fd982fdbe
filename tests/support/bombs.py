"""Hostile PDFs for the bounded text extraction (indexing/sandbox.py): small
on disk, huge or endless to take apart."""
import zlib

import pikepdf


def _zeros_flate(size, byte=b"\0"):
    """``size`` bytes of ``byte``, Flate-compressed as they are made."""
    packer, block, out = zlib.compressobj(1), byte * (16 << 20), []
    for _ in range(size // len(block)):
        out.append(packer.compress(block))
    return b"".join(out) + packer.flush()


def _save(pdf):
    import io
    buf = io.BytesIO()
    # raw streams as given: qpdf must not inflate the bomb to write it
    pdf.save(buf, stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False)
    return buf.getvalue()


def _one_page(contents, resources=None):
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    page.obj.Contents = contents(pdf)
    if resources is not None:
        page.obj.Resources = resources(pdf)
    return _save(pdf)


def nesting_bomb(depth=1_500_000):
    """A content stream of ``depth`` unclosed nested arrays (qpdf refuses
    deep nesting in objects, so a deposit's rules would refuse it there;
    it does not parse content streams).  pdfminer takes ~3 s of CPU per
    million here, linearly."""
    return _one_page(lambda pdf: pikepdf.Stream(pdf, b"[" * depth))


def flate_bomb(size=1 << 30):
    """A content stream that inflates to ``size`` bytes of spaces."""
    def contents(pdf):
        stream = pikepdf.Stream(pdf, b"")
        stream.write(_zeros_flate(size, b" "), filter=pikepdf.Name.FlateDecode)
        return stream
    return _one_page(contents)


def huge_image(side=30_000):
    """A page that only draws a ``side`` × ``side`` grey image (a "scan"
    for OCR), 900 MB once decoded."""
    def resources(pdf):
        image = pikepdf.Stream(pdf, b"")
        image.write(_zeros_flate(side * side), filter=pikepdf.Name.FlateDecode)
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width = image.Height = side
        image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceGray, 8
        return pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    return _one_page(lambda pdf: pikepdf.Stream(pdf, b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
                     resources)
