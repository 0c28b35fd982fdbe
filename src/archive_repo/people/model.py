"""Persons who sign in from a browser: who they are (name, position,
agency), what they may do (roles), how they prove it (an Argon2id hash).

Stored in ``root.people`` (login → Person).  A person acts under the same
principals a token of the same role and agency would (``role:<r>``,
``<r>:<agency>``), so every ``__acl__`` and every domain guard treats a
clerk who signed in and a clerk's token alike.  ``token_id`` is the actor id
the audit trail and the workflow record (``user:<login>``): persons, not
token ids, appear in history.
"""
import hashlib
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from persistent import Persistent
from persistent.mapping import PersistentMapping

from .. import timeutil
from ..errors import ArchiveError
from ..events import PersonEvent, fire

# connectors are machines: they hold tokens, never a password
PERSON_ROLES = ("clerk", "archivist", "admin")
ROLE_LABELS = {"clerk": "Văn thư", "archivist": "Lưu trữ viên", "admin": "Quản trị"}
LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 8
SETUP_VALID = timedelta(hours=72)

# argon2-cffi's defaults are Argon2id with RFC 9106's low-memory profile
HASHER = PasswordHasher()
# verified against when the login is unknown, so that "no such person" and
# "wrong password" take the same time
_DUMMY = HASHER.hash("archive_repo: no such person")


class Person(Persistent):
    def __init__(self, login, name, roles, position="", agency=None, agency_name="",
                 created_at=None):
        self.login = login
        self.name = name
        self.roles = tuple(roles)
        self.position = position
        self.agency = agency
        self.agency_name = agency_name
        self.created_at = created_at
        self.disabled_at = None
        self.password_hash = None
        self.setup_hash = None          # SHA-256 of the one-time set-up link's token
        self.setup_until = None
        self.failures = 0               # wrong passwords since the last success
        self.lockouts = 0               # lock-outs since the last success (back-off)
        self.locked_until = None
        self.last_sign_in = None
        self.saved_searches = PersistentMapping()     # name → query string

    @property
    def role(self):
        """The first role: what the domain guards (``is_clerk_of``) read."""
        return self.roles[0]

    @property
    def token_id(self):
        return "user:%s" % self.login

    @property
    def active(self):
        return self.disabled_at is None

    @property
    def position_shown(self):
        return self.position or ROLE_LABELS.get(self.role, self.role)

    @property
    def display(self):
        """"Nguyễn Thị Hoa, Văn thư, Sở Nội vụ" — how pages and the audit
        trail name this person."""
        return ", ".join(p for p in (self.name, self.position_shown, self.agency_name) if p)

    def principals(self):
        found = [self.token_id]
        for role in self.roles:
            found.append("role:%s" % role)
            if self.agency:
                found.append("%s:%s" % (role, self.agency))
        if self.agency:
            found.append("agency:%s" % self.agency)
        return found

    def has_role(self, role):
        return role in self.roles


def check_password(password):
    if not password or len(password) < MIN_PASSWORD:
        raise ArchiveError("weak_password", "Mật khẩu phải có ít nhất %d ký tự." % MIN_PASSWORD,
                           [{"field": "password"}])


def hash_password(password):
    check_password(password)
    return HASHER.hash(password)


def verify(person, password):
    """True when ``password`` is the person's; the hash is renewed when
    argon2's parameters have grown since it was made."""
    if person is None or person.password_hash is None:
        _verify(_DUMMY, password)
        return False
    if not _verify(person.password_hash, password):
        return False
    if HASHER.check_needs_rehash(person.password_hash):
        person.password_hash = HASHER.hash(password)
    return True


def _verify(stored, password):
    try:
        return HASHER.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return False


def add_person(root, login, name, roles, position="", agency=None, password=None, *,
               registry, request=None, actor=None):
    """Register a person; return ``(person, setup_token)`` — the token of the
    one-time set-up link when no password was given (shown once, only its
    hash is kept), else None."""
    if not LOGIN.match(login or ""):
        raise ArchiveError("invalid_login", "Tên đăng nhập chỉ gồm chữ thường không dấu, số, "
                           "dấu chấm, gạch ngang (2–64 ký tự).", [{"field": "login"}])
    if login in root.people:
        raise ArchiveError("login_taken", "Tên đăng nhập %s đã có." % login, status=409)
    unknown = [r for r in roles if r not in PERSON_ROLES]
    if not roles or unknown:
        raise ArchiveError("unknown_role", "Vai trò không hợp lệ: %s (chỉ nhận %s)."
                           % (", ".join(unknown) or "-", ", ".join(PERSON_ROLES)))
    if "clerk" in roles and not agency:
        raise ArchiveError("agency_required", "Văn thư phải thuộc một cơ quan (--agency).")
    if agency and agency not in root.agencies:
        raise ArchiveError("unknown_agency", "Cơ quan %s không có trong danh mục." % agency,
                           status=404)
    agency_name = root.agencies[agency].name if agency else ""
    person = Person(login, name, roles, position, agency, agency_name or "", timeutil.now())
    setup = None
    if password is not None:
        person.password_hash = hash_password(password)
    else:
        setup = new_setup_link(person)
    root.people[login] = person
    _fire(registry, root, person, "user_add", request, actor,
          {"roles": list(roles), "agency": agency})
    return person, setup


def new_setup_link(person):
    token = secrets.token_urlsafe(24)
    person.setup_hash = hashlib.sha256(token.encode()).hexdigest()
    person.setup_until = timeutil.now() + SETUP_VALID
    return token


def find_by_setup(root, token):
    """The person whose set-up link carries ``token`` (still valid), or None."""
    digest = hashlib.sha256((token or "").encode()).hexdigest()
    for person in root.people.values():
        if person.setup_hash and secrets.compare_digest(person.setup_hash, digest) \
                and person.setup_until > timeutil.now() and person.active:
            return person
    return None


def set_password(root, person, password, *, registry, request=None, actor=None):
    person.password_hash = hash_password(password)
    person.setup_hash = person.setup_until = None
    person.failures, person.lockouts, person.locked_until = 0, 0, None
    _fire(registry, root, person, "user_password", request, actor)


def disable_person(root, login, *, registry, actor=None):
    person = get_person(root, login)
    if not person.active:
        raise ArchiveError("user_disabled", "Người dùng %s đã bị khóa trước đó." % login,
                           status=409)
    person.disabled_at = timeutil.now()
    _fire(registry, root, person, "user_disable", None, actor)
    return person


MAX_SAVED = 50


def save_search(person, name, query):
    """Keep ``query`` (a /search query string) under ``name`` for ``person``
    (the same name again replaces it)."""
    name = (name or "").strip()[:100]
    if not name:
        raise ArchiveError("name_required", "Cần đặt tên cho tìm kiếm cần lưu.",
                           [{"field": "name"}])
    if name not in person.saved_searches and len(person.saved_searches) >= MAX_SAVED:
        raise ArchiveError("too_many_saved", "Mỗi người lưu được tối đa %d tìm kiếm." % MAX_SAVED)
    person.saved_searches[name] = (query or "")[:2000]


def forget_search(person, name):
    person.saved_searches.pop(name, None)


def get_person(root, login):
    person = root.people.get(login)
    if person is None:
        raise ArchiveError("unknown_user", "Không có người dùng %s." % login, status=404)
    return person


def _fire(registry, root, person, action, request, actor, detail=None):
    fire(registry, PersonEvent(root, person.login, request, action=action,
                               actor=actor, detail=detail))
