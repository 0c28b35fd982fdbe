"""The tree's containers: the root (agencies), an agency (its years), a year
(its records, newest first) — and deposit into a year."""
from pyramid.view import view_config

from .. import timeutil
from ..rules import rule_policy
from ..rules.engine import evaluate_file
from ..rules.issuer import issuer_of
from ..deposit import duplicates, service
from ..http import respond, url_of
from ..http.body import check_size, read_upload
from ..http.paging import page_params, paged
from ..http.serialize import record_json, record_summary
from ..limits import limits_of
from ..retrying import run_step
from ..indexing.listing import list_records, recalled_choice
from ..resources import Agency, ArchiveRoot, Year


@view_config(context=ArchiveRoot, request_method="GET", permission="browse")
def root_view(request):
    """The agency directory, by code, one page at a time (a slice of the
    BTree's values: only the buckets shown are loaded)."""
    page, size = page_params(request)
    folder, start = request.context.agencies, (page - 1) * size
    agencies = [{"code": a.code, "name": a.name, "url": url_of(request, "/" + a.code),
                 "active": a.valid_to is None, "valid_to": a.valid_to and str(a.valid_to)}
                for a in folder.values()[start:start + size]]
    return respond(request, "archive_repo:templates/root.jinja2",
                    paged({"agencies": agencies}, page, size, len(folder)))


@view_config(context=Agency, request_method="GET", permission="view")
def agency_view(request):
    """An agency and its years, newest first, one page at a time."""
    agency = request.context
    page, size = page_params(request)
    years = [{"year": y.year, "url": url_of(request, "/%s/%d" % (agency.code, y.year)),
              "count": len(y)}
             for y in agency.page(start=(page - 1) * size, size=size)]
    return respond(request, "archive_repo:templates/agency.jinja2", paged(
        {"code": agency.code, "name": agency.name, "years": years,
         "valid_from": agency.valid_from and str(agency.valid_from),
         "valid_to": agency.valid_to and str(agency.valid_to),
         "successor": agency.successor}, page, size, len(agency)))


@view_config(context=Year, request_method="GET", permission="view")
def year_view(request):
    """The year's register, newest number first, from the catalog (only
    what the caller may view; recalled records with ``?recalled=all``)."""
    year = request.context
    page, size = page_params(request)
    recalled = recalled_choice(request.params)
    total, records = list_records(request, year.agency_code, year.year,
                                  start=(page - 1) * size, size=size, recalled=recalled)
    return respond(request, "archive_repo:templates/year.jinja2", {
        "agency": year.agency_code, "year": year.year, "total": total,
        "page": page, "size": size, "recalled": request.params.get("recalled", "false"),
        "records": [record_summary(request, r) for r in records],
    })


@view_config(context=Year, request_method="POST", permission="deposit",
             renderer="json", require_csrf=False)     # checked by read_upload
def deposit_view(request):
    year = request.context
    check_size(request)
    root = request.root
    known = lambda code: code in root.agencies  # noqa: E731
    checked, limits = {}, limits_of(request.registry)

    def before_file(fields):
        # state secrets and bad metadata refused before the file is written
        if "metadata" in fields:
            checked["meta"] = service.prepare(fields["metadata"], year, known, limits)

    at = timeutil.now()
    with read_upload(request, before_file) as form:
        meta = checked.get("meta") or service.prepare(form.fields.get("metadata"), year, known,
                                                         limits)
        spooled = form.upload
        duplicates.check(year, meta, spooled.sha256, request)     # before the costly rules
        report = evaluate_file(spooled, meta, at, rule_policy(request.registry), issuer_of(year))
        # the time is taken again inside the step: numbers follow deposit
        # times (Decree 30) even when a later request registers first
        record = run_step(request, lambda: service.deposit(
            year, meta, spooled, report, request.identity, timeutil.now(),
            registry=request.registry, request=request), key=(year.agency_code, year.year))
    request.response.status_int = 201
    request.response.headers["Location"] = url_of(request, record.path)
    return record_json(request, record)
