"""Agencies and their years."""
from BTrees.OOBTree import OOBTree
from persistent.mapping import PersistentMapping
from pyramid.authorization import Allow
from pyramid.threadlocal import get_current_registry
from zope.interface import Interface, implementer

from .folder import Folder, IntFolder


class IAgency(Interface):
    """An agency's space (the adapters' ``for``)."""


class IAgencyPart(Interface):
    """A named container under an agency that another concern provides."""


def add_agency_part(config, name, factory):
    """Directive ``config.add_agency_part(name, factory)``: ``factory(agency)``
    answers ``/{agency}/{name}`` while the agency has no stored container of
    that name yet (the concern adds it on first write, as a year is)."""
    config.action(("archive_repo.agency_part", name),
                  lambda: config.registry.registerAdapter(factory, (IAgency,), IAgencyPart,
                                                          name))


class Year(IntFolder):
    """An agency's records of one calendar year, keyed by register number.
    Numbering restarts every 1 January simply because each year is its own
    container."""

    def __init__(self, year):
        super().__init__()
        self.year = year

    @property
    def agency_code(self):
        return self.__parent__.code

    def next_number(self):
        """Highest number in use + 1.  Two concurrent deposits that pick the
        same number insert the same key into the same bucket: ZODB raises a
        ConflictError for one of them and pyramid_retry replays it, so the
        BTree itself guarantees uniqueness."""
        return self.highest() + 1


@implementer(IAgency)
class Agency(IntFolder):
    """One agency's space, keyed by year.  The agency's descriptive data
    (name, validity, successor) lives in the directory; this container
    holds only what the agency issued."""

    min_key = 1900
    max_key = 2999

    def __init__(self, code, name="", parent_code=None, valid_from=None,
                 valid_to=None, successor=None, provisional=False, kind="",
                 short_name=""):
        super().__init__()
        self.code = code
        self.name = name
        self.parent_code = parent_code
        self.valid_from = valid_from
        self.valid_to = valid_to
        self.successor = successor
        self.provisional = provisional
        self.kind = kind
        self.short_name = short_name
        # Named sub-containers beside the years (e.g. "incoming", the
        # incoming register); years are digits, names never are.
        self.named = OOBTree()
        # The identifiers of the agency's own certificates an operator
        # registered ("mst", "mns", "sha256" -> tuple of values)
        self.certificate_ids = PersistentMapping()

    def active_on(self, day):
        """Did the agency exist on ``day``?  Records of bodies abolished in
        the 2025 reorganisation keep resolving; this only informs people."""
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day <= self.valid_to))

    @property
    def __acl__(self):
        principal = "clerk:%s" % self.code
        return [(Allow, principal, ("view", "read_document", "deposit", "manage_records"))]

    def add_named(self, name, child):
        """Add a named sub-container (not a year)."""
        if name in self.named:
            raise KeyError(name)
        child.__name__ = name
        child.__parent__ = self
        self.named[name] = child
        return child

    def __getitem__(self, name):
        if isinstance(name, str) and name in self.named:
            return self.named[name]
        if isinstance(name, str) and not name.isdigit():
            # Traversal runs inside a request: its registry is the current one.
            part = get_current_registry().queryAdapter(self, IAgencyPart, name=name)
            if part is not None:
                return part
        key = self._key(name)
        year = self.data.get(key)
        if year is None:
            # A year nobody has deposited into yet still traverses, so that
            # POST /{agency}/{year}/ has a context; it is added to the tree
            # only when its first record is.
            year = Year(key)
            year.__name__ = str(key)
            year.__parent__ = self
        return year

    def ensure_year(self, year):
        """The persistent Year container (created on first deposit)."""
        existing = self.data.get(year.year)
        if existing is not None:
            return existing
        return self.add(year.year, year)

    def existing_years(self):
        return list(self.data.keys())


class Agencies(Folder):
    """Agency containers keyed by agency code (QCVN 102:2016)."""
