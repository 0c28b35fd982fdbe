"""Conditional requests (RFC 7232) and byte ranges (RFC 7233) for GET and
HEAD of a stored file — one implementation for the HTTP API
(``document.pdf``, ``versions/N/document.pdf``) and for every file under
``/dav/``.

WebOb's ``conditional_response`` is not used: it ignores ``If-Match`` and
``If-Unmodified-Since`` and writes its own English ``416``; the contract
wants every refusal in Vietnamese, in the caller's error shape.  So this
module decides, and :class:`Failed` carries a 412/416 to the caller's
exception view (JSON for the API, plain text for WebDAV clients).

Validators: ETags are strong (``"sha256:…"`` of the exact bytes sent);
Last-Modified is cut to whole seconds, the precision of an HTTP date, so
that a client echoing it back compares equal.
"""
import re
from datetime import timezone

from webob.datetime_utils import parse_date

from .errors import ArchiveError

TAG = re.compile(r'(W/)?"([^"]*)"')
RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)
CACHE = "private, max-age=0, must-revalidate"


class Failed(ArchiveError):
    """A precondition (412) or range (416) refusal; ``headers`` go with it."""

    def __init__(self, status, code, message, details=(), headers=None):
        super().__init__(code, message, details, status=status)
        self.headers = dict(headers or {})


class Entity:
    """What a request's conditions are judged against."""

    def __init__(self, etag, modified, length):
        self.etag = etag                      # opaque tag, without quotes
        self.modified = None if modified is None else \
            modified.astimezone(timezone.utc).replace(microsecond=0)
        self.length = length


class Answer:
    """200 (whole), 206 (``start``..``stop``) or 304."""

    def __init__(self, status, start=0, stop=0):
        self.status, self.start, self.stop = status, start, stop

    @property
    def sends_bytes(self):
        return self.status in (200, 206)


# -- RFC 7232 ---------------------------------------------------------------

def _tags(value):
    """(weak, opaque) pairs of an entity-tag list; None for ``*``."""
    if value.strip() == "*":
        return None
    return [(bool(weak), opaque) for weak, opaque in TAG.findall(value)]


def _matches(value, entity, weak_ok):
    tags = _tags(value)
    if tags is None:                          # "*": the resource exists
        return True
    return any(opaque == entity.etag and (weak_ok or not weak) for weak, opaque in tags)


def _date(headers, name):
    """The header as an aware datetime, or None when absent or invalid
    (RFC 7232 §3.3, §3.4: an invalid date is ignored)."""
    value = headers.get(name)
    return parse_date(value) if value else None


def _refuse(header, value, entity):
    raise Failed(412, "precondition_failed",
                 "Điều kiện của yêu cầu không thỏa (%s): tài liệu hiện tại khác với "
                 "phiên bản bạn giữ; hãy tải lại để có ETag và Last-Modified mới." % header,
                 [{"header": header, "value": value, "etag": '"%s"' % entity.etag}])


def check_preconditions(headers, entity):
    """Steps 1–2 of RFC 7232 §6: If-Match (strong comparison), else
    If-Unmodified-Since.  Raises Failed(412)."""
    if "If-Match" in headers:
        if not _matches(headers["If-Match"], entity, weak_ok=False):
            _refuse("If-Match", headers["If-Match"], entity)
        return
    since = _date(headers, "If-Unmodified-Since")
    if since is not None and (entity.modified is None or entity.modified > since):
        _refuse("If-Unmodified-Since", headers["If-Unmodified-Since"], entity)


def not_modified(headers, entity):
    """Steps 3–4 (for GET/HEAD): If-None-Match (weak comparison), else
    If-Modified-Since."""
    if "If-None-Match" in headers:
        return _matches(headers["If-None-Match"], entity, weak_ok=True)
    since = _date(headers, "If-Modified-Since")
    return since is not None and entity.modified is not None and entity.modified <= since


# -- RFC 7233 ---------------------------------------------------------------

def if_range_holds(value, entity):
    """§3.2: an entity tag must match strongly, a date exactly; anything
    else means "send the whole file"."""
    value = value.strip()
    if value.startswith(('"', "W/")):
        return _tags(value) == [(False, entity.etag)]
    moment = parse_date(value)
    return moment is not None and moment == entity.modified


def _unsatisfiable(value, entity):
    raise Failed(416, "range_not_satisfiable",
                 "Khoảng byte yêu cầu (Range: %s) nằm ngoài tệp; tệp dài %d byte."
                 % (value, entity.length), [{"range": value, "size": entity.length}],
                 headers={"Content-Range": "bytes */%d" % entity.length})


def byte_span(value, entity):
    """(start, stop) of a single byte range, or None to ignore the header
    (unknown unit, bad syntax, several ranges: RFC 7233 lets a server send
    the whole file); raises Failed(416) when nothing of it is in the file."""
    found = RANGE.match(value)
    if found is None or found.groups() == ("", ""):
        return None
    first, last, length = found.group(1), found.group(2), entity.length
    if not first:                             # suffix: the last N bytes
        if int(last) == 0:
            _unsatisfiable(value, entity)
        return max(length - int(last), 0), length
    if last and int(last) < int(first):
        return None
    if int(first) >= length:
        _unsatisfiable(value, entity)
    return int(first), min(int(last) + 1, length) if last else length


def evaluate(request, entity):
    """The Answer to a GET/HEAD of ``entity``, in the order of RFC 7232 §6;
    raises Failed (412, 416)."""
    headers = request.headers
    check_preconditions(headers, entity)
    if not_modified(headers, entity):
        return Answer(304)
    whole = Answer(200, 0, entity.length)
    value = headers.get("Range")
    # Range applies to GET only (RFC 7233 §3.1); a failed If-Range means
    # the client's partial copy is stale, so it gets everything
    if value is None or request.method != "GET":
        return whole
    if "If-Range" in headers and not if_range_holds(headers["If-Range"], entity):
        return whole
    span = byte_span(value, entity)
    return whole if span is None else Answer(206, *span)


def send(request, entity, opener):
    """Fill ``request.response`` (whose Content-Type the caller sets) for a
    GET/HEAD of ``entity``; ``opener(start, stop)`` makes the body and is
    called only when bytes go out.  Returns the Answer; raises Failed."""
    answer = evaluate(request, entity)
    response = request.response
    response.status_int = answer.status
    response.etag = entity.etag
    if entity.modified is not None:
        response.last_modified = entity.modified
    response.accept_ranges = "bytes"
    response.cache_control = CACHE
    if answer.status == 206:
        response.content_range = (answer.start, answer.stop, entity.length)
    if answer.status == 304:
        del response.content_type      # a 304 describes no body
    send_body = answer.sends_bytes and request.method == "GET"
    response.app_iter = opener(answer.start, answer.stop) if send_body else []
    # after app_iter, which clears it; a 304 carries no length at all
    response.content_length = answer.stop - answer.start if answer.sends_bytes else None
    return answer
