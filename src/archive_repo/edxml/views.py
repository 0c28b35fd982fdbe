"""edXML over HTTP: export a record, import a message, status messages."""
import tempfile

from pyramid.view import view_config
from webob.static import FileIter

from .. import audit, timeutil
from ..rules import rule_policy
from ..settings import get_settings
from ..errors import ArchiveError, BadRequest, TooLarge
from ..resources import Record, Year
from ..http import url_of
from ..http.body import blob_tmpdir
from ..http.serialize import delivery_json, record_json, version_json
from ..workflow.deliveries import Delivery
from .build import business_of, write_message
from .importer import ImportContext, import_message
from .parse import read_stream
from .status import apply_status, build_status, read_status

XML = "application/xml"


def organ_namer(request):
    agencies = request.root.agencies

    def name(code):
        agency = agencies.get(code)
        return agency.name if agency is not None and agency.name else code
    return name


def _version(request, record):
    raw = request.params.get("version")
    if raw is None:
        return record.current
    if not raw.isdigit() or not 1 <= int(raw) <= len(record.versions):
        raise BadRequest("invalid_version", "Không có phiên bản %s." % raw,
                         [{"field": "version"}])
    return record.versions[int(raw) - 1]


@view_config(context=Record, name="edxml", request_method="GET", permission="read_document")
def export_view(request):
    record = request.context
    version = _version(request, record)
    business, reason = business_of(record, version, request.params.get("business"))
    out = tempfile.TemporaryFile()
    write_message(out, record, version, organ_namer(request), timeutil.now(), business, reason)
    size = out.tell()
    out.seek(0)
    response = request.response
    response.app_iter = FileIter(out)
    response.content_length = size
    response.content_type = XML
    response.charset = "utf-8"
    response.content_disposition = 'attachment; filename="%s-%s-%s.edxml"' % (
        record.agency_code, record.year, record.number)
    audit.record(request, "export_edxml", record.path, version=version.number,
                 business=business)
    return response


def _read(request):
    limit = get_settings(request.registry).message_limit
    length = request.content_length
    if length is not None and length > limit:
        raise TooLarge("too_large", "Thông điệp edXML vượt quá giới hạn %d MB." % (limit >> 20),
                       [{"limit_bytes": limit, "content_length": length}])
    upload = get_settings(request.registry).upload_limit
    return read_stream(request.body_file, limit, blob_tmpdir(request), upload)


@view_config(context=Year, request_method="POST", permission="deposit", edxml_body=True,
             renderer="json")
def import_view(request):
    year = request.context
    root = request.root
    upload = get_settings(request.registry).upload_limit
    ctx = ImportContext(year, request.identity, timeutil.now(), rule_policy(request.registry),
                        request.registry, request=request, limit=upload,
                        tmpdir=blob_tmpdir(request))
    with _read(request) as message:
        business, record = import_message(message, ctx, lambda code: code in root.agencies)
    version = ctx.version or record.current
    request.response.status_int = 201 if business == "new" else 200
    request.response.headers["Location"] = url_of(request, record.path)
    return dict(record_json(request, record), duplicate=ctx.duplicate,
                version=version_json(request, record, version))


@view_config(context=Delivery, name="status.edxml", request_method="GET", permission="view")
def status_export_view(request):
    response = request.response
    response.body = build_status(request.context, organ_namer(request))
    response.content_type = XML
    response.charset = "utf-8"
    return response


@view_config(context=Delivery, name="status", request_method="POST", permission="view",
             edxml_body=True, renderer="json")
def status_import_view(request):
    delivery = request.context
    with _read(request) as message:
        status = read_status(message)
    _check_response_for(status, delivery)
    action, changed = apply_status(status, delivery, request.root.agencies, request.identity,
                                   timeutil.now(), registry=request.registry, request=request)
    return dict(delivery_json(request, delivery), status_code=status["code"],
                changed=changed)


def _check_response_for(status, delivery):
    from .schema import document_id
    record = delivery.record
    meta = record.metadata
    expected = document_id(record.agency_code, meta["issued_on"], record.number,
                           meta["notation"])
    if status["document_id"] != expected:
        raise ArchiveError("edxml_wrong_document",
                           "Thông điệp trạng thái nói về văn bản %s, không phải %s."
                           % (status["document_id"], expected), status=400)
