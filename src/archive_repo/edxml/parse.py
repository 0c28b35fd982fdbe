"""Reading edXML safely.  Every message is hostile until parsed:

* no DTD at all — a ``<!DOCTYPE`` or ``<!ENTITY`` anywhere refuses the
  message (billion laughs, external entities), and the parser neither
  resolves entities nor touches the network;
* a byte limit on the whole message, a depth and element-count limit, and
  a limit on header text (``huge_tree`` stays off);
* attachments are decoded while the XML streams in: lxml's *target*
  parser hands the base64 text over in chunks, which go through a decoder
  into a temporary file beside the blob storage — a 100 MB PDF never sits
  in memory as one string, and libxml2's 10 MB text-node limit (which the
  tree builder would hit on any large attachment) does not apply.

The result is a small tree of :class:`Node` (header only) plus the spooled
attachments; :class:`Message` removes the files it still owns on exit.
"""
import base64
import binascii
import os
import zipfile

from lxml import etree

from ..errors import BadRequest, TooLarge
from ..spool import Spool

CHUNK = 1 << 16
MAX_DEPTH = 64
MAX_ELEMENTS = 20_000
MAX_HEADER_TEXT = 1 << 20
# the markers as UTF-8 and in the other encodings an XML declaration may
# name: a UTF-16 body must not slip past the byte scan (the parser's
# doctype hook would still refuse it, but only once it got that far)
FORBIDDEN = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                  for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le",
                                   "utf-32-be"))
WINDOW = max(len(marker) for marker in FORBIDDEN)
ATTACHMENT_TAG = "ContentTransferEncoded"


class Refused(BadRequest):
    """A message this archive will not read (400 ``edxml_refused``)."""

    def __init__(self, message, **detail):
        super().__init__("edxml_refused", message, [detail] if detail else [])


class Node:
    """An element of the header: local name, text, children."""

    def __init__(self, tag, ns):
        self.tag, self.ns, self.text, self.children = tag, ns, "", []
        self.attachment = None

    def find(self, path):
        node = self
        for name in path.split("/"):
            node = next((c for c in node.children if c.tag == name), None)
            if node is None:
                return None
        return node

    def findall(self, name):
        return [c for c in self.children if c.tag == name]

    def iter(self, name):
        for child in self.children:
            if child.tag == name:
                yield child
            yield from child.iter(name)

    def value(self, path, default=None):
        node = self.find(path)
        text = node.text.strip() if node is not None else ""
        return text or default


class Attachment:
    def __init__(self, path, sha256, size, name=None, content_type=None, content_id=None):
        self.path, self.sha256, self.size = path, sha256, size
        self.name, self.content_type, self.content_id = name, content_type, content_id


class Base64Sink:
    """Decodes base64 text arriving in pieces into a temp file, hashing it."""

    def __init__(self, tmpdir, limit):
        self.spool = Spool(tmpdir, prefix="edxml-", limit=limit, over_limit=self._too_large)
        self.path, self.pending, self.limit = self.spool.path, "", limit

    def _too_large(self, size):
        raise TooLarge("too_large", "Tệp đính kèm vượt quá giới hạn %d MB."
                       % (self.limit >> 20), [{"limit_bytes": self.limit}])

    def write(self, text):
        self.pending += "".join(text.split())
        usable = len(self.pending) - len(self.pending) % 4
        if usable:
            self._emit(self.pending[:usable])
            self.pending = self.pending[usable:]

    def _emit(self, text):
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise Refused("Tệp đính kèm không phải base64 hợp lệ.")
        self.spool.write(data)

    def finish(self):
        if self.pending:
            raise Refused("Tệp đính kèm không phải base64 hợp lệ (độ dài sai).")
        return Attachment(*self.spool.close())

    def discard(self):
        self.spool.discard()


class Target:
    """lxml parser target building the header tree and spooling attachments."""

    def __init__(self, tmpdir, attachment_limit):
        self.tmpdir, self.limit = tmpdir, attachment_limit
        self.stack, self.root, self.sink = [], None, None
        self.elements = self.text_chars = 0
        self.files = []

    def start(self, tag, attrib, nsmap=None):
        ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        self.elements += 1
        if len(self.stack) >= MAX_DEPTH or self.elements > MAX_ELEMENTS:
            raise Refused("Thông điệp edXML lồng quá sâu hoặc có quá nhiều phần tử.")
        node = Node(local, ns)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)
        if local == ATTACHMENT_TAG:
            self.sink = Base64Sink(self.tmpdir, self.limit)
            self.files.append(self.sink)

    def data(self, text):
        if self.sink is not None:
            self.sink.write(text)
            return
        self.text_chars += len(text)
        if self.text_chars > MAX_HEADER_TEXT:
            raise Refused("Phần tiêu đề của thông điệp edXML quá lớn.")
        if self.stack:
            self.stack[-1].text += text

    def end(self, tag):
        node = self.stack.pop()
        if self.sink is not None and node.tag == ATTACHMENT_TAG:
            node.attachment = self.sink.finish()
            self.sink = None

    def doctype(self, *args):
        raise Refused("Thông điệp edXML không được chứa khai báo DOCTYPE/ENTITY.")

    def close(self):
        return self.root


def _parser(target):
    return etree.XMLParser(target=target, resolve_entities=False, no_network=True,
                           huge_tree=False, load_dtd=False, dtd_validation=False)


def _check_forbidden(window):
    for marker in FORBIDDEN:
        if marker in window:
            raise Refused("Thông điệp edXML không được chứa khai báo DOCTYPE/ENTITY "
                          "(chống tấn công thực thể XML).",
                          marker=marker.replace(b"\0", b"").decode())


def read_stream(stream, limit, tmpdir=None, attachment_limit=None):
    """Parse the XML read from ``stream`` (at most ``limit`` bytes)."""
    target = Target(tmpdir, attachment_limit or limit)
    parser, total, tail = _parser(target), 0, b""
    try:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            total += len(chunk)
            if total > limit:
                raise TooLarge("too_large", "Thông điệp edXML vượt quá giới hạn %d MB."
                               % (limit >> 20), [{"limit_bytes": limit}])
            _check_forbidden(tail + chunk)
            tail = chunk[-WINDOW:]
            parser.feed(chunk)
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        _discard(target)
        raise BadRequest("edxml_malformed", "Thông điệp edXML không phải XML hợp lệ.",
                         [{"problem": str(exc)[:200]}])
    except BaseException:
        _discard(target)
        raise
    if root is None:
        raise BadRequest("edxml_malformed", "Thông điệp edXML rỗng.")
    return Message(root, target.files)


def _discard(target):
    for sink in target.files:
        sink.discard()


class Message:
    """A parsed message: ``root`` (Node) and its spooled attachments."""

    def __init__(self, root, sinks):
        self.root = root
        self.sinks = sinks
        self.extra_paths = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for sink in self.sinks:
            sink.discard()
        for path in self.extra_paths:
            if os.path.exists(path):
                os.unlink(path)

    def unzipped(self, attachment, limit, tmpdir=None):
        attachment = unzip_if_zipped(attachment, limit, tmpdir)
        self.extra_paths.append(attachment.path)
        return attachment

    @property
    def header(self):
        return next(self.root.iter("MessageHeader"), None) or _missing("MessageHeader")

    @property
    def status(self):
        return next(self.root.iter("Status"), None) or _missing("Status")

    @property
    def trace(self):
        return next(self.root.iter("TraceHeaderList"), None)

    def attachments(self):
        found = []
        for att in self.root.iter("Attachment"):
            encoded = att.find(ATTACHMENT_TAG)
            if encoded is not None and encoded.attachment is not None:
                a = encoded.attachment
                a.name = att.value("AttachmentName")
                a.content_type = att.value("ContentType")
                a.content_id = att.value("ContentId")
                found.append(a)
        return found


def _missing(name):
    raise BadRequest("edxml_incomplete", "Thông điệp edXML thiếu phần tử %s." % name,
                     [{"element": name}])


def unzip_if_zipped(attachment, limit, tmpdir=None):
    """Some senders zip each file before encoding it (STANDARDS: edXML).
    Replace a zipped attachment by its single member, refusing zip bombs."""
    if not zipfile.is_zipfile(attachment.path):
        return attachment
    with zipfile.ZipFile(attachment.path) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1 or members[0].file_size > limit:
            raise Refused("Tệp đính kèm nén phải chứa đúng một tệp, không quá giới hạn dung lượng.")
        spool = Spool(tmpdir, prefix="edxml-", limit=limit, over_limit=_unzipped_too_large)
        with archive.open(members[0]) as src:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                spool.write(chunk)
        path, sha256, size = spool.close()
    os.unlink(attachment.path)
    attachment.path, attachment.sha256, attachment.size = path, sha256, size
    attachment.name = os.path.basename(members[0].filename) or attachment.name
    return attachment


def _unzipped_too_large(size):
    raise Refused("Tệp giải nén vượt quá giới hạn dung lượng.")
