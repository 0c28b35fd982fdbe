"""The browser session: a signed cookie (Pyramid's SignedCookieSessionFactory)
holding only the login and the CSRF token — HttpOnly, SameSite=Lax, Secure
when the request came over HTTPS, and forgotten after
``session_idle_seconds`` without a request (the cookie is re-issued on each
one, so the timeout is an idle timeout, not a lifetime).

The secret is the database's (``root.session_secret``, made with the root or
by the ``2026-12-session-secret`` evolve step): every app server of one
archive signs alike without an operator copying a secret into each .ini.
It is read once the database is evolved (``ApplicationCreated``).
"""
from pyramid.session import SignedCookieSessionFactory

from .. import db
from ..resources import get_root

COOKIE = "archive_repo_session"


class SessionFactory:
    """What ``config.set_session_factory`` is given: picks the Secure or the
    plain cookie by the request's scheme (behind a TLS proxy, set
    ``url_scheme`` / ``X-Forwarded-Proto`` handling in the server)."""

    def __init__(self, idle_seconds):
        self.idle_seconds = idle_seconds
        self.by_scheme = None

    def configure(self, secret):
        self.by_scheme = {secure: SignedCookieSessionFactory(
            secret, cookie_name=COOKIE, secure=secure, httponly=True, samesite="Lax",
            timeout=self.idle_seconds, reissue_time=0, hashalg="sha512",
            salt="archive_repo.session.") for secure in (False, True)}

    def __call__(self, request):
        if self.by_scheme is None:
            raise RuntimeError("session secret not read yet (before ApplicationCreated)")
        return self.by_scheme[request.scheme == "https"](request)


def has_session(request):
    """A browser that holds a session cookie (without one, nothing is read
    from — or made in — the session)."""
    return COOKIE in request.cookies


def read_secret(registry):
    with db.reading(registry) as conn:
        return get_root(conn).session_secret
