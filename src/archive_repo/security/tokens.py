"""Bearer tokens.

A token is 32 random bytes shown once; the archive keeps only its SHA-256.
A slow password hash buys nothing for a 256-bit random secret and would put
a deliberate delay on every request.
"""
import hashlib
import secrets

from persistent import Persistent

from .. import timeutil
from ..errors import ArchiveError

ROLES = ("clerk", "archivist", "connector", "admin")


class TokenInfo(Persistent):
    def __init__(self, token_id, role, agency, created_at, note="", owner=None, system=None):
        self.token_id = token_id
        self.owner = owner              # the login of the person it belongs to
        self.system = system            # or the name of the system that holds it
        self.role = role
        self.agency = agency
        self.created_at = created_at
        self.note = note
        self.revoked_at = None

    @property
    def active(self):
        return self.revoked_at is None

    @property
    def held_by(self):
        """Whose it is, as ``token list`` shows it."""
        if self.owner:
            return "người dùng %s" % self.owner
        if self.system:
            return "hệ thống %s" % self.system
        return "-"

    def principals(self):
        """What this token may act as (see security.policy)."""
        found = ["token:%s" % self.token_id, "role:%s" % self.role]
        if self.agency:
            found.append("agency:%s" % self.agency)
            found.append("%s:%s" % (self.role, self.agency))
        return found


def hash_token(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(root, role=None, agency=None, note="", user=None, system=None):
    """Create a token; return ``(token, info)``.  The clear token exists only
    in the return value.  A person's token (``user``) acts as that person —
    with their role and agency, and only while they are not disabled."""
    if user is not None:
        person = root.people.get(user)
        if person is None:
            raise ArchiveError("unknown_user", "Không có người dùng %s." % user, status=404)
        role, agency = person.role, person.agency
    if role not in ROLES:
        raise ArchiveError("unknown_role", "Vai trò không hợp lệ: %s (chỉ nhận %s)."
                           % (role, ", ".join(ROLES)))
    if role == "clerk" and not agency:
        raise ArchiveError("agency_required",
                           "Token văn thư phải gắn với một cơ quan (--agency).")
    if agency and agency not in root.agencies:
        raise ArchiveError("unknown_agency",
                           "Cơ quan %s không có trong danh mục." % agency, status=404)
    token = secrets.token_urlsafe(32)
    info = TokenInfo(secrets.token_hex(8), role, agency, timeutil.now(), note,
                     owner=user, system=system)
    root.tokens[hash_token(token)] = info
    return token, info


def lookup(root, token):
    """Who acts with ``token``: the active TokenInfo, or for a person's token
    the Person (None once either is revoked or disabled)."""
    if not token:
        return None
    info = root.tokens.get(hash_token(token))
    if info is None or not info.active:
        return None
    if info.owner:
        person = root.people.get(info.owner)
        return person if person is not None and person.active else None
    return info


def find_by_id(root, token_id):
    for info in root.tokens.values():
        if info.token_id == token_id:
            return info
    raise ArchiveError("unknown_token", "Không có token mã %s." % token_id, status=404)


def revoke_token(root, token_id, at):
    """Revoke a token; it stays listed (who held access when is evidence)."""
    info = find_by_id(root, token_id)
    if not info.active:
        raise ArchiveError("token_revoked", "Token %s đã bị thu hồi trước đó." % token_id,
                           status=409)
    info.revoked_at = at
    return info
