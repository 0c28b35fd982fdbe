"""HTTP for ``/dav/…``: OPTIONS, PROPFIND, GET/HEAD; every other method is
refused (read-only), and ``GET /dav/changes`` is the change feed."""
from datetime import timezone
from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import exception_view_config, view_config
from pyramid_zodbconn import get_connection

from .. import timeutil
from ..errors import ArchiveError, BadRequest, Conflict
from ..resources import ArchiveRoot
from ..views.errors import error_response
from ..views.record import serve_version
from . import propfind
from .changes import MAX_LIMIT, get_log
from .files import PdfNode
from .stream import in_own_connection, site_for
from .tree import resolve

ALLOW = "OPTIONS, GET, HEAD, PROPFIND"
ROUTES = ("dav", "dav_top")
XML = "application/xml"


class ReadOnly(ArchiveError):
    status = 405

    def __init__(self, method):
        super().__init__(
            "read_only", "Kho lưu trữ chỉ cho phép đọc qua WebDAV (OPTIONS, PROPFIND, GET, "
            "HEAD); phương thức %s không được phép: không thể ghi, xóa, sao chép, di "
            "chuyển, khóa hay sửa thuộc tính." % method, [{"method": method, "allow": ALLOW}])


class FiniteDepth(Exception):
    """PROPFIND with Depth: infinity (or no Depth) — RFC 4918 §9.1."""


def dav_view(**settings):
    """``view_config`` for both ``/dav`` and ``/dav/*subpath``."""
    def attach(func):
        for route in ROUTES:
            func = view_config(route_name=route, **settings)(func)
        return func
    return attach


def segments_of(request):
    return tuple(request.matchdict.get("subpath", ()))


def node_of(request):
    try:
        return resolve(site_for(get_connection(request), request), segments_of(request))
    except KeyError:
        raise HTTPNotFound()


def dav_base(request):
    return request.script_name + "/dav/"


def depth_of(request):
    raw = request.headers.get("Depth", "infinity").strip().lower()
    if raw in ("0", "1"):
        return int(raw)
    if raw == "infinity":
        raise FiniteDepth()
    raise BadRequest("invalid_depth", "Tiêu đề Depth chỉ nhận giá trị 0 hoặc 1.",
                     [{"depth": raw}])


# -- OPTIONS ------------------------------------------------------------------

def _options(request, allow):
    response = request.response
    response.headers.update({"DAV": "1", "Allow": allow, "MS-Author-Via": "DAV"})
    response.content_length = 0
    return response


@dav_view(request_method="OPTIONS", permission=NO_PERMISSION_REQUIRED)
def options_view(request):
    return _options(request, ALLOW)


@view_config(context=ArchiveRoot, request_method="OPTIONS",
             permission=NO_PERMISSION_REQUIRED)
def host_root_options_view(request):
    """Windows' WebDAV redirector asks the host root first."""
    return _options(request, "OPTIONS, GET, HEAD")


# -- PROPFIND -----------------------------------------------------------------

@dav_view(request_method="PROPFIND", permission="dav")
def propfind_view(request):
    depth = depth_of(request)
    query = propfind.parse(request.body)
    node = node_of(request)
    base = dav_base(request)
    response = request.response
    response.status_int = 207
    response.content_type = XML
    response.charset = "utf-8"
    if depth == 0 or not node.collection:
        response.body = b"".join(propfind.multistatus(base, node, 0, query))
    else:
        response.app_iter = in_own_connection(
            request, segments_of(request),
            lambda found, tick: propfind.multistatus(base, found, 1, query, tick))
    return response


# -- GET / HEAD ---------------------------------------------------------------

@dav_view(request_method=("GET", "HEAD"), permission="dav")
def get_view(request):
    node = node_of(request)
    if isinstance(node, PdfNode):
        return serve_version(request, node.record, node.version)
    if node.collection:
        return listing(request, node)
    return generated(request, node)


def generated(request, node):
    response = request.response
    response.body = node.body()
    response.content_type = node.content_type.split(";")[0]
    response.charset = "utf-8"
    response.etag = node.etag().strip('"')
    if node.modified() is not None:
        response.last_modified = node.modified().astimezone(timezone.utc)
    response.accept_ranges = "bytes"
    response.cache_control = "private, max-age=0, must-revalidate"
    response.conditional_response = True
    return response


def listing(request, node):
    """A plain HTML index (names only, read from the BTree keys)."""
    from .listing import page
    response = request.response
    response.content_type = "text/html"
    response.charset = "utf-8"
    if request.method == "HEAD":
        return response
    response.app_iter = in_own_connection(request, segments_of(request), page)
    return response


# -- everything else ------------------------------------------------------------

@dav_view(permission="dav")
def refuse_view(request):
    """Any other method (PUT, DELETE, MKCOL, COPY, MOVE, PROPPATCH, LOCK,
    UNLOCK, POST…): the archive is read-only here."""
    raise ReadOnly(request.method)


@exception_view_config(ReadOnly)
def read_only_error(exc, request):
    return error_response(request, exc.status, exc.code, exc.message, exc.details,
                          headers={"Allow": ALLOW})


@exception_view_config(FiniteDepth)
def finite_depth_error(exc, request):
    response = request.response
    response.status_int = 403
    response.content_type = XML
    response.charset = "utf-8"
    response.text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<D:error xmlns:D="DAV:" xmlns:A="%s"><D:propfind-finite-depth/>'
        '<A:message>Không hỗ trợ PROPFIND với Depth: infinity (hoặc thiếu tiêu đề '
        'Depth); hãy gửi Depth: 0 hoặc Depth: 1.</A:message></D:error>\n' % propfind.AR)
    return response


# -- the change feed ------------------------------------------------------------

def _int_param(request, name, default, low, high):
    raw = request.params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise BadRequest("invalid_%s" % name, "Tham số %s phải là số nguyên từ %d đến %d."
                         % (name, low, high), [{"field": name, "value": raw}])
    return int(raw)


def change_json(request, change):
    return {"seq": change.seq, "at": timeutil.isoformat(change.at),
            "what": change.what, "path": change.path, "version": change.version,
            "url": request.application_url + change.path,
            "dav_url": request.application_url + "/dav" + quote(change.path) + "/"}


@view_config(route_name="dav_changes", request_method="GET", permission="dav",
             renderer="json")
def changes_view(request):
    log = get_log(get_connection(request))
    head = log.head() if log is not None else 0
    cursor = _int_param(request, "since", 0, 0, 2 ** 62)
    limit = _int_param(request, "limit", 500, 1, MAX_LIMIT)
    if cursor > head:
        raise Conflict("cursor_ahead", "Con trỏ %d vượt quá thay đổi mới nhất (%d): kho có "
                       "thể đã được khôi phục từ bản sao lưu; hãy đồng bộ lại toàn bộ."
                       % (cursor, head), [{"since": cursor, "head": head}])
    found, more = log.since(cursor, limit) if log is not None else ([], False)
    return {"since": cursor, "cursor": found[-1].seq if found else cursor,
            "head": head, "more": more,
            "changes": [change_json(request, change) for change in found]}
