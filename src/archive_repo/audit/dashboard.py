"""The dashboard's figures from other concerns: each adds its own with the
directive ``config.add_dashboard_figure(name, figure, order)``, so the
audit package (which owns ``/dashboard``) imports none of them.

``figure(request)`` returns ``{"label", "value"}`` (Vietnamese text; an
optional ``details`` list shown under the value and ``href`` linked from it),
or None to show nothing.  A figure that raises is shown as unavailable: the
dashboard is read when something is wrong, it must not fail then."""
import logging

from zope.interface import Interface

from ..registry import collected

log = logging.getLogger(__name__)
UNAVAILABLE = "Không lấy được số liệu"


class IDashboardFigures(Interface):
    """Marker for the list of (order, name, figure)."""


def add_dashboard_figure(config, name, figure, order=100):
    figure = config.maybe_dotted(figure)
    config.action(("archive_repo.dashboard_figure", name),
                  lambda: collected(config.registry, IDashboardFigures).append(
                      (order, name, figure)))


def figures_of(request):
    shown = []
    for _, name, figure in sorted(request.registry.queryUtility(IDashboardFigures) or (),
                                  key=lambda found: found[:2]):
        try:
            row = figure(request)
        except Exception:       # noqa: BLE001 — one broken figure, not the page
            log.exception("dashboard figure %s failed", name)
            row = {"label": name, "value": UNAVAILABLE}
        if row is not None:
            shown.append(dict(row, name=name))
    return shown
