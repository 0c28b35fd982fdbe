"""Dossiers: open, read, change, add records, close, export."""
from pyramid.view import view_config

from ... import timeutil
from ...http import after_form, respond, url_of
from ...http.body import params_of
from ...http.paging import page_of
from .. import documents
from .. import dossiers as ds
from ..serialize import dossier_json, dossier_summary
from . import TEMPLATES, created, download, record_at


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
    return after_form(request, url_of(request, dossier.path), dossier_json(request, dossier))


@view_config(context=ds.Dossier, name="close", request_method="POST",
             permission="manage_dossiers", renderer="json")
def close_view(request):
    dossier = ds.close_dossier(request.context, request.identity, timeutil.now(),
                               registry=request.registry, request=request)
    return after_form(request, url_of(request, dossier.path), dossier_json(request, dossier))
