"""``GET /health``: whether this server can do its job, for a load balancer
or a monitoring probe — unauthenticated, and holding no record data.

Each concern contributes its checks with the directive
``config.add_health_check(name, check)``; ``check(registry)`` returns a dict
with ``status`` (``"ok"``, ``"degraded"`` — working, but an operator should
look — or ``"failed"``) and whatever figures explain it.  A check that
raises is ``failed`` with the error's class.  The answer is
``{"status": worst, "checks": {name: {...}}}``, 200 unless a check failed
(503: take this server out of rotation).

This package itself checks the records' storage (a read of its root) and
the free space of the volumes the archive writes (``disk``, against
``archive_repo.min_free_mb``).
"""
from pyramid.security import NO_PERMISSION_REQUIRED
from zope.interface import Interface

from ..registry import collected

ORDER = ["ok", "degraded", "failed"]


class IHealthChecks(Interface):
    """Marker for the list of (name, check) pairs."""


def add_health_check(config, name, check):
    """Directive: ``check(registry)`` → dict with ``status``."""
    config.action(("archive_repo.health_check", name),
                  lambda: collected(config.registry, IHealthChecks).append((name, check)))


def run_checks(registry):
    results = {}
    for name, check in registry.queryUtility(IHealthChecks) or ():
        try:
            results[name] = check(registry)
        except Exception as exc:        # noqa: BLE001 — a probe reports, never raises
            results[name] = {"status": "failed", "error": type(exc).__name__}
    worst = max((r["status"] for r in results.values()), key=ORDER.index, default="ok")
    return {"status": worst, "checks": results}


def health_view(request):
    report = run_checks(request.registry)
    request.response.status_int = 503 if report["status"] == "failed" else 200
    request.response.headers["Cache-Control"] = "no-store"
    return report


def includeme(config):
    from ..resources import ArchiveRoot
    from . import checks
    config.add_directive("add_health_check", add_health_check)
    config.add_view(health_view, context=ArchiveRoot, name="health", request_method="GET",
                    renderer="json", permission=NO_PERMISSION_REQUIRED)
    config.add_health_check("storage", checks.storage)
    config.add_health_check("disk", checks.disk)
