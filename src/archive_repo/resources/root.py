"""The root of the tree: agencies by code, plus the token registry, the
persons who sign in (``people``: login → ``archive_repo.people.Person``)
and the secret that signs their session cookies."""
import secrets

from BTrees.OOBTree import OOBTree
from persistent.mapping import PersistentMapping
from persistent import Persistent
from pyramid.authorization import ALL_PERMISSIONS, Allow
from pyramid.traversal import find_root

from .. import db
from .agency import Agencies

ROOT_KEY = "archive_repo"


class ArchiveRoot(Persistent):
    __name__ = ""
    __parent__ = None
    __acl__ = [
        # read_document: a document's bytes (PDF, edXML); view: its particulars
        (Allow, "role:archivist", ("view", "read_document", "search", "browse", "dav",
                                   "report", "audit")),
        (Allow, "role:clerk", ("search",)),
        (Allow, "role:connector", ("view", "read_document", "browse", "dav")),
        (Allow, "role:admin", ALL_PERMISSIONS),
    ]

    def __init__(self):
        self.agencies = Agencies()
        self.agencies.__parent__ = self
        self.tokens = OOBTree()
        self.people = OOBTree()
        self.session_secret = new_session_secret()
        self.evolved = PersistentMapping()      # evolve step name → when
        self.digests = OOBTree()                # SHA-256 → first record (deposit.duplicates)

    def __getitem__(self, name):
        return self.agencies[name]

    def get(self, name, default=None):
        return self.agencies.get(name, default)


def digest_holder(resource, sha256):
    """The path of the first record stored with bytes ``sha256``, or None."""
    return find_root(resource).digests.get(sha256)


def remember_digest(resource, sha256, path):
    """Note that ``path`` holds bytes ``sha256`` (the first holder stays)."""
    digests = find_root(resource).digests
    if sha256 not in digests:
        digests[sha256] = path


def new_session_secret():
    return secrets.token_hex(32)


def get_root(conn):
    """The archive root in ``conn``'s database, created on first use."""
    return db.kept(conn.root(), ROOT_KEY, ArchiveRoot)
