"""A record: its JSON / HTML page, and its document's bytes."""
from datetime import timezone

from pyramid.view import view_config
from webob.static import FileIter

from .. import audit, timeutil
from ..resources import Record
from . import wants_json
from .serialize import record_json


@view_config(context=Record, request_method="GET", permission="view")
def record_view(request):
    data = record_json(request, request.context)
    if wants_json(request):
        from pyramid.renderers import render_to_response
        return render_to_response("json", data, request=request)
    from pyramid.renderers import render_to_response
    return render_to_response("archive_repo:templates/record.jinja2",
                              {"r": data, "show_date": timeutil.show_date},
                              request=request)


def serve_version(request, record, version):
    """The bytes of ``version`` with ETag, Last-Modified, Range and
    conditional GET (WebOb answers 304/206/416 from these)."""
    response = request.response
    # Open the committed blob file by path: the handle must outlive the ZODB
    # connection, which is closed before the server iterates the body.
    # (Set the body before Content-Length: WebOb clears the length when the
    # app_iter changes.)
    response.app_iter = FileIter(open(version.blob.committed(), "rb"))
    response.content_length = version.size
    response.content_type = "application/pdf"
    response.etag = "sha256:" + version.sha256
    # WebOb formats the datetime's fields as GMT without converting it
    response.last_modified = version.deposited_at.astimezone(timezone.utc)
    response.accept_ranges = "bytes"
    response.cache_control = "private, max-age=0, must-revalidate"
    response.content_disposition = 'inline; filename="%s-%s-%s.pdf"' % (
        record.agency_code, record.year, record.number)
    response.conditional_response = True
    if request.method == "GET":
        audit.record(request, "read_document", record.path, version=version.number,
                     range=request.headers.get("Range"))
    return response


@view_config(context=Record, name="document.pdf", request_method=("GET", "HEAD"),
             permission="view")
def document_view(request):
    record = request.context
    return serve_version(request, record, record.current)
