"""A record: its JSON / HTML page, and its document's bytes."""
from pyramid.httpexceptions import HTTPNotFound
from pyramid.renderers import render_to_response
from pyramid.view import exception_view_config, view_config

from .. import audit, conditional, timeutil
from ..audit import labels
from ..resources import Record, note_viewed
from ..http import wants_json
from ..http.errors import error_response
from ..http.serialize import record_json


@view_config(context=Record, request_method="GET", permission="view")
def record_view(request):
    record = request.context
    data = record_json(request, record)
    if request.method == "GET":
        note_viewed(record, request)
    if wants_json(request):
        return render_to_response("json", data, request=request)
    return render_to_response("archive_repo:templates/record.jinja2",
                              dict(page_facts(request, record, data), r=data),
                              request=request)


def _name_of(request):
    agencies = request.root.agencies

    def name(code):
        found = agencies.get(code) if code else None
        return (found.name or code) if found is not None else (code or "")
    return name


def page_facts(request, record, data):
    """What the page needs beyond the JSON: names and the Vietnamese history
    (the workflow's forms are added by ``workflow.page``)."""
    name = _name_of(request)
    return {
        "show_date": timeutil.show_date, "agency_name": name,
        "history": [labels.shown(h, name) for h in data.get("history", [])],
        # no link leads to a 403 (a receiver that destroyed its copy)
        "can_read": request.has_permission("read_document", record),
        "deposited": request.params.get("deposited") == "1",
    }


class FileSpan:
    """Bytes ``start``..``stop`` of an open file as a WSGI body.  A class
    rather than a generator so that ``close()`` — which every WSGI server
    calls — closes the file even when the body is never iterated."""

    BLOCK = 1 << 16

    def __init__(self, file, start, stop):
        self.file, self.start, self.stop = file, start, stop

    def __iter__(self):
        self.file.seek(self.start)
        left = self.stop - self.start
        while left > 0:
            data = self.file.read(min(self.BLOCK, left))
            if not data:
                return
            left -= len(data)
            yield data

    def close(self):
        self.file.close()


def version_entity(version):
    return conditional.Entity("sha256:" + version.sha256, version.deposited_at,
                              version.size)


def send_version(request, record, version):
    """The bytes of ``version`` under RFC 7232 preconditions and RFC 7233
    ranges (raises conditional.Failed for 412/416).  Used by WebDAV too."""
    response = request.response
    response.content_type = "application/pdf"
    response.content_disposition = 'inline; filename="%s-%s-%s.pdf"' % (
        record.agency_code, record.year, record.number)

    def opener(start, stop):
        # Open the committed blob file by path: the handle must outlive the
        # ZODB connection, which is closed before the server iterates the body
        return FileSpan(open(version.blob.committed(), "rb"), start, stop)
    answer = conditional.send(request, version_entity(version), opener)
    if answer.sends_bytes and request.method == "GET":
        audit.record_read(request, "read_document", record.path, version=version.number,
                          range=request.headers.get("Range") if answer.status == 206 else None)
    return response


def serve_version(request, record, version):
    """``…/document.pdf`` as a traversal view: nothing may follow the name
    (Pyramid hands ``/document.pdf/x`` to this view with subpath ``x``)."""
    if request.subpath:
        raise HTTPNotFound()
    return send_version(request, record, version)


@view_config(context=Record, name="document.pdf", request_method=("GET", "HEAD"),
             permission="read_document")
def document_view(request):
    record = request.context
    return serve_version(request, record, record.current)


@exception_view_config(conditional.Failed)
def condition_failed(exc, request):
    """412 / 416 in the contract's JSON shape, with their headers
    (``Content-Range: bytes */N`` for 416)."""
    return error_response(request, exc.status, exc.code, exc.message, exc.details,
                          headers=exc.headers)
