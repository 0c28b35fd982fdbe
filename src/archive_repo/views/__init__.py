"""HTTP views: thin functions that call the domain modules."""


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
