"""Format identification of a stored PDF with pikepdf (Circular 05/2025:
digitised paper should be two-layer PDF/A, colour ≥ 24-bit, 200 dpi).

What is found is *reported* — in the format identification event, with the
tool and its version — and never acted upon: converting a signed PDF to
PDF/A breaks its signature, so the signed original stays as deposited and a
rendition, if one is ever made, is a separate file with a migration event.

``dpi`` is the image's pixels over the page's width in inches: exact for a
page-sized scan (what digitised paper is), meaningless for a small logo,
hence reported per image with the page it is on.
"""
import pikepdf

from .events import software

MAX_IMAGES = 20         # a scan has one per page; enough to judge a file


def tool():
    return software("pikepdf")


def identify(file):
    """Facts about the PDF in ``file`` (a path or a binary file object);
    ``{"format": "unknown", "error": …}`` when it does not open as a PDF."""
    try:
        with pikepdf.open(file) as pdf:
            return _facts(pdf)
    except pikepdf.PasswordError:
        return {"format": "PDF", "encrypted": True, "error": "password required"}
    except (pikepdf.PdfError, ValueError, OSError) as exc:
        return {"format": "unknown", "error": "%s: %s" % (type(exc).__name__, exc)}


def _facts(pdf):
    return {
        "format": "PDF",
        "mime_type": "application/pdf",
        "pdf_version": str(pdf.pdf_version),
        "pdfa": pdfa_claim(pdf),
        "encrypted": bool(pdf.is_encrypted),
        "pages": len(pdf.pages),
        "images": images(pdf),
    }


def pdfa_claim(pdf):
    """``{"part": "2", "conformance": "B"}`` as the XMP claims it, or None."""
    try:
        meta = pdf.open_metadata()
    except Exception:           # a broken XMP packet claims nothing
        return None
    part = meta.get("pdfaid:part")
    if not part:
        return None
    return {"part": str(part), "conformance": str(meta.get("pdfaid:conformance") or "")}


def images(pdf):
    found = []
    for number, page in enumerate(pdf.pages, 1):
        width_in = float(page.mediabox[2] - page.mediabox[0]) / 72.0
        for _, image in page.get_images().items():
            width = int(image.get("/Width", 0))
            found.append({"page": number, "width": width,
                          "height": int(image.get("/Height", 0)),
                          "colorspace": str(image.get("/ColorSpace", "")),
                          "bits": int(image.get("/BitsPerComponent", 0) or 0),
                          "dpi": round(width / width_in) if width_in else None})
            if len(found) >= MAX_IMAGES:
                return found
    return found
