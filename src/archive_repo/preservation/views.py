"""HTTP of the preservation concern."""
from pyramid.view import view_config

from ..db import jar_of
from . import PremisPart, premis
from .events import events_of


@view_config(context=PremisPart, request_method="GET", permission="view")
def premis_view(request):
    record = request.context.record
    events = events_of(jar_of(record), record.path)
    response = request.response
    response.content_type = "application/xml"
    response.charset = "utf-8"
    response.body = premis.serialise([(record, events)])
    return response

