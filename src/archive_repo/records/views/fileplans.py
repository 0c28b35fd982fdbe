"""File plans: make, approve, open dossiers from them, PDF and XLSX."""
from pyramid.view import view_config

from ... import timeutil
from ...http import after_form, respond, url_of
from ...http.body import params_of
from .. import documents
from .. import fileplan as fp
from ..serialize import dossier_json, plan_json
from ..retention import RETENTION_CODES, schedule_of
from . import TEMPLATES, XLSX, agency_name, created, download

# Blank rows the form offers; a browser without script posts what it shows,
# one with script adds rows (fileplans.jinja2).
FORM_HEADINGS = 4
FORM_ENTRIES = 8


def form_choices(request):
    """What the plan form (``plan_form.jinja2``) offers."""
    return {"schedule": [i.as_json() for i in schedule_of(request.registry)],
            "retention_codes": [(code, label) for code, (label, _) in
                                RETENTION_CODES.items() if code != "07"],
            "blank_headings": FORM_HEADINGS, "blank_entries": FORM_ENTRIES}


def plan_params(request):
    params = params_of(request)
    return fp.plan_from_form(params) if hasattr(params, "getall") else params


@view_config(context=fp.FilePlans, request_method="GET", permission="view")
def plans_view(request):
    plans = request.context
    return respond(request, TEMPLATES + "fileplans.jinja2", dict(
        form_choices(request), agency=plans.agency_code,
        results=[plan_json(request, p) for p in plans.values()],
        next_year=timeutil.now().year + 1))


@view_config(context=fp.FilePlans, request_method="POST", permission="manage_dossiers",
             renderer="json")
def make_plan_view(request):
    params = plan_params(request)
    plan = fp.make_plan(request.context.__parent__, params, request.identity,
                        timeutil.now(), registry=request.registry, request=request)
    return after_form(request, url_of(request, plan.path),
                      created(request, plan, plan_json(request, plan)))


@view_config(context=fp.FilePlan, request_method="GET", permission="view")
def plan_view(request):
    return respond(request, TEMPLATES + "fileplan.jinja2",
                   dict(form_choices(request), **plan_json(request, request.context)))


@view_config(context=fp.FilePlan, name="revise", request_method="POST",
             permission="manage_dossiers", renderer="json")
def revise_view(request):
    plan = fp.revise(request.context, plan_params(request), request.identity, timeutil.now(),
                     registry=request.registry, request=request)
    return after_form(request, url_of(request, plan.path), plan_json(request, plan))


@view_config(context=fp.FilePlan, name="approve", request_method="POST",
             permission="manage_dossiers", renderer="json")
def approve_view(request):
    plan = fp.approve(request.context, params_of(request), request.identity, timeutil.now(),
                      registry=request.registry, request=request)
    return after_form(request, url_of(request, plan.path), plan_json(request, plan))


@view_config(context=fp.FilePlan, name="dossiers", request_method="POST",
             permission="manage_dossiers", renderer="json")
def open_from_plan_view(request):
    dossier = fp.open_from_plan(request.context, params_of(request).get("number"),
                                request.identity, timeutil.now(),
                                registry=request.registry, request=request)
    return after_form(request, url_of(request, dossier.path),
                      created(request, dossier, dossier_json(request, dossier)))


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
