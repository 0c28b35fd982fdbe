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

This module holds the bases and helpers; ``records.py`` the concrete tree
(and ``resolve``), ``files.py`` the file nodes — records imports files and
both import tree, never the other way round.
"""
import unicodedata

from ..resources.folder import parse_number
from .summaries import touched_at

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

    def __init__(self, root, log, request, summaries=None, touched=None, counts=None):
        self.root = root
        self.log = log
        self.request = request
        self.summaries = summaries
        self.touched = touched
        self.counts = counts


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


def record_modified(site, record):
    """The newest of the current version's deposit and the record's last
    logged change (recall, delivery state…)."""
    moment = record.current.deposited_at
    logged = touched_at(site.touched, record.agency_code, record.year, record.number)
    return max(moment, logged) if logged is not None else moment
