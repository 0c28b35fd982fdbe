"""PROPFIND (RFC 4918 §9.1): reading the request body and writing the
multistatus, as text chunks so that a year of 100 000 records streams.

Properties are computed from node accessors that read pickled metadata
only; an allprop (what rclone sends, as an empty body) never opens a blob.
"""
import logging
from datetime import timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr
from urllib.parse import quote

from lxml import etree

from ..errors import BadRequest

DAV = "DAV:"
AR = "urn:x-archive-repo:lao-cai:dav:1"
PREFIXES = {DAV: "D", AR: "A"}
MAX_BODY = 1 << 20
CHUNK = 1 << 16
OK = "HTTP/1.1 200 OK"
NOT_FOUND = "HTTP/1.1 404 Not Found"
HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n'
        '<D:multistatus xmlns:D="DAV:" xmlns:A="%s">' % AR)
TAIL = "</D:multistatus>\n"
FAILED = "HTTP/1.1 500 Internal Server Error"
INCOMPLETE = ("<D:responsedescription>Danh sách chưa đầy đủ: lỗi hệ thống khi đọc thư "
              "mục; hãy thử lại sau.</D:responsedescription>")
log = logging.getLogger(__name__)


class Query:
    """What was asked: ``kind`` is allprop, propname or prop; ``names`` are
    (namespace, local name) pairs (for allprop, the ``include`` ones)."""

    def __init__(self, kind, names=()):
        self.kind = kind
        self.names = tuple(names)


def _http_date(moment):
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)


def _iso(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value, fmt=str):
    return None if value is None else escape(fmt(value))


LIVE = {
    "resourcetype": lambda n: "<D:collection/>" if n.collection else "",
    "displayname": lambda n: escape(n.displayname()),
    "getcontentlength": lambda n: _text(n.length()),
    "getcontenttype": lambda n: _text(n.content_type),
    "getlastmodified": lambda n: _text(n.modified(), _http_date),
    "creationdate": lambda n: _text(n.created(), _iso),
    "getetag": lambda n: _text(n.etag()),
}


def parse(body):
    """The Query of a PROPFIND body; an empty body means allprop."""
    if not body or not body.strip():
        return Query("allprop")
    if len(body) > MAX_BODY or b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise BadRequest("invalid_propfind", "Nội dung PROPFIND không hợp lệ "
                         "(quá lớn hoặc có khai báo DTD).")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise BadRequest("invalid_propfind", "Nội dung PROPFIND không phải XML hợp lệ.",
                         [{"problem": str(exc)[:200]}])
    return _query(root)


def _names(element):
    return [etree.QName(child) for child in element if isinstance(child.tag, str)]


def _query(root):
    if etree.QName(root) != etree.QName(DAV, "propfind"):
        raise BadRequest("invalid_propfind", "Phần tử gốc phải là DAV:propfind.")
    kinds = {}
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).namespace == DAV:
            kinds[etree.QName(child).localname] = child
    if "propname" in kinds:
        return Query("propname")
    if "prop" in kinds:
        return Query("prop", [(q.namespace or "", q.localname)
                              for q in _names(kinds["prop"])])
    if "allprop" in kinds:
        include = kinds.get("include")
        return Query("allprop", [(q.namespace or "", q.localname)
                                 for q in _names(include)] if include is not None else ())
    raise BadRequest("invalid_propfind", "PROPFIND phải chứa allprop, propname hoặc prop.")


def _tag(key):
    """Opening tag text and closing tag text for a property name."""
    ns, name = key
    prefix = PREFIXES.get(ns)
    if prefix:
        return "%s:%s" % (prefix, name), "%s:%s" % (prefix, name)
    if not ns:
        return '%s xmlns=""' % name, name
    return "X:%s xmlns:X=%s" % (name, quoteattr(ns)), "X:%s" % name


def _element(key, value):
    opening, closing = _tag(key)
    if value == "" or value is None:
        return "<%s/>" % opening
    return "<%s>%s</%s>" % (opening, value, closing)


def value_of(node, key, extra):
    """The property's XML content, or None when the node has none."""
    ns, name = key
    if ns == DAV and name in LIVE:
        return LIVE[name](node)
    if ns == AR:
        text = extra.get(name)
        return None if text is None else escape(text)
    return None


def available(node, extra):
    """Every property the node has, with its value."""
    found = [((DAV, name), get(node)) for name, get in LIVE.items()]
    found += [((AR, name), escape(text)) for name, text in extra.items()]
    return [(key, value) for key, value in found if value is not None]


def _propstats(node, query):
    extra = node.extra()
    if query.kind == "propname":
        return [_element(key, None) for key, _ in available(node, extra)], []
    if query.kind == "allprop":
        found = available(node, extra)
        have = {key for key, _ in found}
        asked = [(k, value_of(node, k, extra)) for k in query.names if k not in have]
        return ([_element(k, v) for k, v in found + [a for a in asked if a[1] is not None]],
                [_element(k, None) for k, v in asked if v is None])
    values = [(key, value_of(node, key, extra)) for key in query.names]
    return ([_element(k, v) for k, v in values if v is not None],
            [_element(k, None) for k, v in values if v is None])


def href(base, node):
    path = "/".join(quote(segment, safe="") for segment in node.segments)
    return base + path + ("/" if node.collection and path else "")


def response(base, node, query):
    found, missing = _propstats(node, query)
    parts = ["<D:response><D:href>", escape(href(base, node)), "</D:href>"]
    for props, status in ((found, OK), (missing, NOT_FOUND)):
        if props:
            parts += ["<D:propstat><D:prop>", *props, "</D:prop><D:status>", status,
                      "</D:status></D:propstat>"]
    parts.append("</D:response>")
    return "".join(parts)


def _safe_response(base, node, query):
    """The node's response; a node whose properties cannot be read gets a
    500 status of its own (RFC 4918 §13) instead of ending the document."""
    try:
        return response(base, node, query)
    except Exception:
        log.exception("PROPFIND: properties of %s", href(base, node))
        return ("<D:response><D:href>%s</D:href><D:status>%s</D:status></D:response>"
                % (escape(href(base, node)), FAILED))


def _texts(base, node, depth, query):
    yield HEAD
    yield _safe_response(base, node, query)
    try:
        for member in (node.children() if depth else ()):
            yield _safe_response(base, member, query)
    except Exception:
        # headers (207) are out: close the document well-formed and say so
        log.exception("PROPFIND: listing %s stopped", href(base, node))
        yield INCOMPLETE
    yield TAIL


def multistatus(base, node, depth, query, tick=None):
    """The multistatus as UTF-8 chunks of about 64 KiB, always a complete
    XML document.  ``tick`` is called after each chunk (the caller frees
    its ZODB cache there)."""
    buffer, size = [], 0
    for text in _texts(base, node, depth, query):
        buffer.append(text)
        size += len(text)
        if size >= CHUNK:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
            if tick is not None:
                tick()
    yield "".join(buffer).encode("utf-8")
