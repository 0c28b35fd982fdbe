"""Every error leaves as the contract's JSON shape (or a Vietnamese HTML
page for a browser), and every refused write is audited — after the
request's transaction has been aborted."""
import logging

from pyramid.httpexceptions import HTTPException
from pyramid.renderers import render_to_response
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config

from .. import audit
from ..errors import ArchiveError
from . import prefers_html

log = logging.getLogger(__name__)
WRITES = {"POST", "PUT", "DELETE", "PATCH"}


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
    if request.method in WRITES:
        audit.record_after_abort(request, "write", request.path, "refused",
                                 status=status, code=code)
    return response


@exception_view_config(ArchiveError)
def archive_error(exc, request):
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@notfound_view_config()
def not_found(request):
    return error_response(request, 404, "not_found",
                          "Không tìm thấy tài nguyên: %s" % request.path)


@forbidden_view_config()
def forbidden(request):
    if request.identity is None:
        return error_response(
            request, 401, "unauthenticated",
            "Cần đăng nhập: gửi token trong tiêu đề Authorization (Bearer).",
            headers={"WWW-Authenticate": 'Bearer realm="archive_repo", Basic realm="archive_repo"'})
    return error_response(request, 403, "forbidden",
                          "Token này không có quyền thực hiện thao tác này.")


HTTP_CODES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ ở địa chỉ này."),
    413: ("too_large", "Tệp quá lớn."),
}


@exception_view_config(HTTPException)
def http_exception(exc, request):
    if exc.status_int < 400:
        return exc
    code, message = HTTP_CODES.get(exc.status_int, ("http_%d" % exc.status_int,
                                                    exc.title))
    return error_response(request, exc.status_int, code, message,
                          headers={k: v for k, v in exc.headers.items()
                                   if k in ("Allow", "WWW-Authenticate")})


@exception_view_config(Exception, transient_retry=False)
def unexpected(exc, request):
    log.exception("unexpected error on %s %s (attempt %s of %s)", request.method, request.path,
                  request.environ.get("retry.attempt"), request.environ.get("retry.attempts"))
    return error_response(request, 500, "internal_error",
                          "Lỗi hệ thống; giao dịch đã được hủy, không có gì được lưu.")
