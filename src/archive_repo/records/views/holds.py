"""Holds: place, read, lift."""
from pyramid.view import view_config

from ... import timeutil
from ...http import after_form, respond, url_of
from ...http.body import params_of
from ...resources import Record
from .. import dossiers as ds
from .. import holds as hd
from . import TEMPLATES, created, list_param, resource_at


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
    hold = hd.place(request.context.__parent__, list_param(params, "scope"), params.get("reason"),
                    params.get("reference"), request.identity, timeutil.now(),
                    registry=request.registry, request=request, resolve=holdable(request))
    return after_form(request, url_of(request, request.context.path),
                      created(request, hold, hold.as_json()))


@view_config(context=hd.Hold, request_method="GET", permission="view", renderer="json")
def hold_view(request):
    return request.context.as_json()


@view_config(context=hd.Hold, name="lift", request_method="POST", permission="place_holds",
             renderer="json")
def lift_view(request):
    hold = hd.lift(request.context, params_of(request).get("reason"), request.identity,
                   timeutil.now(), registry=request.registry, request=request)
    return after_form(request, url_of(request, hold.__parent__.path), hold.as_json())
