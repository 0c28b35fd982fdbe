"""``GET {record}/preview.png`` (permission as the document's bytes: a
receiver whose copy was destroyed gets a 403) and the record page's legend."""
from pyramid.view import view_config

from .. import audit
from ..http import url_of
from ..resources import Record
from .cache import IPreviewCache
from .marks import marks_of
from .render import DPI, render_page_one


def preview_png(registry, version):
    """PNG bytes of ``version``'s page 1 with its report's boxes, cached."""
    marks = marks_of(version.report)
    key = (version.sha256, DPI, tuple((m.field, tuple(m.rect), m.passed) for m in marks))
    return registry.getUtility(IPreviewCache).get_or_make(
        key, lambda: render_page_one(version.blob.committed(), marks))


@view_config(context=Record, name="preview.png", request_method="GET",
             permission="read_document")
def preview_view(request):
    record = request.context
    version = record.current
    response = request.response
    response.body = preview_png(request.registry, version)
    response.content_type = "image/png"
    response.cache_control = "private, max-age=3600"
    response.etag = "%s-preview" % version.sha256
    # an image of the page shows its content: a read like the PDF's
    audit.record_read(request, "read_document", record.path, version=version.number,
                      preview=True)
    return response


ROLE_VI = {"personal": "Chữ ký của người có thẩm quyền", "organisation": "Chữ ký số của tổ chức",
           "urgency": "Dấu chỉ mức độ khẩn"}


RECORD_TEMPLATE = "archive_repo:templates/record.jinja2"


def add_preview_facts(event):
    """The record page's legend: one row per box, with why it failed."""
    request = event.get("request")
    record = getattr(request, "context", None)
    if event.get("renderer_name") != RECORD_TEMPLATE or not isinstance(record, Record) \
            or record.current is None:
        return
    event["preview"] = {
        "url": url_of(request, record.path + "/preview.png"),
        "marks": [dict(vars(m), role_label=ROLE_VI.get(m.role, "Chữ ký khác"))
                  for m in marks_of(record.current.report)]}
