"""What every page shares: the layout's menu (``config.add_nav``, so each
concern adds its own entries), who is signed in, the CSRF token, and the
static assets served from the package (no CDN).

    nav.py        the ``add_nav`` directive and the menu of a request
    static/       archive.css, archive.js (progressive, optional)
"""
from pyramid.events import BeforeRender
from pyramid.location import lineage

from .nav import add_nav, menu_of


def on_before_render(event):
    request = event.get("request")
    if request is None or "nav" in event:
        return
    event["nav"] = menu_of(request)
    event["me"] = request.identity
    event.setdefault("crumbs", crumbs_of(request))


def crumbs_of(request):
    """``[(title, url)]`` from the root down to the page's resource; a
    resource names itself with ``crumb_title`` (else its name)."""
    context = getattr(request, "context", None)
    if context is None or getattr(context, "__parent__", None) is None:
        return []
    found = []
    for resource in lineage(context):
        title = getattr(resource, "crumb_title", None) or resource.__name__ or "Trang chủ"
        found.append((str(title), request.resource_url(resource)))
    found.reverse()
    if request.view_name:
        found.append((request.view_name, None))
    return found


def includeme(config):
    config.add_directive("add_nav", add_nav)
    config.add_static_view("static", "archive_repo.ui:static", cache_max_age=3600)
    config.add_subscriber(on_before_render, BeforeRender)
    config.add_nav("Trang chủ", "/", order=0)
    config.add_nav("Tìm kiếm", "/search", roles=("archivist", "clerk", "admin"), order=50)


__all__ = ["add_nav", "menu_of"]
