"""What the HTTP views of every concern share: content negotiation, URLs,
paging, request bodies and uploads, the contract's error responses, and the
records' JSON.  Views (``views/``, ``workflow/views.py``, ``dav/views.py``,
``indexing/views.py``, ``edxml/views.py``) import from here and never from
each other.

    __init__.py   wants_json, prefers_html, url_of, respond, after_form
    paging.py     ?page=&size= and the page envelope
    body.py       JSON-or-form bodies, upload size checks, spooled uploads
    errors.py     the contract's error response; 403 reasons (a directive)
    serialize.py  records, versions and reports as the contract's JSON
"""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.renderers import render_to_response


def wants_json(request):
    """JSON only when the client asks for it (the contract: without
    ``Accept: application/json`` a record is an HTML page)."""
    return "json" in request.headers.get("Accept", "")


def prefers_html(request):
    """Errors are JSON unless a browser asks for HTML first."""
    offers = request.accept.acceptable_offers(["text/html", "application/json"])
    return bool(offers) and offers[0][0] == "text/html" and \
        "text/html" in request.headers.get("Accept", "")


def url_of(request, resource_path):
    return request.application_url + resource_path


def respond(request, template, data):
    """``data`` as JSON for a client that asks for it, else the page."""
    return render_to_response("json" if wants_json(request) else template, data,
                              request=request)


def after_form(request, location, data):
    """What a state-changing view answers: a browser's form is sent on to
    ``location`` (303, Post/Redirect/Get: a reload does not post again);
    an API client gets ``data`` (its view's renderer)."""
    if not wants_json(request) and prefers_html(request):
        return HTTPSeeOther(location=location)
    return data


def includeme(config):
    from .errors import add_refusal_reason
    config.add_directive("add_refusal_reason", add_refusal_reason)
