"""The folders records management keeps under an agency (dossiers, file
plans, deposits, holds, disposal batches): each is a named part of the
agency, its ACL data rather than code."""
from persistent import Persistent
from pyramid.authorization import Allow

from ..resources.folder import IntFolder

MANAGE = ("view", "manage_dossiers")
ARCHIVE = ("view", "manage_dossiers", "archive_dossiers")


class AgencyFolder(IntFolder):
    """``clerk``: what the agency's clerks may do here; ``archivist``: what
    archivists may."""
    clerk = MANAGE
    archivist = ARCHIVE

    @property
    def agency_code(self):
        return self.__parent__.code

    @property
    def path(self):
        return "/%s/%s/" % (self.agency_code, self.__name__)

    @property
    def __acl__(self):
        return [(Allow, "clerk:%s" % self.agency_code, self.clerk),
                (Allow, "role:archivist", self.archivist)]


def part_of(agency, name, factory, create=False):
    """The agency's folder ``name``; a transient, empty one (for traversal)
    when it has none yet and ``create`` is false."""
    found = agency.named.get(name)
    if found is None:
        found = factory()
        if create:
            agency.add_named(name, found)
        else:
            found.__name__, found.__parent__ = name, agency
    return found


class AgencyItem(Persistent):
    """An item kept in an :class:`AgencyFolder` (a deposit, a disposal
    batch…): its agency and its path follow from where it sits."""

    @property
    def agency(self):
        return self.__parent__.__parent__

    @property
    def path(self):
        return "/%s/%s/%s" % (self.agency.code, self.__parent__.__name__, self.__name__)
