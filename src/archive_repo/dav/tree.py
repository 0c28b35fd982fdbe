"""The DAV namespace: collections and files over the traversal tree.

    /dav/                               the archive (agencies)
    /dav/{agency}/                      years, and named registers (incoming)
    /dav/{agency}/{year}/               records, by register number
    /dav/{agency}/{year}/{n}/           document.pdf, metadata.json,
                                        metadata.xml, validation.json,
                                        versions/, recall.json (if recalled)
    /dav/{agency}/{year}/{n}/versions/{v}/
                                        the version's PDF under the name it
                                        was deposited with (document.pdf is
                                        an unlisted alias), validation.json
    /dav/{agency}/incoming/{year}/{k}.json   an incoming-register entry

Nodes are throw-away wrappers made per request.  Everything a listing
shows comes from pickled metadata (record, version), never from a blob;
a year lists straight from its IOBTree.  Names are compared in Unicode NFC
(macOS clients send NFD).
"""
import unicodedata

from ..resources import Folder
from ..resources.folder import parse_number

ROOT_TITLE = "Kho lưu trữ văn bản điện tử tỉnh Lào Cai"
NAMED_TITLES = {"incoming": "Sổ đăng ký văn bản đến"}
#: Named registers every agency shows, empty until workflow creates the
#: stored one (the incoming register appears on the first acceptance): a
#: connector can then list every agency the same way from day one.
ALWAYS_NAMED = ("incoming",)


def nfc(text):
    return unicodedata.normalize("NFC", text)


number_in = parse_number      # one rule for every URL (resources.folder)


class EmptyFolder:
    """Stands in for a named register that does not exist yet."""

    def __getitem__(self, key):
        raise KeyError(key)

    def items(self):
        return iter(())


class Site:
    """What nodes need from outside the tree."""

    def __init__(self, root, log, request):
        self.root = root
        self.log = log
        self.request = request


class Node:
    collection = False
    content_type = None

    def __init__(self, site, parent, name):
        self.site = site
        self.parent = parent
        self.name = name

    @property
    def segments(self):
        return self.parent.segments + (self.name,) if self.parent else ()

    def displayname(self):
        return self.name

    def child(self, name):
        raise KeyError(name)

    def children(self):
        return iter(())

    def entries(self):
        """(name, is a collection) of each member, for the HTML index."""
        return ((node.name, node.collection) for node in self.children())

    def modified(self):
        return None

    def created(self):
        return None

    def length(self):
        return None

    def etag(self):
        return None

    def extra(self):
        """Properties in the archive's own namespace: local name → text."""
        return {}


class Collection(Node):
    collection = True


def resolve(site, segments):
    """The node at ``segments`` (decoded path segments), or KeyError."""
    from .records import RootNode
    node = RootNode(site)
    for name in segments:
        node = node.child(nfc(name))
    return node


class NamedFolderNode(Collection):
    """A named container beside an agency's years (the incoming register)
    and its sub-folders; leaves with ``as_json`` appear as ``{key}.json``."""

    def __init__(self, site, parent, name, folder):
        super().__init__(site, parent, name)
        self.folder = folder

    def displayname(self):
        if isinstance(self.parent, NamedFolderNode):
            return "Năm %s" % self.name if self.name.isdigit() else self.name
        return NAMED_TITLES.get(self.name, self.name)

    def _wrap(self, key, value):
        if isinstance(value, Folder):
            return NamedFolderNode(self.site, self, str(key), value)
        from .files import JsonEntryNode
        return JsonEntryNode(self.site, self, "%s.json" % key, value)

    def child(self, name):
        key = name[:-5] if name.endswith(".json") else name
        value = self.folder[key]
        # the stored name, not the asked one: an IntFolder also answers to
        # "02026", which must not become a second href
        node = self._wrap(getattr(value, "__name__", None) or key, value)
        if node.name != name:
            raise KeyError(name)
        return node

    def children(self):
        return (self._wrap(key, value) for key, value in self.folder.items())
