"""Disposal batches: candidates, propose, retain, attach, execute, documents."""
from pyramid.view import view_config

from ... import timeutil
from ...errors import ArchiveError
from ...http import after_form, respond, url_of
from ...http.body import check_size, params_of, read_upload
from ...rules import rule_policy
from ...rules.engine import evaluate_file
from .. import documents
from .. import disposal as dsp
from .. import dossiers as ds
from ..serialize import batch_json, dossier_summary
from . import TEMPLATES, created, download, list_param, own_dossiers


@view_config(context=dsp.Batches, request_method="GET", permission="view")
def batches_view(request):
    """The batches, and the form proposing a new one from today's candidates."""
    container = ds.dossiers_of(request.context.__parent__)
    return respond(request, TEMPLATES + "disposals.jinja2", {
        "agency": request.context.agency_code,
        "results": [batch_json(request, b) for b in request.context.values()],
        "candidates": [dossier_summary(request, d) for d in
                       dsp.candidates(container, timeutil.now().date())]})


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
    batch = dsp.propose(agency, own_dossiers(request, agency, list_param(params, "dossiers")),
                        params.get("note"), request.identity, timeutil.now(),
                        timeutil.now().date(), registry=request.registry, request=request)
    return after_form(request, url_of(request, batch.path),
                      created(request, batch, batch_json(request, batch)))


@view_config(context=dsp.Batch, request_method="GET", permission="view")
def batch_view(request):
    return respond(request, TEMPLATES + "disposal.jinja2", batch_json(request, request.context))


@view_config(context=dsp.Batch, name="council", request_method="POST",
             permission="archive_dossiers", renderer="json",
             require_csrf=False)        # checked by read_upload, before the file
@view_config(context=dsp.Batch, name="decision", request_method="POST",
             permission="archive_dossiers", renderer="json", require_csrf=False)
def attach_view(request):
    """multipart: ``file`` (the signed PDF); for the decision also
    ``number``, ``date``, ``signer``.  A browser's form is sent back to the
    batch's page."""
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
    return after_form(request, url_of(request, batch.path), batch_json(request, batch))


@view_config(context=dsp.Batch, name="retain", request_method="POST",
             permission="archive_dossiers", renderer="json")
def retain_view(request):
    batch = request.context
    params = params_of(request)
    dsp.retain(batch, own_dossiers(request, batch.agency, list_param(params, "dossiers")),
               params.get("reason"), request.identity, timeutil.now(),
               registry=request.registry, request=request)
    return after_form(request, url_of(request, batch.path), batch_json(request, batch))


@view_config(context=dsp.Batch, name="execute", request_method="POST",
             permission="archive_dossiers", renderer="json")
def execute_view(request):
    batch = dsp.execute(request.context, request.identity, timeutil.now(),
                        registry=request.registry, request=request)
    return after_form(request, url_of(request, batch.path), batch_json(request, batch))


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
