"""The people concern's evolve steps (databases made before persons)."""
from BTrees.OOBTree import OOBTree

from ..resources.root import new_session_secret


def people(root):
    """The root gets ``people`` (login → Person); every token an owner
    (a person's login) and a system name, both None for older tokens."""
    if "people" not in root.__dict__:
        root.people = OOBTree()
    for info in root.tokens.values():
        info._p_activate()
        info.__dict__.setdefault("owner", None)
        info.__dict__.setdefault("system", None)
        info._p_changed = True


def session_secret(root):
    """The root gets the secret that signs session cookies."""
    if not root.__dict__.get("session_secret"):
        root.session_secret = new_session_secret()
