"""Taking the uploaded file off the request without holding it in memory.

The multipart parser (WebOb/cgi) has already spooled large parts to a
temporary file; we copy that once, in 1 MiB chunks, into a file beside the
blob storage's own temporary files (so ``Blob.consumeFile`` is a rename, not
a second copy) and hash it on the way.
"""
import hashlib
import os
import posixpath
import tempfile
import unicodedata

from ..errors import BadRequest

CHUNK = 1 << 20


def upload_limit(settings):
    """Bytes a deposit's request body may have: ``archive_repo.max_upload_mb``
    (the whole multipart body, so the check needs only Content-Length)."""
    return int(settings.get("archive_repo.max_upload_mb", 100)) << 20


class Spooled:
    """A spooled upload: ``path``, ``sha256``, ``size``, ``filename``.
    Use as a context manager: the file is removed on exit unless a blob has
    consumed it."""

    def __init__(self, path, sha256, size, filename):
        self.path, self.sha256, self.size, self.filename = path, sha256, size, filename

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if os.path.exists(self.path):
            os.unlink(self.path)


def safe_filename(name):
    """The client's file name, if it is a plain name.  A name with a path in
    it is refused rather than silently trimmed: the clerk's system is sending
    something it should not."""
    name = unicodedata.normalize("NFC", name or "document.pdf").strip()
    if (not name or "/" in name or "\\" in name or name in (".", "..")
            or posixpath.basename(name) != name
            or any(unicodedata.category(ch) == "Cc" for ch in name)
            or len(name) > 255):
        raise BadRequest("invalid_filename",
                         "Tên tệp không hợp lệ (không được chứa đường dẫn hay ký tự điều khiển).",
                         [{"field": "file", "filename": name[:255]}])
    return name


def spool(field, tmpdir=None):
    """Copy the upload ``field`` (a cgi FieldStorage) to a temp file."""
    filename = safe_filename(getattr(field, "filename", None))
    source = field.file
    source.seek(0)
    digest, size = hashlib.sha256(), 0
    fd, path = tempfile.mkstemp(prefix="upload-", suffix=".pdf", dir=tmpdir)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(path)
        raise
    return Spooled(path, digest.hexdigest(), size, filename)
