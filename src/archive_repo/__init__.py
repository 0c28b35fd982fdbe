"""archive_repo — the records repository for the electronic documents of
Lào Cai's state agencies (Pyramid traversal over ZODB).

``main`` is the PasteDeploy app factory (``use = egg:archive_repo``).
"""
import warnings

# Pyramid 2.1 imports pkg_resources, whose deprecation warning would open
# every console command's output; it says nothing an operator can act on.
warnings.filterwarnings("ignore", message="pkg_resources is deprecated",
                        category=UserWarning)

from pyramid.config import Configurator  # noqa: E402

from . import timeutil  # noqa: E402

# The concerns the app is made of, each a package with an ``includeme``.
# All are included before ``config.scan()`` (no Venusian ordering surprises).
CONCERNS = [
    "archive_repo.health",      # first: the others add their checks to it
    "archive_repo.ui",          # then: its add_nav directive serves the others
    "archive_repo.people",
    "archive_repo.audit",
    "archive_repo.security",
    "archive_repo.workflow",
    "archive_repo.dav",
    "archive_repo.indexing",
    "archive_repo.preservation",
    "archive_repo.reports",
    "archive_repo.records",
    "archive_repo.preview",
]

DEFAULTS = {
    "retry.attempts": "10",
    # one attempt, hence no copy of the body, for a body over its limit
    "retry.activate_hook": "archive_repo.retrying.activate_hook",
    "tm.manager_hook": "pyramid_tm.explicit_manager",
    "archive_repo.max_upload_mb": "100",
    "jinja2.filters": "\n".join([
        "vn_date = archive_repo.timeutil:vn_date",
        "vn_datetime = archive_repo.timeutil:vn_datetime",
    ]),
}


def make_config(settings):
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    if "zodbconn.uri.audit" not in settings:
        raise ValueError("zodbconn.uri.audit is required: the audit trail lives "
                         "in its own database (see archive_repo.audit)")
    config = Configurator(settings=settings, root_factory="archive_repo.resources.root_factory")
    config.include("pyramid_jinja2")
    config.include("pyramid_retry")
    config.include("pyramid_tm")
    config.include("pyramid_zodbconn")
    config.include(".settings")
    config.include(".evolution")
    config.include(".retrying")
    config.include(".limits")
    config.include(".http")
    config.include(".resources")
    for concern in CONCERNS:
        config.include(concern)
    config.add_jinja2_renderer(".jinja2")
    from .rules import policy_from_settings
    from .rules.model import IRulePolicy
    from .settings import get_settings
    config.registry.registerUtility(policy_from_settings(get_settings(config.registry)),
                                    IRulePolicy)
    config.scan("archive_repo", ignore=["archive_repo.scripts"])
    return config


def main(global_config, **settings):
    """The app.  ``archive-repo`` bootstraps it with the global option
    ``archive_repo.console``: a console job runs no background index worker
    (it applies what it queued itself, see ``archive_repo.indexing``)."""
    if global_config.get("archive_repo.console"):
        settings["archive_repo.index_worker"] = "false"
    # ``archive-repo evolve`` runs the steps itself (and --dry-run must find
    # them pending): its app only makes sure the root exists.
    return start(make_config(settings), evolve=global_config.get("archive_repo.evolve") != "manual")


def start(config, evolve=True):
    """The WSGI app of ``config``, its database evolved first."""
    config.commit()                 # the evolve steps are registered actions
    from . import evolution
    # Data first reaches today's shape (or start-up stops); only then do the
    # concerns' ApplicationCreated subscribers (catalog, change log, index
    # worker) open it.
    evolution.startup(config.registry, run=evolve)
    return config.make_wsgi_app()


__all__ = ["main", "make_config", "start", "timeutil"]
