"""Deposit to the agency archive: deadlines, reminders, keep-back, deposits."""
from pyramid.view import view_config

from ... import timeutil
from ...http import after_form, respond, url_of, wants_json
from ...http.body import params_of
from .. import documents
from .. import deposit as dp
from .. import dossiers as ds
from ..serialize import deposit_json, dossier_json, dossier_summary
from . import TEMPLATES, created, day_param, download, list_param, own_dossiers


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




def deposits_page(request, checked=None):
    """The deposits, and (the wizard's first step) the closed dossiers that
    may be handed over, with their deadlines; ``checked``: the second
    step's answer, shown above them."""
    container = ds.dossiers_of(request.context.__parent__)
    today = timeutil.now().date()
    return respond(request, TEMPLATES + "deposits.jinja2", {
        "agency": request.context.agency_code, "checked": checked,
        "results": [deposit_json(request, d) for d in request.context.values()],
        "ready": [dossier_summary(request, d, today) for d in container.values()
                  if d.state == "closed"]})


@view_config(context=dp.Deposits, request_method="GET", permission="view")
def deposits_view(request):
    return deposits_page(request)


@view_config(context=dp.Deposits, request_method="POST", permission="manage_dossiers",
             renderer="json")
def submit_view(request):
    agency = request.context.__parent__
    params = params_of(request)
    deposit = dp.submit(agency, own_dossiers(request, agency, list_param(params, "dossiers")),
                        params.get("handed_by"), params.get("archive"), request.identity,
                        timeutil.now(), registry=request.registry, request=request)
    return after_form(request, url_of(request, deposit.path),
                      created(request, deposit, deposit_json(request, deposit)))


@view_config(context=dp.Deposits, name="check", request_method="POST",
             permission="manage_dossiers", renderer="json")
def check_view(request):
    """The wizard's second step without handing anything over: what keeps
    the chosen dossiers from being deposited (completeness, hashes,
    signatures)."""
    agency = request.context.__parent__
    chosen = own_dossiers(request, agency, list_param(params_of(request), "dossiers"))
    problems = [p for d in chosen for p in dp.problems_of(d)]
    checked = {"ready": bool(chosen) and not problems, "problems": problems,
               "dossiers": [dossier_summary(request, d) for d in chosen]}
    # changes nothing: a browser gets the wizard's page with the answer
    return checked if wants_json(request) else deposits_page(request, checked)


@view_config(context=dp.Deposit, request_method="GET", permission="view")
def deposit_view(request):
    return respond(request, TEMPLATES + "deposit.jinja2", deposit_json(request, request.context))


def decide_view(request, verb):
    params = params_of(request)
    deposit = dp.decide(request.context, verb, params.get("received_by"), params.get("reason"),
                        request.identity, timeutil.now(), registry=request.registry,
                        request=request)
    return after_form(request, url_of(request, deposit.path), deposit_json(request, deposit))


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
