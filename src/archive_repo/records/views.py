"""HTTP for records management.  Thin: parse, call the domain function
(which fires its own event), answer.  Every refusal raises."""
from urllib.parse import urlparse

from pyramid.traversal import find_resource
from pyramid.view import view_config

from .. import timeutil
from ..errors import ArchiveError, BadRequest
from ..http import respond, url_of
from ..http.body import check_size, params_of, read_upload
from ..http.paging import page_of
from ..resources import Record
from ..rules import rule_policy
from ..rules.engine import evaluate_file
from . import deposit as dp
from . import disposal as dsp
from . import documents
from . import dossiers as ds
from . import fileplan as fp
from . import holds as hd
from .serialize import batch_json, deposit_json, dossier_json, dossier_summary, plan_json

TEMPLATES = "archive_repo.records:templates/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def created(request, resource, data):
    request.response.status_int = 201
    request.response.headers["Location"] = url_of(request, resource.path)
    return data


def resource_at(request, url):
    """What a URL (or a path) of this archive names, or None."""
    path = urlparse(url.strip()).path
    base = urlparse(request.application_url).path.rstrip("/")
    if base and path.startswith(base + "/"):
        path = path[len(base):]
    try:
        return find_resource(request.root, path)
    except KeyError:
        return None


def record_at(request, url):
    """The Record a URL (or path) names, which the caller may view; 400 when
    it names none, 403 when the caller may not see it."""
    if not isinstance(url, str) or not url.strip():
        raise BadRequest("record_required", "Phải ghi đường dẫn văn bản (record).",
                         [{"field": "record"}])
    found = resource_at(request, url)
    if not isinstance(found, Record):
        raise BadRequest("unknown_record", "Không tìm thấy văn bản %s." % url,
                         [{"field": "record", "value": url}])
    if not request.has_permission("view", found):
        raise ArchiveError("forbidden", "Bạn không có quyền xem văn bản %s." % found.path,
                           [{"record": found.path}], status=403)
    return found


@view_config(context=ds.Dossiers, request_method="GET", permission="view")
def dossiers_view(request):
    container = request.context
    found = list(container.values())
    state = request.params.get("state")
    if state:
        found = [d for d in found if d.state == state]
    page, size, shown = page_of(request, found)
    return respond(request, TEMPLATES + "dossiers.jinja2", {
        "agency": container.agency_code, "total": len(found), "page": page, "size": size,
        "results": [dossier_summary(request, d) for d in shown]})


@view_config(context=ds.Dossiers, request_method="POST", permission="manage_dossiers",
             renderer="json")
def open_view(request):
    agency = request.context.__parent__
    dossier = ds.open_dossier(agency, params_of(request), request.identity, timeutil.now(),
                              registry=request.registry, request=request)
    return created(request, dossier, dossier_json(request, dossier))


@view_config(context=ds.Dossier, request_method="GET", permission="view")
def dossier_view(request):
    dossier = request.context
    return respond(request, TEMPLATES + "dossier.jinja2",
                   dict(dossier_json(request, dossier), states=ds.STATES))


@view_config(context=ds.Dossier, name="documents.pdf", request_method="GET",
             permission="view")
def document_list_view(request):
    dossier = request.context
    return download(request, documents.document_list_pdf(dossier), "application/pdf",
                    "muc-luc-van-ban-%s.pdf" % dossier.file_code)


@view_config(context=ds.Dossier, name="dossier.xml", request_method="GET", permission="view")
def dossier_xml_view(request):
    dossier = request.context
    return download(request, documents.dossier_xml(dossier), "application/xml",
                    "ho-so-%s.xml" % dossier.file_code)


@view_config(context=ds.Dossier, request_method="PATCH", permission="manage_dossiers",
             renderer="json")
def update_view(request):
    params = dict(params_of(request))
    reason = params.pop("reason", None)
    dossier = ds.update_fields(request.context, params, request.identity, timeutil.now(),
                               registry=request.registry, request=request, reason=reason)
    return dossier_json(request, dossier)


@view_config(context=ds.Dossier, name="records", request_method="POST",
             permission="manage_dossiers", renderer="json")
def add_record_view(request):
    dossier = request.context
    record = record_at(request, params_of(request).get("record"))
    ds.add_record(dossier, record, request.identity, timeutil.now(),
                  registry=request.registry, request=request)
    return dossier_json(request, dossier)


@view_config(context=ds.Dossier, name="close", request_method="POST",
             permission="manage_dossiers", renderer="json")
def close_view(request):
    dossier = ds.close_dossier(request.context, request.identity, timeutil.now(),
                               registry=request.registry, request=request)
    return dossier_json(request, dossier)


# -- file plans ---------------------------------------------------------------

@view_config(context=fp.FilePlans, request_method="GET", permission="view")
def plans_view(request):
    plans = request.context
    return respond(request, TEMPLATES + "fileplans.jinja2", {
        "agency": plans.agency_code,
        "results": [plan_json(request, p) for p in plans.values()]})


@view_config(context=fp.FilePlans, request_method="POST", permission="manage_dossiers",
             renderer="json")
def make_plan_view(request):
    plan = fp.make_plan(request.context.__parent__, params_of(request), request.identity,
                        timeutil.now(), registry=request.registry, request=request)
    return created(request, plan, plan_json(request, plan))


@view_config(context=fp.FilePlan, request_method="GET", permission="view")
def plan_view(request):
    return respond(request, TEMPLATES + "fileplan.jinja2", plan_json(request, request.context))


@view_config(context=fp.FilePlan, name="approve", request_method="POST",
             permission="manage_dossiers", renderer="json")
def approve_view(request):
    plan = fp.approve(request.context, params_of(request), request.identity, timeutil.now(),
                      registry=request.registry, request=request)
    return plan_json(request, plan)


@view_config(context=fp.FilePlan, name="dossiers", request_method="POST",
             permission="manage_dossiers", renderer="json")
def open_from_plan_view(request):
    dossier = fp.open_from_plan(request.context, params_of(request).get("number"),
                                request.identity, timeutil.now(),
                                registry=request.registry, request=request)
    return created(request, dossier, dossier_json(request, dossier))


def agency_name(context):
    while context is not None and not hasattr(context, "code"):
        context = context.__parent__
    return context.name or context.code


def download(request, body, content_type, filename):
    response = request.response
    response.body = body
    response.content_type = content_type
    response.content_disposition = 'attachment; filename="%s"' % filename
    return response


@view_config(context=fp.FilePlan, name="plan.pdf", request_method="GET", permission="view")
def plan_pdf_view(request):
    plan = request.context
    return download(request, documents.plan_pdf(plan, agency_name(plan)), "application/pdf",
                    "danh-muc-ho-so-%d.pdf" % plan.year)


@view_config(context=fp.FilePlan, name="plan.xlsx", request_method="GET", permission="view")
def plan_xlsx_view(request):
    plan = request.context
    return download(request, documents.plan_xlsx(plan, agency_name(plan)), XLSX,
                    "danh-muc-ho-so-%d.xlsx" % plan.year)


# -- holds --------------------------------------------------------------------

def holdable(request):
    def resolve(url):
        found = resource_at(request, url)
        return found if isinstance(found, (Record, ds.Dossier)) else None
    return resolve


@view_config(context=hd.Holds, request_method="GET", permission="view")
def holds_view(request):
    holds = request.context
    found = [h for h in holds.values() if h.active or request.params.get("all")]
    return respond(request, TEMPLATES + "holds.jinja2", {
        "agency": holds.agency_code, "results": [h.as_json() for h in found]})


@view_config(context=hd.Holds, request_method="POST", permission="place_holds",
             renderer="json")
def place_view(request):
    params = params_of(request)
    hold = hd.place(request.context.__parent__, params.get("scope"), params.get("reason"),
                    params.get("reference"), request.identity, timeutil.now(),
                    registry=request.registry, request=request, resolve=holdable(request))
    return created(request, hold, hold.as_json())


@view_config(context=hd.Hold, request_method="GET", permission="view", renderer="json")
def hold_view(request):
    return request.context.as_json()


@view_config(context=hd.Hold, name="lift", request_method="POST", permission="place_holds",
             renderer="json")
def lift_view(request):
    hold = hd.lift(request.context, params_of(request).get("reason"), request.identity,
                   timeutil.now(), registry=request.registry, request=request)
    return hold.as_json()


# -- deposit to the agency archive ---------------------------------------------

def day_param(request, name="on"):
    """The day a listing judges by (``?on=YYYY-MM-DD``; today by default)."""
    raw = request.params.get(name)
    if not raw:
        return timeutil.now().date()
    try:
        return timeutil.parse_date(raw)
    except ValueError:
        raise BadRequest("invalid_date", "Ngày phải có dạng YYYY-MM-DD.",
                         [{"field": name, "value": raw}]) from None


@view_config(context=ds.Dossiers, name="deadlines", request_method="GET", permission="view",
             renderer="json")
def deadlines_view(request):
    """Closed dossiers by deposit status: ``reminder`` (deadline within 30
    days), ``overdue``, ``due`` (later)."""
    today = day_param(request)
    return {"on": today.isoformat(), **{
        status: [dossier_summary(request, d, today)
                 for d in dp.listing(request.context, today, {status})]
        for status in ("reminder", "overdue", "due")}}


@view_config(context=ds.Dossiers, name="remind", request_method="POST",
             permission="archive_dossiers", renderer="json")
def remind_view(request):
    today = day_param(request)
    reminded = dp.raise_reminders(request.context, today, request.identity,
                                  registry=request.registry, request=request)
    return {"on": today.isoformat(), "reminded": [dossier_summary(request, d, today)
                                                  for d in reminded]}


@view_config(context=ds.Dossier, name="keep-back", request_method="POST",
             permission="manage_dossiers", renderer="json")
def keep_back_view(request):
    dossier = dp.keep_back(request.context, params_of(request), request.identity,
                           timeutil.now(), registry=request.registry, request=request)
    return dossier_json(request, dossier)


def own_dossiers(request, agency, urls):
    if not isinstance(urls, list):
        raise BadRequest("dossiers_required", "Phải chọn ít nhất một hồ sơ để nộp lưu.",
                         [{"field": "dossiers"}])
    found = []
    for url in urls:
        dossier = resource_at(request, url) if isinstance(url, str) else None
        if not isinstance(dossier, ds.Dossier) or dossier.agency is not agency:
            raise BadRequest("unknown_dossier", "%r không phải hồ sơ của cơ quan %s."
                             % (url, agency.code), [{"field": "dossiers", "value": url}])
        if dossier not in found:
            found.append(dossier)
    return found


@view_config(context=dp.Deposits, request_method="GET", permission="view")
def deposits_view(request):
    """The deposits, and (the wizard's first step) the closed dossiers that
    may be handed over, with their deadlines."""
    container = ds.dossiers_of(request.context.__parent__)
    today = timeutil.now().date()
    return respond(request, TEMPLATES + "deposits.jinja2", {
        "agency": request.context.agency_code,
        "results": [deposit_json(request, d) for d in request.context.values()],
        "ready": [dossier_summary(request, d, today) for d in container.values()
                  if d.state == "closed"]})


@view_config(context=dp.Deposits, request_method="POST", permission="manage_dossiers",
             renderer="json")
def submit_view(request):
    agency = request.context.__parent__
    params = params_of(request)
    deposit = dp.submit(agency, own_dossiers(request, agency, params.get("dossiers")),
                        params.get("handed_by"), params.get("archive"), request.identity,
                        timeutil.now(), registry=request.registry, request=request)
    return created(request, deposit, deposit_json(request, deposit))


@view_config(context=dp.Deposits, name="check", request_method="POST",
             permission="manage_dossiers", renderer="json")
def check_view(request):
    """The wizard's second step without handing anything over: what keeps
    the chosen dossiers from being deposited (completeness, hashes,
    signatures)."""
    agency = request.context.__parent__
    chosen = own_dossiers(request, agency, params_of(request).get("dossiers"))
    problems = [p for d in chosen for p in dp.problems_of(d)]
    return {"ready": bool(chosen) and not problems, "problems": problems,
            "dossiers": [dossier_summary(request, d) for d in chosen]}


@view_config(context=dp.Deposit, request_method="GET", permission="view")
def deposit_view(request):
    return respond(request, TEMPLATES + "deposit.jinja2", deposit_json(request, request.context))


def decide_view(request, verb):
    params = params_of(request)
    deposit = dp.decide(request.context, verb, params.get("received_by"), params.get("reason"),
                        request.identity, timeutil.now(), registry=request.registry,
                        request=request)
    return deposit_json(request, deposit)


@view_config(context=dp.Deposit, name="accept", request_method="POST",
             permission="archive_dossiers", renderer="json")
def accept_view(request):
    return decide_view(request, "accept")


@view_config(context=dp.Deposit, name="return", request_method="POST",
             permission="archive_dossiers", renderer="json")
def return_view(request):
    return decide_view(request, "return")


# name → (builder, content type, file name)
DEPOSIT_DOCUMENTS = {
    "list.pdf": (documents.deposit_list_pdf, "application/pdf", "muc-luc-nop-luu"),
    "handover.pdf": (documents.handover_pdf, "application/pdf", "bien-ban-giao-nhan"),
    "list.xml": (lambda d: documents.deposit_xml(d, "list"), "application/xml",
                 "muc-luc-nop-luu"),
    "handover.xml": (lambda d: documents.deposit_xml(d, "handover"), "application/xml",
                     "bien-ban-giao-nhan"),
}


@view_config(context=dp.Deposit, name="list.pdf", request_method="GET", permission="view")
@view_config(context=dp.Deposit, name="list.xml", request_method="GET", permission="view")
@view_config(context=dp.Deposit, name="handover.pdf", request_method="GET", permission="view")
@view_config(context=dp.Deposit, name="handover.xml", request_method="GET", permission="view")
def deposit_document(request):
    build, content_type, stem = DEPOSIT_DOCUMENTS[request.view_name]
    deposit = request.context
    return download(request, build(deposit), content_type,
                    "%s-%s.%s" % (stem, deposit.__name__, request.view_name.rsplit(".", 1)[1]))



# -- disposal --------------------------------------------------------------------

@view_config(context=dsp.Batches, request_method="GET", permission="view")
def batches_view(request):
    return respond(request, TEMPLATES + "disposals.jinja2", {
        "agency": request.context.agency_code,
        "results": [batch_json(request, b) for b in request.context.values()]})


@view_config(context=dsp.Batches, name="candidates", request_method="GET",
             permission="view", renderer="json")
def candidates_view(request):
    """Dossiers that may be proposed for disposal today (the clock is the
    server's: disposal is never judged on a day the caller names)."""
    container = ds.dossiers_of(request.context.__parent__)
    today = timeutil.now().date()
    return {"on": today.isoformat(),
            "results": [dossier_summary(request, d) for d in dsp.candidates(container, today)]}


@view_config(context=dsp.Batches, request_method="POST", permission="manage_dossiers",
             renderer="json")
def propose_view(request):
    agency = request.context.__parent__
    params = params_of(request)
    batch = dsp.propose(agency, own_dossiers(request, agency, params.get("dossiers")),
                        params.get("note"), request.identity, timeutil.now(),
                        timeutil.now().date(), registry=request.registry, request=request)
    return created(request, batch, batch_json(request, batch))


@view_config(context=dsp.Batch, request_method="GET", permission="view")
def batch_view(request):
    return respond(request, TEMPLATES + "disposal.jinja2", batch_json(request, request.context))


@view_config(context=dsp.Batch, name="council", request_method="POST",
             permission="archive_dossiers", renderer="json")
@view_config(context=dsp.Batch, name="decision", request_method="POST",
             permission="archive_dossiers", renderer="json")
def attach_view(request):
    """multipart: ``file`` (the signed PDF); for the decision also
    ``number``, ``date``, ``signer``."""
    check_size(request)
    at = timeutil.now()
    with read_upload(request) as form:
        fields = form.fields
        meta = {"doctype": "BB" if request.view_name == "council" else "QĐ",
                "notation": fields.get("number") or "", "subject": dsp.ATTACHMENTS[
                    request.view_name], "issued_on": fields.get("date") or
                at.date().isoformat(), "signer": fields.get("signer") or "",
                "receivers": []}
        report = evaluate_file(form.upload, meta, at, rule_policy(request.registry))
        batch = dsp.attach(request.context, request.view_name, fields, form.upload, report,
                           request.identity, at, registry=request.registry, request=request)
    return batch_json(request, batch)


@view_config(context=dsp.Batch, name="retain", request_method="POST",
             permission="archive_dossiers", renderer="json")
def retain_view(request):
    batch = request.context
    params = params_of(request)
    dsp.retain(batch, own_dossiers(request, batch.agency, params.get("dossiers")),
               params.get("reason"), request.identity, timeutil.now(),
               registry=request.registry, request=request)
    return batch_json(request, batch)


@view_config(context=dsp.Batch, name="execute", request_method="POST",
             permission="archive_dossiers", renderer="json")
def execute_view(request):
    batch = dsp.execute(request.context, request.identity, timeutil.now(),
                        registry=request.registry, request=request)
    return batch_json(request, batch)


@view_config(context=dsp.Batch, name="list.pdf", request_method="GET", permission="view")
def disposal_list_view(request):
    batch = request.context
    return download(request, documents.disposal_list_pdf(batch), "application/pdf",
                    "danh-muc-tieu-huy-%s.pdf" % batch.__name__)


@view_config(context=dsp.Batch, name="minute.pdf", request_method="GET", permission="view")
def minute_view(request):
    batch = request.context
    if batch.state != "executed":
        raise ArchiveError("not_executed", "Danh sách chưa được tiêu hủy: chưa có biên bản.",
                           status=404)
    return download(request, documents.minute_pdf(batch), "application/pdf",
                    "bien-ban-tieu-huy-%s.pdf" % batch.__name__)
