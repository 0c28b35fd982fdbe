"""The text of a deposited PDF: its text layer (pdfminer.six), or — for a
scan with no text layer — OCR with Tesseract's Vietnamese model.

:func:`extract` returns ``(text, source)`` where ``source`` is ``"pdf"``,
``"ocr"`` (the text came from OCR and may contain errors), or ``"none"``
(no text layer and no OCR available).  Extraction is slow for long or
scanned documents, so it runs in the index worker, never in a request, and
there inside the bounded child of ``sandbox.py`` (which adds the source
``"failed"``).

Results are kept in a :class:`TextStore` in ZODB keyed by the file's
SHA-256: a reindex never extracts (or OCRs) the same bytes twice.
"""
import functools
import io
import os
import logging
import shutil
import subprocess

from BTrees.OOBTree import OOBTree
from persistent import Persistent

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 20        # fewer than this on a whole document: a scan
OCR_LANG = "vie"
OCR_TIMEOUT = 120
# Out of memory or too deeply nested: not "no text" but a document over the
# extraction's bounds, which the sandbox reports as text_source "failed"
BOUNDED = (MemoryError, RecursionError)


def extract(path):
    """``(text, source)`` for the PDF at ``path``."""
    if os.path.getsize(path) == 0:
        return "", "none"
    text = pdf_text(path)
    if len(text.strip()) >= MIN_TEXT_CHARS:
        return text, "pdf"
    if ocr_available():
        ocr = ocr_pdf(path)
        if ocr.strip():
            return ocr, "ocr"
    return text, "none"


def pdf_text(path):
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams
    try:
        return extract_text(path, laparams=LAParams(line_margin=0.3))
    except BOUNDED:
        raise               # the sandbox's to report (indexing/sandbox.py)
    except Exception:   # a damaged PDF still gets its metadata indexed
        log.warning("text extraction failed for %s", path, exc_info=True)
        return ""


@functools.lru_cache(maxsize=1)
def ocr_available():
    """Tesseract with the Vietnamese model (Debian tesseract-ocr-vie);
    asked once per process."""
    if shutil.which("tesseract") is None:
        return False
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return OCR_LANG in out.split()


def page_images(path):
    """The raster images of each page (a scan is one image per page)."""
    import pikepdf
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            # get_images() also finds images drawn through form XObjects
            images = page.get_images() if hasattr(page, "get_images") else page.images
            for _, raw in images.items():
                try:
                    yield pikepdf.PdfImage(raw).as_pil_image()
                except BOUNDED:
                    raise
                except pikepdf.DataDecodingError as exc:
                    if "bad_alloc" in str(exc):     # qpdf's C++ out of memory
                        raise MemoryError(str(exc)) from exc
                    log.warning("unreadable image in %s", path, exc_info=True)
                except Exception:
                    log.warning("unreadable image in %s", path, exc_info=True)


def ocr_pdf(path):
    try:
        return "\n".join(ocr_image(img) for img in page_images(path))
    except BOUNDED:
        raise
    except Exception:   # not a PDF pikepdf can read, or Tesseract failed
        log.warning("OCR failed for %s", path, exc_info=True)
        return ""


def ocr_image(image):
    buf = io.BytesIO()
    image.convert("L" if image.mode not in ("1", "L") else image.mode).save(buf, "PNG")
    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", OCR_LANG],
                          input=buf.getvalue(), capture_output=True, timeout=OCR_TIMEOUT)
    return done.stdout.decode("utf-8", "replace")


class TextStore(Persistent):
    """Extracted text by file SHA-256: ``{"text", "source"}``, and
    ``"reason"`` when the source is ``"failed"`` (over the sandbox's bounds)."""

    def __init__(self):
        self.by_sha256 = OOBTree()

    def get(self, sha256):
        return self.by_sha256.get(sha256)

    def put(self, sha256, text, source, reason=None):
        entry = {"text": text, "source": source}
        if reason is not None:
            entry["reason"] = reason
        self.by_sha256[sha256] = entry


def get_text_store(root):
    store = getattr(root, "index_texts", None)
    if store is None:
        store = root.index_texts = TextStore()
    return store
