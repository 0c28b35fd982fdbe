"""The menu.  Each concern registers its entries in its ``includeme``::

    config.add_nav("Văn bản đến", "/{agency}/inbox", roles=("clerk",), order=10)

``{agency}`` is the signed-in person's (or token's) agency; an entry that
names it is left out for someone without one.  ``roles`` empty: everyone
who is signed in.  Entries are shown by ``order``, then title.
"""
from dataclasses import dataclass

from zope.interface import Interface

from ..registry import collected


class INavEntries(Interface):
    """Marker for the list of menu entries."""


@dataclass(frozen=True)
class NavEntry:
    title: str
    path: str
    roles: tuple = ()
    order: int = 100


def add_nav(config, title, path, roles=(), order=100):
    """Directive ``config.add_nav``."""
    entry = NavEntry(title, path, tuple(roles), order)
    config.action(("archive_repo.nav", path),
                  lambda: collected(config.registry, INavEntries).append(entry))


def _roles(identity):
    return set(getattr(identity, "roles", None) or [getattr(identity, "role", None)])


def menu_of(request):
    """``[(title, url, current)]`` for the request's identity."""
    who = request.identity
    if who is None:
        return []
    roles, agency = _roles(who), getattr(who, "agency", None)
    here = _path(request)
    shown = []
    for entry in sorted(request.registry.queryUtility(INavEntries) or (),
                        key=lambda e: (e.order, e.title)):
        if entry.roles and not roles & set(entry.roles):
            continue
        if "{agency}" in entry.path and not agency:
            continue
        path = entry.path.replace("{agency}", agency or "")
        url = request.application_url + path
        current = here == path or (path != "/" and here.startswith(path))
        shown.append((entry.title, url, current))
    return shown


def _path(request):
    try:
        return request.path
    except UnicodeDecodeError:      # the 400 page of a URL that is not UTF-8
        return ""
