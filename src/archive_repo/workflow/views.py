"""HTTP for the lifecycle.  Thin: parse, call the domain function (which
fires its own event: catalog, feed and audit hear of it), answer.  Every
refusal raises (pyramid_tm aborts).

Transitions use the ``view`` permission so strangers get 401/403 from the
security policy; which agency's clerk may do each step is then decided by
the domain (deliveries.TRANSITIONS), in one place.
"""

from pyramid.renderers import render_to_response
from pyramid.view import view_config

from .. import timeutil
from ..rules import rule_policy
from ..errors import BadRequest
from ..resources import Agency, Record
from ..http import after_form, url_of, wants_json
from ..http.body import check_size, params_of, read_upload
from ..http.paging import page_of, page_params
from ..http.serialize import delivery_json, record_json, version_json
from ..retrying import run_step
from . import actions, tracking
from . import deliveries as dl
from . import recall as rc
from . import versions as vs
from .incoming import IncomingEntry, IncomingRegister, IncomingYear, register_of
from .versions import VersionContext, Versions

TEMPLATES = "archive_repo.workflow:templates/"


def respond(request, template, data):
    if wants_json(request):
        return render_to_response("json", data, request=request)
    return render_to_response(TEMPLATES + template, data, request=request)


def clean_states(raw):
    states = [s for s in (raw or "").split(",") if s]
    unknown = [s for s in states if s not in dl.STATE_LABELS]
    if unknown:
        raise BadRequest("invalid_state", "Trạng thái không hợp lệ: %s (chỉ nhận %s)."
                         % (", ".join(unknown), ", ".join(dl.STATE_LABELS)),
                         [{"field": "state", "value": raw}])
    return set(states)


# -- the receiver's inbox; the sender's outbox, refused, overdue ----------

@view_config(context=Agency, name="inbox", request_method="GET", permission="view")
def inbox_view(request):
    agency = request.context
    states = clean_states(request.params.get("state"))
    found = dl.listing(dl.index_of(agency, dl.INBOX), states)
    page, size, shown = page_of(request, found)
    return respond(request, "inbox.jinja2", {
        "agency": agency.code, "name": agency.name, "state": sorted(states),
        "total": len(found), "page": page, "size": size,
        "results": [delivery_json(request, d) for d in shown],
        "state_labels": dl.STATE_LABELS, "refusal_reasons": dl.REFUSAL_REASONS})


def _outbox_page(request, title, found, extra=None):
    agency = request.context
    page, size, shown = page_of(request, found)
    results = []
    for item in shown:
        delivery, waited = item if isinstance(item, tuple) else (item, None)
        data = delivery_json(request, delivery)
        if waited is not None:
            data["working_days_waiting"] = waited
        results.append(data)
    data = {"agency": agency.code, "name": agency.name, "title": title,
            "total": len(found), "page": page, "size": size, "results": results}
    data.update(extra or {})
    return respond(request, "outbox.jinja2", data)


@view_config(context=Agency, name="outbox", request_method="GET", permission="view")
def outbox_view(request):
    states = clean_states(request.params.get("state"))
    found = dl.listing(dl.index_of(request.context, dl.OUTBOX), states)
    return _outbox_page(request, "Văn bản đã gửi", found, {"state": sorted(states)})


@view_config(context=Agency, name="refused", request_method="GET", permission="view")
def refused_view(request):
    found = tracking.refused(dl.index_of(request.context, dl.OUTBOX))
    return _outbox_page(request, "Văn bản bị bên nhận từ chối", found)


@view_config(context=Agency, name="overdue", request_method="GET", permission="view")
def overdue_view(request):
    from ..rules.calendar import calendar_for
    days = tracking.clean_days(request.params.get("days"))
    as_of = tracking.clean_date(request.params.get("as_of"))
    found = tracking.overdue(dl.index_of(request.context, dl.OUTBOX), days, as_of,
                             calendar_for(rule_policy(request.registry)))
    return _outbox_page(
        request, "Văn bản chưa được tiếp nhận sau %d ngày làm việc (tính đến %s)"
        % (days, timeutil.show_date(as_of)), found,
        {"days": days, "as_of": as_of.isoformat()})


# -- the incoming register --------------------------------------------------

def _register_json(request, agency, register):
    years = list(reversed(list(register.items()))) if register is not None else []
    return {"agency": agency.code, "name": agency.name,
            "years": [{"year": y, "count": len(c),
                       "url": url_of(request, "/%s/incoming/%d" % (agency.code, y))}
                      for y, c in years]}


@view_config(context=Agency, name="incoming", request_method="GET", permission="view")
def empty_register_view(request):
    # no register yet: nothing accepted so far (the register is created on
    # the first accept, never by a GET)
    return respond(request, "register.jinja2",
                   _register_json(request, request.context, register_of(request.context)))


@view_config(context=IncomingRegister, request_method="GET", permission="view")
def register_view(request):
    register = request.context
    return respond(request, "register.jinja2",
                   _register_json(request, register.__parent__, register))


def entry_json(request, entry):
    data = entry.as_json()
    data["url"] = url_of(request, entry.path)
    data["record_url"] = url_of(request, entry.record_path)
    return data


@view_config(context=IncomingYear, request_method="GET", permission="view")
def register_year_view(request):
    year = request.context
    page, size = page_params(request)
    entries = year.page(start=(page - 1) * size, size=size)
    agency = year.__parent__.__parent__
    return respond(request, "register_year.jinja2", {
        "agency": agency.code, "name": agency.name, "year": year.year,
        "total": len(year), "page": page, "size": size,
        "entries": [entry_json(request, e) for e in entries]})


@view_config(context=IncomingEntry, request_method="GET", permission="view")
def entry_view(request):
    data = entry_json(request, request.context)
    if wants_json(request):
        return render_to_response("json", data, request=request)
    return render_to_response(TEMPLATES + "entry.jinja2", {"e": data}, request=request)


# -- transitions ----------------------------------------------------------

@view_config(context=dl.Deliveries, request_method="GET", permission="view",
             renderer="json")
def deliveries_view(request):
    record = request.context.record
    return {"record": url_of(request, record.path),
            "recall": record.recall.as_json() if record.recall else None,
            "deliveries": [delivery_json(request, d) for d in record.deliveries]}


@view_config(context=dl.Delivery, request_method="GET", permission="view",
             renderer="json")
def delivery_view(request):
    return delivery_json(request, request.context)


def year_lock(delivery):
    """A delivery step's lock: the sender's agency-year, as for deposits.
    What a step rewrites besides the receiver's own objects (the record's
    kept delivery states, its facts row, the year's touch stamps, the
    sender's audit tail) is shared by that year's records; two steps
    committing them at once made ZODB merge them inside FileStorage's commit
    lock, and eight receivers replayed each other's accepts
    (bench/workflow.py)."""
    record = delivery.record
    return (record.agency_code, record.year)


@view_config(context=dl.Delivery, name="accept", request_method="POST",
             permission="view", renderer="json")
def accept_view(request):
    delivery = request.context
    params = params_of(request)
    entry = run_step(request, lambda: actions.accept(
        request.root.agencies, delivery, request.identity, timeutil.now(),
        params.get("handler"), registry=request.registry, request=request),
        key=year_lock(delivery))
    return after_form(request, url_of(request, "/%s/inbox" % delivery.receiver),
                      dict(delivery_json(request, delivery), entry=entry_json(request, entry)))


@view_config(context=dl.Delivery, name="refuse", request_method="POST",
             permission="view", renderer="json")
def refuse_view(request):
    delivery = request.context
    params = params_of(request)
    run_step(request, lambda: actions.refuse(
        delivery, request.identity, timeutil.now(), params.get("reason_code"),
        params.get("reason"), registry=request.registry, request=request),
        key=year_lock(delivery))
    return after_form(request, url_of(request, "/%s/inbox" % delivery.receiver),
                      delivery_json(request, delivery))


@view_config(context=dl.Delivery, name="acknowledge-recall", request_method="POST",
             permission="view", renderer="json")
def acknowledge_view(request):
    delivery = request.context
    run_step(request, lambda: rc.acknowledge(
        delivery, request.root.agencies[delivery.receiver], request.identity,
        timeutil.now(), registry=request.registry, request=request),
        key=year_lock(delivery))
    return after_form(request, url_of(request, "/%s/inbox" % delivery.receiver),
                      delivery_json(request, delivery))


@view_config(context=Record, name="recall", request_method="POST", permission="view",
             renderer="json")
def recall_view(request):
    record = request.context
    notice, asked = rc.recall(record, request.identity, params_of(request).get("reason"),
                              timeutil.now(), registry=request.registry, request=request)
    return after_form(request, url_of(request, record.path), notice.as_json())


# -- versions ---------------------------------------------------------------

@view_config(context=Versions, request_method="GET", permission="view",
             renderer="json")
def versions_view(request):
    record = request.context.record
    return {"record": url_of(request, record.path),
            "versions": [version_json(request, record, v) for v in record.versions]}


@view_config(context=Versions, request_method="POST", permission="view",
             renderer="json", require_csrf=False)    # checked by read_upload
def new_version_view(request):
    record = request.context.record
    vs.check_allowed(record, request.identity)
    check_size(request)
    at = timeutil.now()
    with read_upload(request) as form:
        kind = vs.check_kind(form.fields.get("kind", "update"))
        version, duplicate = vs.add_version(
            record, kind, form.upload, request.identity, at, rule_policy(request.registry),
            registry=request.registry, request=request)
    request.response.status_int = 200 if duplicate else 201
    request.response.headers["Location"] = url_of(
        request, "%s/versions/%d" % (record.path, version.number))
    return after_form(request, url_of(request, record.path),
                      dict(record_json(request, record), duplicate=duplicate,
                           version=version_json(request, record, version)))


@view_config(context=VersionContext, request_method="GET", permission="view",
             renderer="json")
def version_view(request):
    context = request.context
    data = version_json(request, context.record, context.version)
    # the report is about this file: say which one
    data["report"] = dict(context.version.report or {}, sha256=context.version.sha256)
    return data


@view_config(context=VersionContext, name="document.pdf",
             request_method=("GET", "HEAD"), permission="read_document")
def version_document_view(request):
    from ..views.record import serve_version
    return serve_version(request, request.context.record, request.context.version)
