"""Decree 30/2020 App. VI: a duplicate is warned about before it is
registered — the same bytes already stored under another record, or the
same register number and notation of the same issuer in the same year.

The clerk is answered 409 ``duplicate_document`` naming the existing record
and may deposit again with ``allow_duplicate: true`` in the metadata (two
agencies may really keep the same file); the allowed deposit's audit entry
says which record it repeats.  The refusal is audited like every refused
write (``http.errors.audit_refusal``).

The digests live in ``root.digests`` (an OOBTree SHA-256 → path of the first
record stored with those bytes, ``resources.root.remember_digest``; filled for older databases by the evolve
step ``2026-12-digest-index``).  The check runs before the rules and again
inside the registration step: two identical deposits at once write the same
BTree key, ZODB lets one commit and the retried other finds it.
"""
from ..errors import Conflict
from ..resources.root import digest_holder
from ..vietnamese import fold_words

ALLOW = "allow_duplicate"


def _same_number(year, meta):
    number = meta.get("number")
    existing = year.get(number) if number is not None and hasattr(year, "get") else None
    if existing is None or getattr(existing, "destroyed", False):
        return None
    if fold_words(existing.metadata.get("notation", "")) == fold_words(meta.get("notation", "")):
        return existing.path
    return None


def find_duplicate(year, meta, sha256):
    """``(reason, path of the existing record)`` or None."""
    path = digest_holder(year, sha256)
    if path is not None:
        return "same_bytes", path
    path = _same_number(year, meta)
    return ("same_number", path) if path else None


MESSAGES = {
    "same_bytes": "Tệp văn bản này đã được lưu trữ trong hồ sơ %s (cùng mã SHA-256).",
    "same_number": "Số và ký hiệu văn bản này của cơ quan ban hành đã có trong năm: %s.",
}


def check(year, meta, sha256, request=None):
    """Raise 409 ``duplicate_document`` for a duplicate the clerk did not
    allow; return the duplicate found (allowed) or None."""
    found = find_duplicate(year, meta, sha256)
    if found is None or meta.get(ALLOW):
        return found
    reason, path = found
    detail = {"field": "file" if reason == "same_bytes" else "number", "reason": reason,
              "record": path, ALLOW: False}
    if request is not None:
        detail["url"] = request.application_url + path
    raise Conflict("duplicate_document",
                   (MESSAGES[reason] % path) + " Gửi lại với \"allow_duplicate\": true nếu "
                   "đúng là cần lưu thêm bản này.", [detail])
