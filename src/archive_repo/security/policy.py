"""The security policy: tokens in, principals out, ACLs decide.

Identity comes from ``Authorization: Bearer TOKEN`` or — because most WebDAV
clients speak nothing else — HTTP Basic with the token as the password (the
user name is ignored).  Principals: ``role:<role>``, ``agency:<code>``,
``<role>:<code>`` (so ``clerk:<code>`` means "a clerk of that agency") and
``token:<id>``.  Permissions are granted by ``__acl__`` on the resources.

A browser that signed in at ``/login`` carries a session cookie instead
(``archive_repo.people``): its identity is the Person, whose principals are
shaped like a token's (``user:<login>``, ``role:<r>``, ``<r>:<code>``).
Credentials in the request win over a session.
"""
import base64
import binascii

from pyramid.authorization import ACLHelper, Authenticated, Everyone

from ..people import has_session
from ..resources import root_factory
from .tokens import lookup

SESSION_LOGIN = "login"


def credentials(request):
    """The token presented with the request, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer":
        return value.strip() or None
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


class TokenSecurityPolicy:
    def __init__(self):
        self.helper = ACLHelper()

    def identity(self, request):
        token = credentials(request)
        if token is not None:
            return lookup(root_factory(request), token)
        if not has_session(request):
            return None
        login = request.session.get(SESSION_LOGIN)
        person = root_factory(request).people.get(login) if login else None
        return person if person is not None and person.active else None

    def authenticated_userid(self, request):
        info = request.identity
        return info.token_id if info is not None else None

    def effective_principals(self, request):
        principals = [Everyone]
        info = request.identity
        if info is not None:
            principals.append(Authenticated)
            principals.extend(info.principals())
        return principals

    def permits(self, request, context, permission):
        return self.helper.permits(context, self.effective_principals(request),
                                   permission)

    def remember(self, request, userid, **kw):
        """Sign ``userid`` (a login) in: a fresh session (a session fixed
        before sign-in is not reused), which the response's cookie carries."""
        request.session.invalidate()
        request.session[SESSION_LOGIN] = userid
        return []

    def forget(self, request, **kw):
        if has_session(request):
            request.session.invalidate()
        return []


def includeme(config):
    config.set_security_policy(TokenSecurityPolicy())
