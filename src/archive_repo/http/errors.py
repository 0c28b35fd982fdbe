"""The contract's error response — JSON ``{"error": {"code", "message",
"details"}}`` with a Vietnamese message, or a Vietnamese page for a browser —
and the audit of every refusal (after the request's transaction was
aborted, in the audit database only)."""
from pyramid.renderers import render_to_response
from zope.interface import Interface

from .. import audit
from ..registry import collected
from . import prefers_html


class IRefusalReasons(Interface):
    """Marker for the list of functions that explain a 403."""


WRITES = {"POST", "PUT", "DELETE", "PATCH"}
# A read turned away for want of a token or of the right is evidence too
# (who tried to see what); a read that merely missed (404) is not a refusal.
ACCESS_REFUSED = {401, 403}
AUTHENTICATE = 'Bearer realm="archive_repo", Basic realm="archive_repo"'


def error_response(request, status, code, message, details=(), headers=None):
    body = {"error": {"code": code, "message": message, "details": list(details)}}
    if prefers_html(request):
        response = render_to_response("archive_repo:templates/error.jinja2",
                                      {"status": status, "error": body["error"]},
                                      request=request)
    else:
        response = render_to_response("json", body, request=request)
    response.status_int = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if request.method in WRITES or status in ACCESS_REFUSED:
        audit_refusal(request, status, code, details)
    return response


def audit_refusal(request, status, code, details=()):
    """Who (the token, or for no token the client address), what (method and
    path), the outcome — written once the request's transaction is over.
    ``checks`` names the rules that refused a deposit (state secret,
    unreadable, tampered…): the reports count refusals by cause."""
    action = "write" if request.method in WRITES else "read"
    checks = [d["code"] for d in details if isinstance(d, dict) and "code" in d]
    audit.record_after_abort(request, action, _path(request), "refused", status=status,
                             code=code, method=request.method,
                             remote_addr=request.remote_addr, checks=checks)


def _path(request):
    try:
        return request.path
    except UnicodeDecodeError:      # not UTF-8 (see undecodable_url): as received
        return request.environ.get("SCRIPT_NAME", "") + request.environ.get("PATH_INFO", "")


def add_refusal_reason(config, explain):
    """Directive ``config.add_refusal_reason``: register ``explain(request)``
    → an ArchiveError saying why a 403 was given, or None.  A concern whose ACLs withdraw a right (workflow: a
    destroyed copy) says why in words a clerk understands; the generic
    message stands otherwise."""
    # one registration per function (a second is a configuration conflict)
    config.action(("archive_repo.refusal_reason", explain),
                  lambda: collected(config.registry, IRefusalReasons).append(explain))


def refusal_reason(request):
    for explain in request.registry.queryUtility(IRefusalReasons) or ():
        reason = explain(request)
        if reason is not None:
            return reason
    return None
