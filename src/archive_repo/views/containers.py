"""The tree's containers: the root (agencies), an agency (its years), a year
(its records, newest first) — and deposit into a year."""
from pyramid.view import view_config

from .. import audit, timeutil
from ..deposit import service
from ..deposit.upload import read_form, upload_limit
from ..errors import ArchiveError, BadRequest, TooLarge
from ..indexing.listing import list_records, recalled_choice
from ..resources import Agency, ArchiveRoot, Year
from . import url_of, wants_json
from .serialize import record_json

PAGE_SIZE = 50


def _page(request):
    try:
        page = int(request.params.get("page", "1"))
        size = int(request.params.get("size", PAGE_SIZE))
    except ValueError:
        raise BadRequest("invalid_page", "Tham số page/size phải là số nguyên.")
    if page < 1 or not 1 <= size <= 500:
        raise BadRequest("invalid_page", "page ≥ 1 và 1 ≤ size ≤ 500.")
    return page, size


def _respond(request, template, data):
    from pyramid.renderers import render_to_response
    return render_to_response("json" if wants_json(request) else template, data,
                              request=request)


def _paged(data, page, size, total):
    """A listing's page with what a client needs to ask for the next one."""
    return dict(data, page=page, size=size, total=total,
                pages=max(1, -(-total // size)))


@view_config(context=ArchiveRoot, request_method="GET", permission="browse")
def root_view(request):
    """The agency directory, by code, one page at a time (a slice of the
    BTree's values: only the buckets shown are loaded)."""
    page, size = _page(request)
    folder, start = request.context.agencies, (page - 1) * size
    agencies = [{"code": a.code, "name": a.name, "url": url_of(request, "/" + a.code),
                 "active": a.valid_to is None, "valid_to": a.valid_to and str(a.valid_to)}
                for a in folder.values()[start:start + size]]
    return _respond(request, "archive_repo:templates/root.jinja2",
                    _paged({"agencies": agencies}, page, size, len(folder)))


@view_config(context=Agency, request_method="GET", permission="view")
def agency_view(request):
    """An agency and its years, newest first, one page at a time."""
    agency = request.context
    page, size = _page(request)
    years = [{"year": y.year, "url": url_of(request, "/%s/%d" % (agency.code, y.year)),
              "count": len(y)}
             for y in agency.page(start=(page - 1) * size, size=size)]
    return _respond(request, "archive_repo:templates/agency.jinja2", _paged(
        {"code": agency.code, "name": agency.name, "years": years,
         "valid_from": agency.valid_from and str(agency.valid_from),
         "valid_to": agency.valid_to and str(agency.valid_to),
         "successor": agency.successor}, page, size, len(agency)))


def record_summary(request, record):
    meta = record.metadata
    return {"url": url_of(request, record.path), "number": record.number,
            "notation": meta.get("notation"), "doctype": meta.get("doctype"),
            "subject": meta.get("subject"), "issued_on": meta.get("issued_on"),
            "issued_on_shown": timeutil.show_date(_date(meta.get("issued_on"))),
            "legal_status": record.legal_status, "recalled": record.recalled,
            "urgency": meta.get("urgency")}


def _date(text):
    from datetime import date
    return date.fromisoformat(text) if text else None


@view_config(context=Year, request_method="GET", permission="view")
def year_view(request):
    """The year's register, newest number first, from the catalog (only
    what the caller may view; recalled records with ``?recalled=all``)."""
    year = request.context
    page, size = _page(request)
    recalled = recalled_choice(request.params)
    total, records = list_records(request, year.agency_code, year.year,
                                  start=(page - 1) * size, size=size, recalled=recalled)
    return _respond(request, "archive_repo:templates/year.jinja2", {
        "agency": year.agency_code, "year": year.year, "total": total,
        "page": page, "size": size, "recalled": request.params.get("recalled", "false"),
        "records": [record_summary(request, r) for r in records],
    })


def _check_size(request):
    """411 / 413 from the headers alone.  The body is still unread here: for a
    body over the limit ``retrying.activate_hook`` turned off the copy
    pyramid_retry would otherwise make before any view runs."""
    limit = upload_limit(request.registry.settings)
    length = request.content_length
    if length is None:
        raise ArchiveError("length_required",
                           "Yêu cầu phải có tiêu đề Content-Length.", status=411)
    if length > limit:
        raise TooLarge("too_large", "Tệp vượt quá giới hạn %d MB." % (limit >> 20),
                       [{"limit_bytes": limit, "content_length": length}])


def read_upload(request, before_file=None):
    """The body's form (fields and spooled file); 400 without a file."""
    form = read_form(request, blob_tmpdir(request), before_file=before_file)
    if form.upload is None:
        raise BadRequest("missing_file", "Thiếu tệp PDF (trường file).", [{"field": "file"}])
    return form


def blob_tmpdir(request):
    from pyramid_zodbconn import get_connection
    storage = get_connection(request).db().storage
    tmp = getattr(storage, "temporaryDirectory", None)
    return tmp() if tmp else None


@view_config(context=Year, request_method="POST", permission="deposit",
             renderer="json")
def deposit_view(request):
    year = request.context
    _check_size(request)
    root = request.root
    known = lambda code: code in root.agencies  # noqa: E731
    checked = {}

    def before_file(fields):
        # state secrets and bad metadata refused before the file is written
        if "metadata" in fields:
            checked["meta"] = service.prepare(fields["metadata"], year, known)

    at = timeutil.now()
    with read_upload(request, before_file) as form:
        meta = checked.get("meta") or service.prepare(form.fields.get("metadata"), year, known)
        spooled = form.upload
        report = service.evaluate_file(spooled, meta, at, request.registry.rule_policy)
        record = service.deposit(year, meta, spooled, report, request.identity.token_id,
                                 at, notify=request.registry.notify, request=request)
    audit.record(request, "deposit", record.path, number=record.number,
                 sha256=record.current.sha256, legal_status=record.legal_status)
    request.response.status_int = 201
    request.response.headers["Location"] = url_of(request, record.path)
    return record_json(request, record)
