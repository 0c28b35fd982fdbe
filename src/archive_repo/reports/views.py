"""``GET /reports?period=…&agency=…[&subtree=1]&format=json|csv|xlsx|pdf`` and
the statistics page (the same URL asked for by a browser, without
``format``): period and scope pickers, the indicators and the charts.
``kind=access``: the access statistics (JSON); ``kind=register``: the
register of reports (JSON, newest first, ``period``/``agency`` filter it).  ``GET /{agency}/book``: the
Decree 30 registers."""
import base64

from pyramid.renderers import render_to_response
from pyramid.response import Response
from pyramid.view import view_config

from .. import timeutil
from ..errors import BadRequest
from ..http import wants_json
from ..resources import Agency, ArchiveRoot
from . import books, charts, register, service
from .outputs import FORMATS


def _params(request):
    fmt = request.params.get("format") or ("json" if wants_json(request) else None)
    if fmt is not None and fmt not in FORMATS:
        raise BadRequest("invalid_format", "Định dạng báo cáo phải là một trong: %s."
                         % ", ".join(FORMATS), [{"field": "format", "value": fmt}])
    return (fmt, request.params.get("period", "").strip(),
            request.params.get("agency") or None,
            request.params.get("subtree") in ("1", "true", "on"))


@view_config(context=ArchiveRoot, name="reports", request_method="GET",
             permission="report")
def reports_view(request):
    fmt, period, agency, subtree = _params(request)
    kind = request.params.get("kind")
    if kind == "access":
        return render_to_response("json", service.access_for(
            request.root._p_jar, request.root, period, agency, subtree), request=request)
    if kind == "register":
        return render_to_response("json", {"reports": register.listing(
            request.root._p_jar, period or None, agency)}, request=request)
    if fmt is None:
        return statistics_page(request, period, agency, subtree)
    conn = request.root._p_jar
    report = service.report_for(conn, request.root, request.registry, period, agency,
                                subtree)
    media, ext, _render = FORMATS[fmt]
    body, entry = register.generate(conn, report, fmt, request.identity, request.registry)
    response = Response(body=body, content_type=media.split(";")[0], charset=(
        "utf-8" if "charset" in media else None))
    if fmt != "json":
        response.content_disposition = 'attachment; filename="bao-cao-%s-%s.%s"' % (
            report["period"], (agency or "toan-tinh").replace(".", "-"), ext)
    response.headers["X-Report-Number"] = entry["notation"]
    return response


def statistics_page(request, period, agency, subtree):
    root = request.root
    report, images = None, []
    if period:
        report = service.report_for(root._p_jar, root, request.registry, period, agency,
                                    subtree)
        images = [{"name": name, "title": title,
                   "src": "data:image/svg+xml;base64," + base64.b64encode(svg).decode()}
                  for name, title, svg in charts.render_all(report, "svg")]
    agencies = sorted(((a.code, a.name) for a in root.agencies.values()),
                      key=lambda pair: pair[1])
    return render_to_response("archive_repo.reports:templates/statistics.jinja2", {
        "request": request, "report": report, "charts": images, "agencies": agencies,
        "params": {"period": period, "agency": agency or "", "subtree": subtree},
        "formats": list(FORMATS)}, request=request)


@view_config(context=Agency, name="book", request_method="GET", permission="view")
def book_view(request):
    """``GET /{agency}/book?year=2026&kind=outgoing|incoming|handling&format=pdf|xlsx``;
    without ``year``, this year's (Vietnam time) — what the menu opens."""
    try:
        year = int(request.params.get("year") or timeutil.now().year)
    except ValueError:
        raise BadRequest("invalid_year", "Năm phải là số (YYYY).", [{"field": "year"}])
    kind, fmt = request.params.get("kind", "outgoing"), request.params.get("format", "pdf")
    body = books.make_book(request.root, kind, request.context.code, year, fmt,
                           books.context_for(request.registry))
    response = Response(body=body, content_type=books.FORMATS[fmt])
    response.content_disposition = 'attachment; filename="so-%s-%s-%d.%s"' % (
        kind, request.context.code.replace(".", "-"), year, fmt)
    return response
