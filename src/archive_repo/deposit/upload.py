"""Taking a deposit's multipart body off the request without holding it in
memory, and without copying the file twice.

The body is parsed as it streams (the ``multipart`` package's push parser,
not WebOb's, which goes through the deprecated ``cgi`` module and spools
every file part to a temporary file of its own before any view runs): the
file part is written, and hashed on the way, straight into a file beside the
blob storage's own temporary files, so ``Blob.consumeFile`` is a rename.
Text parts (the metadata JSON, a version's kind) stay in memory, each at most
``FIELD_LIMIT`` bytes.  ``before_file`` sees the text parts sent before the
file: a deposit refuses state secrets there, before a byte of the file is
written (clients send ``metadata`` first; a file sent first is spooled and
removed again on refusal).
"""
import itertools
import os
import posixpath
import re
import shutil
import unicodedata

import multipart

from ..errors import BadRequest
from ..spool import Spool

CHUNK = 1 << 20
FIELD_LIMIT = 1 << 20
# Printable ASCII, not ending in a space, at most 200 characters: what
# WebOb's parser (cgi) took before.  RFC 2046's bchars would refuse WebTest's
# "$" and its 70-character limit clients that worked.
BOUNDARY = re.compile(r"^[ -~]{0,199}[!-~]$")
_taken = itertools.count(1)


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

    def take(self):
        """A path a blob may consume (by a rename): a new hard link each
        time, so that a registration retried after a conflict, whose blob
        went with the aborted transaction, finds the upload again."""
        path = "%s.%d" % (self.path, next(_taken))
        try:
            os.link(self.path, path)
        except OSError:         # no hard links here: a copy
            shutil.copyfile(self.path, path)
        return path


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


class Form:
    """A parsed body: ``fields`` (name → text) and ``upload`` (a
    :class:`Spooled`, or None).  As a context manager it removes the spooled
    file on exit unless a blob has consumed it."""

    def __init__(self):
        self.fields, self.upload = {}, None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.upload is not None:
            self.upload.__exit__(*exc)


def _malformed(problem):
    return BadRequest("malformed_multipart", "Dữ liệu multipart bị hỏng.",
                      [{"problem": str(problem)[:200]}])


def boundary_of(content_type):
    mimetype, options = multipart.parse_options_header(content_type or "")
    if mimetype != "multipart/form-data":
        raise BadRequest("unsupported_media_type",
                         "Nộp văn bản bằng multipart/form-data (trường file và metadata).")
    boundary = options.get("boundary") or ""
    if not BOUNDARY.match(boundary):
        raise _malformed("missing or invalid boundary")
    return boundary


def read_form(request, tmpdir=None, file_field="file", before_file=None):
    """The multipart body of ``request`` as a :class:`Form`."""
    boundary = boundary_of(request.headers.get("Content-Type"))
    # pyramid_retry made the body seekable; a replay reads it from the start
    if request.is_body_seekable:
        request.body_file_raw.seek(0)
    source = request.body_file
    form, sink = Form(), None
    try:
        parser = multipart.PushMultipartParser(boundary, content_length=request.content_length
                                               or -1, max_segment_count=16)
        with parser:
            # the empty chunk last tells the parser the body has ended
            for chunk in itertools.chain(iter(lambda: source.read(CHUNK), b""), [b""]):
                for event in parser.parse(chunk):
                    sink = _event(form, sink, event, tmpdir, file_field, before_file)
    except BaseException as exc:
        if isinstance(sink, _FilePart):
            sink.spool.discard()
        form.__exit__(None, None, None)
        if isinstance(exc, multipart.MultipartError):
            raise _malformed(exc) from exc
        raise
    return form


def _event(form, sink, event, tmpdir, file_field, before_file):
    """One parser event; returns the part being read (None between parts)."""
    if isinstance(event, multipart.MultipartSegment):
        if event.name == file_field and event.filename is not None:
            if form.upload is not None:
                raise _malformed("more than one file part")
            if before_file is not None:
                before_file(form.fields)
            return _FilePart(form, event, tmpdir)
        return _TextPart(form, event)
    if event is None:
        sink.close()
        return None
    sink.write(event)
    return sink


class _TextPart:
    def __init__(self, form, segment):
        self.form, self.name, self.chunks, self.size = form, segment.name, [], 0

    def write(self, data):
        self.size += len(data)
        if self.size > FIELD_LIMIT:
            raise _malformed("field %r over %d bytes" % (self.name, FIELD_LIMIT))
        self.chunks.append(data)

    def close(self):
        # two parts of one name (two ``metadata``): which one the clerk meant
        # cannot be told, so neither is taken
        if self.name in self.form.fields:
            raise _malformed("more than one %r part" % self.name[:100])
        try:
            self.form.fields[self.name] = b"".join(self.chunks).decode("utf-8")
        except UnicodeDecodeError:
            raise _malformed("field %r is not UTF-8" % self.name[:100])


class _FilePart:
    def __init__(self, form, segment, tmpdir):
        filename = safe_filename(segment.filename)      # refused before a file exists
        self.spool = Spool(tmpdir, prefix="upload-", suffix=".pdf")
        form.upload = Spooled(self.spool.path, None, 0, filename)
        self.spooled = form.upload

    def write(self, data):
        self.spool.write(data)
        self.spooled.size = self.spool.size

    def close(self):
        _, self.spooled.sha256, self.spooled.size = self.spool.close()
