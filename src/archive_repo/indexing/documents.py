"""What the full-text index holds about a record, as plain values.

``content`` is what a search reads: the subject, "Số và ký hiệu" as written
(``05/QĐ-UBND``), the doctype, the signer, then the text of every version,
newest first (a corrected version usually says what it corrects);
``body_at`` is where that text starts, so snippets come from it.
"""
from .catalog import allowed_principals
from .text import extract, get_text_store


def version_text(version, store):
    """The text of one version, extracted once per file (by SHA-256)."""
    known = store.get(version.sha256)
    if known is None:
        try:
            path = version.blob.committed()
        except Exception:       # a blob without bytes (imported stubs)
            return {"text": "", "source": "none"}
        text, source = extract(path)
        store.put(version.sha256, text, source)
        known = store.get(version.sha256)
    return known


def document_values(record, root):
    meta = record.metadata
    store = get_text_store(root)
    texts = [version_text(v, store) for v in reversed(list(record.versions))]
    head = "\n".join([meta.get("subject") or "",
                      "%s/%s" % (record.number, meta.get("notation") or ""),
                      meta.get("doctype") or "", meta.get("signer") or ""]) + "\n"
    sources = {t["source"] for t in texts}
    return {
        "path": record.path, "subject": meta.get("subject") or "",
        "notation": meta.get("notation") or "", "number": record.number,
        "content": head + "\n".join(t["text"] for t in texts), "body_at": len(head),
        "text_source": "ocr" if "ocr" in sources else ("pdf" if "pdf" in sources else "none"),
        "agency": record.agency_code, "year": record.year,
        "doctype": meta.get("doctype"), "legal_status": record.legal_status,
        "urgency": meta.get("urgency"), "issued_on": meta.get("issued_on"),
        "recalled": "1" if record.recalled else "0",
        "allowed": allowed_principals(record),
    }
