"""What the full-text index holds about a record, as plain values.

``content`` is what a search reads: the subject, "Số và ký hiệu" as written
(``05/QĐ-UBND``), the doctype, the signer, then the text of every version,
newest first (a corrected version usually says what it corrects);
``body_at`` is where that text starts, so snippets come from it.
"""
import logging

from . import sandbox
from .catalog import allowed_principals
from .text import get_text_store

log = logging.getLogger(__name__)
# the record's text_source from its versions': the first found of these
SOURCE_ORDER = ("ocr", "pdf", "failed", "none")


def version_text(version, store, bounds=sandbox.Bounds()):
    """The text of one version, extracted once per file (by SHA-256), in
    the bounded child (``sandbox``)."""
    known = store.get(version.sha256)
    if known is None:
        try:
            path = version.blob.committed()
        except Exception:       # a blob without bytes (imported stubs)
            return {"text": "", "source": "none"}
        text, source, reason = sandbox.extract(path, bounds)
        if reason is not None:
            log.warning("text extraction of %s stopped (%s): indexed by its metadata",
                        version.sha256, reason)
        store.put(version.sha256, text, source, reason)
        known = store.get(version.sha256)
    return known


def fulltext_digest(record):
    """A digest of everything :func:`document_values` takes from the record
    (the text comes from the versions' bytes, named by their SHA-256): a
    change that leaves it alone — a delivery accepted, a report added —
    needs no full-text rewrite."""
    import hashlib
    meta = record.metadata
    facts = (record.path, meta.get("subject"), meta.get("notation"), record.number,
             meta.get("doctype"), meta.get("signer"), meta.get("urgency"),
             meta.get("issued_on"), record.legal_status, bool(record.recalled),
             tuple(allowed_principals(record)), tuple(v.sha256 for v in record.versions))
    return hashlib.sha256(repr(facts).encode("utf-8")).hexdigest()


def document_values(record, root, bounds=sandbox.Bounds()):
    meta = record.metadata
    store = get_text_store(root)
    texts = [version_text(v, store, bounds) for v in reversed(list(record.versions))]
    head = "\n".join([meta.get("subject") or "",
                      "%s/%s" % (record.number, meta.get("notation") or ""),
                      meta.get("doctype") or "", meta.get("signer") or ""]) + "\n"
    sources = {t["source"] for t in texts}
    return {
        "path": record.path, "subject": meta.get("subject") or "",
        "notation": meta.get("notation") or "", "number": record.number,
        "content": head + "\n".join(t["text"] for t in texts), "body_at": len(head),
        "text_source": next((s for s in SOURCE_ORDER if s in sources), "none"),
        "agency": record.agency_code, "year": record.year,
        "doctype": meta.get("doctype"), "legal_status": record.legal_status,
        "urgency": meta.get("urgency"), "issued_on": meta.get("issued_on"),
        "recalled": "1" if record.recalled else "0",
        "allowed": allowed_principals(record),
        "digest": fulltext_digest(record)[:DIGEST_CHARS],
    }


DIGEST_CHARS = 16       # what the index keeps of the digest (indexing/follow.py)
