"""HTTP for ``/dav/…``: OPTIONS, PROPFIND, GET/HEAD; every other method is
refused (read-only), and ``GET /dav/changes`` is the change feed."""
import re
from datetime import datetime
from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import exception_view_config, view_config
from pyramid_zodbconn import get_connection

from .. import conditional, timeutil
from ..errors import ArchiveError, BadRequest, Conflict
from ..resources import ArchiveRoot
from ..resources.record import check_not_destroyed
from ..http.errors import error_response
from ..views.record import send_version
from . import propfind
from .changes import MAX_LIMIT, ensure_log, get_log, sequence_now
from .files import PdfNode
from .stream import in_own_connection, site_for
from .records import resolve

ALLOW = "OPTIONS, GET, HEAD, PROPFIND"
ROUTES = ("dav", "dav_top")
XML = "application/xml"


class ReadOnly(ArchiveError):
    status = 405

    def __init__(self, method, allow=ALLOW):
        super().__init__(
            "read_only", "Kho lưu trữ chỉ cho phép đọc qua WebDAV (%s); phương thức %s "
            "không được phép: không thể ghi, xóa, sao chép, di chuyển, khóa hay sửa thuộc "
            "tính." % (allow, method), [{"method": method, "allow": allow}])
        self.allow = allow


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


def numbered(request):
    """Number the feed entries waiting in the agencies' logs (changes.py,
    stage 2) before reading the feed: in a transaction of its own, then the
    request's (which holds no writes) begins again to see them."""
    conn = get_connection(request)
    log = get_log(conn)
    if log is not None and log.waiting():
        sequence_now(conn.db())
        request.tm.abort()
        request.tm.begin()


def node_of(request):
    try:
        node = resolve(site_for(get_connection(request), request), segments_of(request))
    except KeyError:
        raise HTTPNotFound()
    check_not_destroyed(getattr(node, "record", None))     # 410 with the tombstone
    return node


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
    """DAV: 1 (class 1, no locks) with what this address allows."""
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
    if not segments_of(request):
        numbered(request)                   # the root names the feed's head
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
        return send_version(request, node.record, node.version)
    if node.collection:
        return listing(request, node)
    return generated(request, node)


def generated(request, node):
    body = node.body()
    response = request.response
    response.content_type = node.content_type.split(";")[0]
    response.charset = "utf-8"
    entity = conditional.Entity(node.etag().strip('"'), node.modified(), len(body))
    conditional.send(request, entity, lambda start, stop: [body[start:stop]])
    return response


def listing(request, node):
    """A plain HTML index (names only, read from the BTree keys), linking
    by absolute path so that it works with or without a trailing slash."""
    from .listing import page
    response = request.response
    response.content_type = "text/html"
    response.charset = "utf-8"
    if request.method == "HEAD":
        return response
    base = dav_base(request)
    response.app_iter = in_own_connection(
        request, segments_of(request), lambda found, tick: page(base, found, tick))
    return response


@exception_view_config(conditional.Failed, route_name="dav")
@exception_view_config(conditional.Failed, route_name="dav_top")
def condition_failed(exc, request):
    """412 / 416 as plain text: WebDAV clients show a body, not JSON."""
    response = Response(status=exc.status, content_type="text/plain", charset="utf-8",
                        text=exc.message + "\n")
    response.headers.update(exc.headers)
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
                          headers={"Allow": exc.allow})


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

FEED_ALLOW = "GET, HEAD, OPTIONS"


def _int_param(request, name, default, low, high):
    raw = request.params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise BadRequest("invalid_%s" % name, "Tham số %s phải là số nguyên từ %d đến %d."
                         % (name, low, high), [{"field": name, "value": raw}])
    return int(raw)


def _bad_time(raw, message):
    raise BadRequest("invalid_since_time", message, [{"field": "since_time", "value": raw}])


def _time_param(request):
    """``since_time``: an ISO 8601 instant with its offset, or None."""
    raw = request.params.get("since_time")
    if raw is None:
        return None
    if "since" in request.params:
        _bad_time(raw, "Chỉ dùng một trong hai tham số: since (số thứ tự) hoặc since_time "
                       "(thời điểm).")
    # an unencoded "+" of the offset arrives as a space ("…10:00:00 07:00")
    text = re.sub(r" (\d{2}(:?\d{2})?)$", r"+\1", raw.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        _bad_time(raw, "Tham số since_time phải là thời điểm ISO 8601 có múi giờ, "
                       "ví dụ 2026-03-05T10:00:00+07:00.")
    return moment


def _check_feed(request, log):
    given = request.params.get("feed")
    if given is not None and given != log.feed_id:
        raise Conflict("feed_changed", "Nguồn thay đổi đã được tạo lại (kho có thể đã được "
                       "khôi phục từ bản sao lưu): con trỏ đã lưu không còn giá trị; hãy "
                       "đồng bộ lại từ đầu (since=0).", [{"feed": given, "current": log.feed_id}])


def _cursor(request, log, head):
    moment = _time_param(request)
    if moment is not None:
        return log.cursor_at(moment)
    cursor = _int_param(request, "since", 0, 0, 2 ** 62)
    if cursor > head:
        raise Conflict("cursor_ahead", "Con trỏ %d vượt quá thay đổi mới nhất (%d): kho có "
                       "thể đã được khôi phục từ bản sao lưu; hãy đồng bộ lại toàn bộ."
                       % (cursor, head), [{"since": cursor, "head": head}])
    return cursor


def change_json(request, change):
    return {"seq": change.seq, "at": timeutil.isoformat(change.at),
            "what": change.what, "path": change.path, "version": change.version,
            "url": request.application_url + change.path,
            "dav_url": request.application_url + "/dav" + quote(change.path) + "/"}


@view_config(route_name="dav_changes", request_method="GET", permission="dav",
             renderer="json")
def changes_view(request):
    numbered(request)
    # the startup hook made the log: this writes nothing (ensure_log only
    # guards an app whose startup hook did not run)
    log = ensure_log(get_connection(request))
    _check_feed(request, log)
    head = log.head()
    cursor = _cursor(request, log, head)
    limit = _int_param(request, "limit", 500, 1, MAX_LIMIT)
    found, more = log.since(cursor, limit)
    return {"feed": log.feed_id, "since": cursor,
            "cursor": found[-1].seq if found else cursor, "head": head, "more": more,
            "changes": [change_json(request, change) for change in found]}


@view_config(route_name="dav_changes", request_method="OPTIONS",
             permission=NO_PERMISSION_REQUIRED)
def changes_options_view(request):
    return _options(request, FEED_ALLOW)


@view_config(route_name="dav_changes", permission="dav")
def changes_refuse_view(request):
    """Writes (and PROPFIND) on the feed: it is read with GET only."""
    raise ReadOnly(request.method, FEED_ALLOW)
