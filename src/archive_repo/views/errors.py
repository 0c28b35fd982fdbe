"""Every error leaves as the contract's JSON shape with a Vietnamese message
(or a Vietnamese HTML page for a browser), whatever its status; and every
refusal is audited — after the request's transaction has been aborted, in
the audit database only."""
import logging

from pyramid.exceptions import URLDecodeError
from pyramid.httpexceptions import HTTPException
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config
from transaction.interfaces import TransientError
from webob.exc import WSGIHTTPException as WebobHTTPException

from ..errors import ArchiveError
from ..retrying import Busy
from ..http.errors import AUTHENTICATE, error_response, refusal_reason

log = logging.getLogger(__name__)


@exception_view_config(ArchiveError)
def archive_error(exc, request):
    return error_response(request, exc.status, exc.code, exc.message, exc.details,
                          headers=exc.headers)


@notfound_view_config()
def not_found(request):
    return error_response(request, 404, "not_found",
                          "Không tìm thấy tài nguyên: %s" % request.path)


@forbidden_view_config()
def forbidden(request):
    if request.identity is None:
        return error_response(request, 401, *HTTP_CODES[401],
                              headers={"WWW-Authenticate": AUTHENTICATE})
    reason = refusal_reason(request)
    if reason is not None:
        return error_response(request, 403, reason.code, reason.message, reason.details)
    return error_response(request, 403, *HTTP_CODES[403])


# The statuses of RFC 9110 and its companions (WebDAV's 423/424/507, 429,
# 451…), each with the code and Vietnamese message the contract wants; a
# status not listed still gets a Vietnamese message from ``http_error``.
HTTP_CODES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthenticated",
          "Cần đăng nhập: gửi token trong tiêu đề Authorization (Bearer)."),
    402: ("payment_required", "Hệ thống không dùng mã trạng thái này (402)."),
    403: ("forbidden", "Token này không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy tài nguyên."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ ở địa chỉ này."),
    406: ("not_acceptable", "Không có định dạng trả lời phù hợp với tiêu đề Accept."),
    407: ("proxy_authentication_required", "Cần xác thực với máy chủ trung gian (proxy)."),
    408: ("request_timeout", "Hết thời gian chờ nhận yêu cầu."),
    409: ("conflict", "Yêu cầu xung đột với trạng thái hiện tại của tài nguyên."),
    410: ("gone", "Tài nguyên không còn được cung cấp ở địa chỉ này."),
    411: ("length_required", "Yêu cầu phải có tiêu đề Content-Length."),
    412: ("precondition_failed", "Điều kiện của yêu cầu (If-Match, If-Unmodified-Since…) "
                                 "không được thỏa mãn."),
    413: ("too_large", "Nội dung yêu cầu quá lớn."),
    414: ("uri_too_long", "Địa chỉ (URL) quá dài."),
    415: ("unsupported_media_type", "Kiểu nội dung không được hỗ trợ."),
    416: ("range_not_satisfiable", "Khoảng byte yêu cầu (Range) nằm ngoài tệp."),
    417: ("expectation_failed", "Không đáp ứng được tiêu đề Expect."),
    421: ("misdirected_request", "Yêu cầu được gửi nhầm máy chủ."),
    422: ("unprocessable_entity", "Nội dung yêu cầu không xử lý được."),
    423: ("locked", "Tài nguyên đang bị khóa."),
    424: ("failed_dependency", "Thao tác phụ thuộc đã thất bại."),
    425: ("too_early", "Yêu cầu đến quá sớm; hãy gửi lại sau."),
    426: ("upgrade_required", "Cần chuyển sang giao thức khác."),
    428: ("precondition_required", "Yêu cầu phải có điều kiện (If-Match)."),
    429: ("too_many_requests", "Quá nhiều yêu cầu; hãy thử lại sau."),
    431: ("request_header_fields_too_large", "Tiêu đề của yêu cầu quá lớn."),
    451: ("unavailable_for_legal_reasons", "Tài nguyên không được cung cấp vì lý do pháp lý."),
    500: ("internal_error", "Lỗi hệ thống; giao dịch đã được hủy, không có gì được lưu."),
    501: ("not_implemented", "Chức năng này chưa được hỗ trợ."),
    502: ("bad_gateway", "Máy chủ trung gian nhận được trả lời không hợp lệ."),
    503: ("service_unavailable", "Hệ thống tạm thời không phục vụ được; hãy thử lại sau."),
    504: ("gateway_timeout", "Hết thời gian chờ máy chủ phía sau."),
    505: ("http_version_not_supported", "Phiên bản HTTP không được hỗ trợ."),
    507: ("insufficient_storage", "Không đủ dung lượng lưu trữ."),
}


def http_error(status):
    """(code, Vietnamese message) for any 4xx/5xx status."""
    if status in HTTP_CODES:
        return HTTP_CODES[status]
    if status < 500:
        return "http_%d" % status, "Yêu cầu không được chấp nhận (mã HTTP %d)." % status
    return "http_%d" % status, "Lỗi máy chủ (mã HTTP %d); không có gì được lưu." % status


@exception_view_config(HTTPException)
@exception_view_config(WebobHTTPException)
def http_exception(exc, request):
    # Pyramid's own and WebOb's (which Pyramid would render as English HTML
    # or JSON); exc.title / exc.detail are English: never shown
    if exc.status_int < 400:
        return exc
    code, message = http_error(exc.status_int)
    return error_response(request, exc.status_int, code, message,
                          headers={k: v for k, v in exc.headers.items()
                                   if k in ("Allow", "WWW-Authenticate", "Retry-After")})


@exception_view_config(URLDecodeError)
def undecodable_url(exc, request):
    # Pyramid's traverser raises a UnicodeDecodeError for a path that is not
    # UTF-8: the client's mistake, not a 500
    return error_response(request, 400, "invalid_url",
                          "Địa chỉ (URL) không phải chuỗi UTF-8 hợp lệ.")


@exception_view_config(TransientError, transient_retry=False)
def out_of_retries(exc, request):
    # a conflict on pyramid_retry's last attempt: the client may send it again
    log.warning("conflict on %s %s after %s attempts", request.method, request.path,
                request.environ.get("retry.attempts"))
    return archive_error(Busy([{"attempts": request.environ.get("retry.attempts")}]), request)


@exception_view_config(Exception, transient_retry=False)
def unexpected(exc, request):
    log.exception("unexpected error on %s %s (attempt %s of %s)", request.method, request.path,
                  request.environ.get("retry.attempt"), request.environ.get("retry.attempts"))
    return error_response(request, 500, *HTTP_CODES[500])
