"""Collection nodes of the records tree: archive → agency → year → record
→ versions → version (see tree.py for the map)."""
from ..resources import Folder
from .tree import (ALWAYS_NAMED, NAMED_TITLES, ROOT_TITLE, Collection, EmptyFolder, nfc,
                   number_in, record_modified)
from . import files
from .summaries import Summary, of_record, touched_at, year_count, year_summaries


class RootNode(Collection):
    def __init__(self, site):
        super().__init__(site, None, "")

    def displayname(self):
        return ROOT_TITLE

    def child(self, name):
        return AgencyNode(self.site, self, self.site.root.agencies[name])

    def children(self):
        return (AgencyNode(self.site, self, agency)
                for agency in self.site.root.agencies.values())

    def extra(self):
        log = self.site.log
        if log is None:
            return {"change-cursor": "0"}
        return {"change-cursor": str(log.head()), "change-feed": log.feed_id or ""}


class AgencyNode(Collection):
    def __init__(self, site, parent, agency):
        super().__init__(site, parent, agency.code)
        self.agency = agency

    def displayname(self):
        return self.agency.name or self.agency.code

    def child(self, name):
        if name[:1].isdigit():           # years; register names never are
            return YearNode(self.site, self, self.agency.data[number_in(name)])
        for key, folder in self._named():
            if nfc(key) == name:
                return NamedFolderNode(self.site, self, key, folder)
        raise KeyError(name)

    def _named(self):
        """(name, folder) of the registers beside the years."""
        stored = self.agency.named
        found = [(key, folder) for key, folder in stored.items()
                 if not key.startswith("_")]  # internal (e.g. workflow's _outbox)
        return found + [(key, EmptyFolder()) for key in ALWAYS_NAMED if key not in stored]

    def children(self):
        for year in self.agency.values():
            yield YearNode(self.site, self, year)
        for key, folder in self._named():
            yield NamedFolderNode(self.site, self, key, folder)

    def extra(self):
        return {"agency": self.agency.code}


class YearNode(Collection):
    def __init__(self, site, parent, year):
        super().__init__(site, parent, str(year.year))
        self.year = year

    def displayname(self):
        return "Năm %s" % self.name

    def child(self, name):
        return RecordNode(self.site, self, self.year.data[number_in(name)])

    def _listed(self):
        """(number, record ghost, stored summary or None) of every record
        but the destroyed ones.  items() walks the IOBTree bucket by bucket
        and hands out ghosts; a record with a stored summary is never loaded
        (a destroyed one has none), one without is loaded to see whether it
        is a tombstone."""
        stored = year_summaries(self.site.summaries, self.year.agency_code, self.year.year)
        for number, record in self.year.data.items():
            found = stored.get(number) if stored is not None else None
            if found is not None or not record.destroyed:
                yield number, record, found

    def children(self):
        for number, record, found in self._listed():
            yield RecordNode(self.site, self, record, number,
                             Summary(found) if found is not None else None)

    def entries(self):
        return ((str(number), True) for number, _, _ in self._listed())

    def extra(self):
        # the year's own response goes out first: counting by walking the
        # year here loaded all of it before the first byte (summaries.py)
        counted = year_count(self.site.counts, self.year.agency_code, self.year.year)
        if counted is None or year_summaries(
                self.site.summaries, self.year.agency_code, self.year.year) is None:
            counted = sum(1 for _ in self._listed())       # a year never summarised
        return {"record-count": str(counted)}


class RecordNode(Collection):
    def __init__(self, site, parent, record, number=None, summary=None):
        super().__init__(site, parent, str(number or record.number))
        self.record = record
        self._summary = summary
        self._listed = summary is not None

    @property
    def summary(self):
        if self._summary is None:
            self._summary = of_record(self.record, record_modified(self.site, self.record))
        return self._summary

    def displayname(self):
        summary = self.summary
        label = "%s/%s" % (self.name, summary.notation or "")
        return "%s: %s" % (label, summary.subject) if summary.subject else label

    def modified(self):
        summary = self.summary
        if not self._listed:
            return summary.modified         # of_record: the touch stamp counted
        # a stored summary is not rewritten for a change it does not show (a
        # delivery accepted): the record's touch stamp says when that was
        year = self.parent.year
        logged = touched_at(self.site.touched, year.agency_code, year.year, int(self.name))
        return max(summary.modified, logged) if logged is not None else summary.modified

    def created(self):
        return self.summary.created

    def _members(self):
        record = self.record
        found = {"document.pdf": lambda: files.PdfNode(
                     self.site, self, "document.pdf", record.current),
                 "versions": lambda: VersionsNode(self.site, self, record)}
        found.update(files.generated_for(self))
        return found

    def child(self, name):
        return self._members()[name]()

    def children(self):
        return (make() for make in self._members().values())

    def extra(self):
        summary = self.summary
        return {"register-number": self.name,
                "notation": summary.notation or "",
                "issued-on": summary.issued_on or "",
                "agency": summary.agency,
                "legal-status": summary.legal_status,
                "recalled": "true" if summary.recalled else "false",
                "version": str(summary.version)}


class VersionsNode(Collection):
    def __init__(self, site, parent, record):
        super().__init__(site, parent, "versions")
        self.record = record

    def displayname(self):
        return "Các phiên bản"

    def child(self, name):
        number = number_in(name)
        if not 1 <= number <= len(self.record.versions):
            raise KeyError(name)
        return VersionNode(self.site, self, self.record.versions[number - 1])

    def children(self):
        return (VersionNode(self.site, self, v) for v in self.record.versions)


class VersionNode(Collection):
    def __init__(self, site, parent, version):
        super().__init__(site, parent, str(version.number))
        self.version = version
        self.record = parent.record

    def displayname(self):
        return "Phiên bản %s" % self.name

    def modified(self):
        return self.version.deposited_at

    created = modified

    def _members(self):
        pdf = files.pdf_name(self.version)
        return {pdf: lambda: files.PdfNode(self.site, self, pdf, self.version),
                "validation.json": lambda: files.validation_node(self, self.version)}

    def child(self, name):
        members = self._members()
        if name == "document.pdf" and name not in members:
            # unlisted alias: the path the HTTP API uses
            return files.PdfNode(self.site, self, name, self.version)
        return members[name]()

    def children(self):
        return (make() for make in self._members().values())

    def extra(self):
        return {"version": self.name, "reason": self.version.reason or ""}


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
        return files.JsonEntryNode(self.site, self, "%s.json" % key, value)

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


def resolve(site, segments):
    """The node at ``segments`` (decoded path segments), or KeyError."""
    node = RootNode(site)
    for name in segments:
        node = node.child(nfc(name))
    return node
