"""``GET /search`` — JSON with ``Accept: application/json``, HTML otherwise.

Parameters: ``q`` (words — diacritics optional —, ``"a phrase"``,
``prefix*``, a notation as written such as ``123/QĐ-UBND``), filters
``agency``, ``year``, ``doctype``, ``legal_status``, ``urgency``, ``from``,
``to`` (YYYY-MM-DD, date of issue), ``recalled`` (``false`` by default:
recalled records are hidden; ``true`` only them; ``all``), ``sort``
(``relevance`` default, ``date``, ``date_asc``), ``page`` (from 1), ``size``
(1–100, default 20).
"""
from datetime import date

from pyramid.renderers import render_to_response

from ..doctypes import DOCTYPES
from ..errors import ArchiveError, BadRequest
from ..http import wants_json
from .catalog import get_catalog
from .listing import principals_of, recalled_choice
from .search import FILTERS, SORTS, run_search
from . import fulltext_of, worker_of
from .fulltext import INDEX_LOST

PAGE_SIZE = 20


class SearchUnavailable(ArchiveError):
    status = 503

    def __init__(self):
        super().__init__("search_unavailable",
                         "Chức năng tìm kiếm tạm thời không dùng được: chỉ mục toàn văn đang "
                         "được xây dựng lại từ cơ sở dữ liệu. Hãy thử lại sau ít phút.")
        self.headers = {"Retry-After": "30"}


def search_view(request):
    params = parse_params(request.params)
    fulltext, worker = fulltext_of(request.registry), worker_of(request.registry)
    # in this order: the worker sets ``rebuilding`` before the new folder
    # appears, so a folder seen here is either whole or being rebuilt
    if not fulltext.available():
        if worker is not None:
            worker.report_lost()        # healed in the worker's thread, not here
        raise SearchUnavailable()
    if fulltext.rebuilding:
        raise SearchUnavailable()
    try:
        found = run_search(fulltext, get_catalog(request.root),
                           principals_of(request), params["q"], params["filters"],
                           params["sort"], params["page"], params["size"])
    except INDEX_LOST:
        if worker is not None:
            worker.report_lost()
        raise SearchUnavailable()
    for result in found["results"]:
        result["url"] = request.application_url + result.pop("path")
    if wants_json(request):
        return render_to_response("json", found, request=request)
    active = [name for name in params["filters"] if name != "recalled"]
    return render_to_response("archive_repo.indexing:templates/search.jinja2",
                              dict(found, params=params, request=request,
                                   base_qs=base_querystring(params),
                                   active=active, names=value_names(request.root),
                                   without={name: base_querystring(params, drop=name)
                                            for name in active}),
                              request=request)


LEGAL_STATUS_NAMES = {"equivalent_to_paper": "Như văn bản giấy", "reference_only": "Tham khảo"}


def value_names(root):
    """What the page shows for a facet's values: agency and doctype names."""
    return {"agency": {code: agency.name for code, agency in root.agencies.items()},
            "doctype": DOCTYPES, "legal_status": LEGAL_STATUS_NAMES}


def base_querystring(params, drop=None):
    """The current query and filters (but ``drop``), for facet and page links."""
    from urllib.parse import urlencode
    shown = {True: "true", None: "all", False: ""}[params["recalled"]]
    pairs = [("q", params["q"]), ("sort", params["sort"])] + sorted(
        (k, v) for k, v in params["filters"].items() if k not in ("recalled", drop)) + \
        [("recalled", shown)]
    return urlencode([(k, v) for k, v in pairs if v])


def parse_params(params):
    filters = {name: params.get(name, "").strip() for name in FILTERS}
    filters = {k: v for k, v in filters.items() if v}
    for name in ("from", "to"):
        if name in filters:
            _check_date(name, filters[name])
    recalled = recalled_choice(params)
    if recalled is None:
        filters.pop("recalled", None)
    else:
        filters["recalled"] = "1" if recalled else "0"
    sort = params.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        _bad("sort", ", ".join(SORTS))
    return {"q": params.get("q", ""), "filters": filters, "sort": sort, "recalled": recalled,
            "page": _int(params, "page", 1, 1, 10000),
            "size": _int(params, "size", PAGE_SIZE, 1, 100)}


def _int(params, name, default, lo, hi):
    try:
        value = int(params.get(name, default))
    except ValueError:
        value = None
    if value is None or not lo <= value <= hi:
        _bad(name, "số nguyên từ %d đến %d" % (lo, hi))
    return value


def _check_date(name, text):
    try:
        date.fromisoformat(text)
    except ValueError:
        _bad(name, "ngày dạng YYYY-MM-DD")


def _bad(name, expected):
    raise BadRequest("invalid_parameter",
                     "Tham số %s không hợp lệ: cần %s." % (name, expected),
                     [{"parameter": name}])
