"""Persons at work in the browser: accounts (Argon2id), sign-in with
lock-out, the signed session cookie, CSRF on every state-changing form.

    model.py      Person, add / disable / set password, the set-up link
    signin.py     sign_in (counts failures, locks with back-off), sign_out
    sessions.py   the session factory (secret from the database)
    evolve.py     2026-12-people, 2026-12-session-secret
    views.py      /login, /logout, /setup

Settings: ``archive_repo.session_idle_seconds``, ``archive_repo.lockout_attempts``,
``archive_repo.lockout_seconds``.
"""
from pyramid.events import ApplicationCreated

from ..settings import get_settings
from .model import PERSON_ROLES, ROLE_LABELS, Person, add_person, get_person  # noqa: F401
from .sessions import COOKIE, SessionFactory, has_session, read_secret


def csrf_applies(request):
    """CSRF tokens guard what a browser's cookie could be abused for; a
    request carrying its own credentials (a token) cannot be forged that way."""
    return "Authorization" not in request.headers and has_session(request)


def includeme(config):
    factory = SessionFactory(get_settings(config.registry).session_idle_seconds)
    config.set_session_factory(factory)
    config.set_default_csrf_options(require_csrf=True, callback=csrf_applies)

    def on_created(event):
        factory.configure(read_secret(event.app.registry))
    config.add_subscriber(on_created, ApplicationCreated)
    from . import evolve
    config.add_evolve_step(evolve.people, "2026-12-people")
    config.add_evolve_step(evolve.session_secret, "2026-12-session-secret")


__all__ = ["COOKIE", "PERSON_ROLES", "ROLE_LABELS", "Person", "add_person", "get_person"]
