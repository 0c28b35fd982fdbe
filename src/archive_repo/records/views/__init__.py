"""HTTP for records management, one module per resource family (dossiers,
file plans, holds, deposits, disposals); here what they share.  Thin: parse,
call the domain function (which fires its own event), answer.  Every
refusal raises."""
from urllib.parse import urlparse

from pyramid.traversal import find_resource

from ... import timeutil
from ...errors import ArchiveError, BadRequest
from ...http import url_of
from ...resources import Record
from .. import dossiers as ds

TEMPLATES = "archive_repo.records:templates/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def created(request, resource, data):
    request.response.status_int = 201
    request.response.headers["Location"] = url_of(request, resource.path)
    return data


def resource_at(request, url):
    """What a URL (or a path) of this archive names, or None."""
    path = urlparse(url.strip()).path
    base = urlparse(request.application_url).path.rstrip("/")
    if base and path.startswith(base + "/"):
        path = path[len(base):]
    try:
        return find_resource(request.root, path)
    except KeyError:
        return None


def record_at(request, url):
    """The Record a URL (or path) names, which the caller may view; 400 when
    it names none, 403 when the caller may not see it."""
    if not isinstance(url, str) or not url.strip():
        raise BadRequest("record_required", "Phải ghi đường dẫn văn bản (record).",
                         [{"field": "record"}])
    found = resource_at(request, url)
    if not isinstance(found, Record):
        raise BadRequest("unknown_record", "Không tìm thấy văn bản %s." % url,
                         [{"field": "record", "value": url}])
    if not request.has_permission("view", found):
        raise ArchiveError("forbidden", "Bạn không có quyền xem văn bản %s." % found.path,
                           [{"record": found.path}], status=403)
    return found

def list_param(params, name):
    """A list field: a JSON array as sent, or a form's repeated fields
    (checkboxes), each line of a textarea counting as one."""
    if not hasattr(params, "getall"):
        return params.get(name)
    return [line.strip() for value in params.getall(name) if isinstance(value, str)
            for line in value.splitlines() if line.strip()]


def agency_name(context):
    while context is not None and not hasattr(context, "code"):
        context = context.__parent__
    return context.name or context.code


def download(request, body, content_type, filename):
    response = request.response
    response.body = body
    response.content_type = content_type
    response.content_disposition = 'attachment; filename="%s"' % filename
    return response


def day_param(request, name="on"):
    """The day a listing judges by (``?on=YYYY-MM-DD``; today by default)."""
    raw = request.params.get(name)
    if not raw:
        return timeutil.now().date()
    try:
        return timeutil.parse_date(raw)
    except ValueError:
        raise BadRequest("invalid_date", "Ngày phải có dạng YYYY-MM-DD.",
                         [{"field": name, "value": raw}]) from None


def own_dossiers(request, agency, urls):
    """The dossiers of ``agency`` the URLs (or paths) name, each once; 400
    for anything else (a deposit or a disposal batch takes only its own)."""
    if not isinstance(urls, list):
        raise BadRequest("dossiers_required", "Phải chọn ít nhất một hồ sơ.",
                         [{"field": "dossiers"}])
    found = []
    for url in urls:
        dossier = resource_at(request, url) if isinstance(url, str) else None
        if not isinstance(dossier, ds.Dossier) or dossier.agency is not agency:
            raise BadRequest("unknown_dossier", "%r không phải hồ sơ của cơ quan %s."
                             % (url, agency.code), [{"field": "dossiers", "value": url}])
        if dossier not in found:
            found.append(dossier)
    return found
