"""What every page shares: the layout's menu (``config.add_nav``, so each
concern adds its own entries), breadcrumbs, who is signed in, agency names
for templates, and the static assets served from the package (no CDN).

    nav.py        the ``add_nav`` directive and the menu of a request
    static/       archive.css, archive.js (progressive, optional)
"""
from pyramid.events import BeforeRender
from pyramid.location import lineage

from ..resources import Agency, Record, Year
from .nav import add_nav, menu_of

# the named views people reach from the menu, by their Vietnamese titles
VIEW_TITLES = {"inbox": "Văn bản đến", "outbox": "Văn bản đi", "refused": "Bị từ chối",
               "overdue": "Quá hạn", "incoming": "Sổ văn bản đến", "deposit": "Nộp lưu"}


def on_before_render(event):
    request = event.get("request")
    if request is None or "nav" in event:
        return
    event["nav"] = menu_of(request)
    event["me"] = request.identity
    event.setdefault("crumbs", crumbs_of(request))
    event["agency_name"] = agency_namer(request)


def agency_namer(request):
    """``agency_name(code)`` for templates: names, not codes, on every page."""
    agencies = getattr(getattr(request, "root", None), "agencies", None)

    def agency_name(code):
        found = agencies.get(code) if agencies is not None and code else None
        return (found.name or code) if found is not None else (code or "")
    return agency_name


def crumbs_of(request):
    """``[(title, url)]`` from the root down to the page's resource."""
    context = getattr(request, "context", None)
    if context is None or getattr(context, "__parent__", None) is None:
        return []
    found = []
    for resource in lineage(context):
        if resource.__parent__ is not None and not resource.__name__:
            continue                # an inner container (the agencies folder)
        found.append((crumb_title(resource), request.resource_url(resource)))
    found.reverse()
    if request.view_name:
        found.append((VIEW_TITLES.get(request.view_name, request.view_name), None))
    return found


def crumb_title(resource):
    """How a resource is named in the breadcrumbs."""
    if resource.__parent__ is None:
        return "Trang chủ"
    if isinstance(resource, Record):
        return "Văn bản số %s/%s" % (resource.number, resource.metadata.get("notation") or "")
    if isinstance(resource, Year):
        return "Năm %s" % resource.year
    if isinstance(resource, Agency):
        return resource.name or resource.code
    return str(resource.__name__)


def includeme(config):
    config.add_directive("add_nav", add_nav)
    config.add_static_view("static", "archive_repo.ui:static", cache_max_age=3600)
    config.add_subscriber(on_before_render, BeforeRender)
    config.add_nav("Trang chủ", "/", order=0)
    config.add_nav("Nộp lưu", "/{agency}/deposit", roles=("clerk",), order=5)
    config.add_nav("Tìm kiếm", "/search", roles=("archivist", "clerk", "admin"), order=50)
    config.add_nav("Quản trị", "/admin", roles=("admin",), order=90)
    from pyramid.events import ApplicationCreated
    from ..views.admin import warn_at_startup
    config.add_subscriber(warn_at_startup, ApplicationCreated)


__all__ = ["add_nav", "menu_of"]
