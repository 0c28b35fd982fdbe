"""HTTP of the preservation concern."""
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from .. import audit
from ..db import jar_of
from ..resources import ArchiveRoot
from . import PremisPart, premis
from .events import events_of
from .maintenance import notice_of


@view_config(context=PremisPart, request_method="GET", permission="view")
def premis_view(request):
    record = request.context.record
    events = events_of(jar_of(record), record.path)
    response = request.response
    response.content_type = "application/xml"
    response.charset = "utf-8"
    response.body = premis.serialise([(record, events)])
    return response


@view_config(context=ArchiveRoot, name="health", request_method="GET",
             permission=NO_PERMISSION_REQUIRED)
def health_view(request):
    """``/health``: no record data; ``degraded`` (503) when audit entries
    were lost; the maintenance notice, announced or under way."""
    lost = audit.health_of(request.registry).lost
    notice = notice_of(request.registry)
    status = "degraded" if lost else ("maintenance" if notice and notice["active"] else "ok")
    response = render_to_response("json", {"status": status, "audit_lost": lost,
                                           "maintenance": notice}, request=request)
    response.status_int = 503 if lost else 200
    return response
