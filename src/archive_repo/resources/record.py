"""A registered document and its versions.

The PDF bytes live in a ZODB blob of the :class:`Version`, never in a pickle;
the record pickle holds only metadata and small evidence (the validation
report), so listing a year never reads a PDF.
"""
import json

from persistent import Persistent
from persistent.list import PersistentList
from pyramid.authorization import Allow
from pyramid.threadlocal import get_current_registry
from ZODB.blob import Blob
from zope.interface import Interface, implementer

from .. import timeutil
from ..errors import Gone
from ..events import RecordActionNoted, fire


class IRecord(Interface):
    """A registered document (the adapters' ``for``)."""


class IRecordPart(Interface):
    """A named, non-persistent traversal wrapper under a record."""


class IVersion(Interface):
    """One stored version of a record."""


class IVersionFacts(Interface):
    """Named multi-adapters of (record, version): a dict another concern
    adds to the version's JSON under the adapter's name (its last fixity
    check, say) without the tree or the serialisers importing it."""


class IRecordFacts(Interface):
    """Named adapters of a record: a dict another concern adds to the
    record's JSON (and page) under the adapter's name."""


def record_facts(registry, record):
    """Name → facts of every IRecordFacts adapter of ``record``."""
    return {name: facts for name, facts in registry.getAdapters((record,), IRecordFacts)}


def version_facts(registry, record, version):
    """Name → facts of every IVersionFacts adapter of ``version``."""
    return {name: facts for name, facts in registry.getAdapters((record, version),
                                                                IVersionFacts)}


def add_record_part(config, name, factory):
    """Directive ``config.add_record_part(name, factory)``: ``factory(record)``
    answers ``/{agency}/{year}/{number}/{name}``; a name registered twice
    is a configuration conflict."""
    config.action(("archive_repo.record_part", name),
                  lambda: config.registry.registerAdapter(factory, (IRecord,), IRecordPart,
                                                          name))


@implementer(IVersion)
class Version(Persistent):
    """One immutable deposited file.  ``report`` is the rule engine's report
    made at deposit; ``reports`` keeps later re-validations beside it, never
    replacing it."""

    def __init__(self, number, sha256, size, filename, deposited_at,
                 deposited_by, report, reason="new"):
        self.number = number
        self.blob = Blob()
        self.sha256 = sha256
        self.size = size
        self.filename = filename
        self.deposited_at = deposited_at
        self.deposited_by = deposited_by
        self.report = report
        self.reports = PersistentList()
        self.reason = reason

    # The deposit report is evidence that never changes, so it is kept as one
    # JSON text: as a pickled tree of dicts it cost some 650 pickle ops of
    # a deposit's commit (bench/deposit.py).  (Dicts stored before: the
    # evolve step ``2026-12-version-reports-json``.)
    @property
    def report(self):
        cached = self._v_report
        if cached is None:
            self._p_activate()
            text = self.__dict__.get("_report")
            cached = json.loads(text) if text is not None else None
            self._v_report = cached
        return cached

    @report.setter
    def report(self, value):
        self._report = None if value is None else json.dumps(value, ensure_ascii=False,
                                                              sort_keys=True)
        self._legal_status = (value or {}).get("legal_status", "reference_only")
        self.__dict__.pop("report", None)       # the evolve step's old dict
        self._v_report = None

    _v_report = None
    _legal_status = None        # versions stored before it was kept: None

    def store_file(self, path):
        """Move the spooled upload at ``path`` into the blob (no copy)."""
        self.blob.consumeFile(path)

    def open(self):
        return self.blob.open("r")

    @property
    def legal_status(self):
        # kept beside the JSON text: every listing summary and catalog entry
        # asks for it, and each ZODB connection parsed the whole report once
        # per version to answer (bench/workflow.py, eight receivers)
        found = self._legal_status
        if found is None:
            found = (self.report or {}).get("legal_status", "reference_only")
        return found


@implementer(IRecord)
class Record(Persistent):
    """A document registered under agency / year / number."""

    __name__ = None
    __parent__ = None
    # Set by an executed disposal (archive_repo.records.disposal): what was
    # destroyed and by which decision; the versions then have no bytes and
    # every endpoint answers 410 Gone (``check_not_destroyed``).
    tombstone = None
    # ((receiver, state), …) in the order of ``deliveries``, kept by the
    # workflow (workflow/deliveries.py); None on records made before
    delivery_states = None

    def __init__(self, number, metadata, deposited_by):
        self.number = number
        self.metadata = dict(metadata)
        self.deposited_by = deposited_by
        self.versions = PersistentList()
        self.recall = None
        self.deliveries = PersistentList()

    def receiver_states(self):
        """``((receiver, state), …)`` of the deliveries, in their order.

        Kept on the record because the catalog (delivery-state words) and
        every ``…/deliveries/{receiver}`` lookup need them: read from the
        deliveries — each a pickle of its own, changed by its receiver's
        step — every ZODB connection reloaded all of them at each step, and
        eight receivers accepting one record loaded 64 (bench/workflow.py)."""
        kept = self.delivery_states
        if kept is None:
            kept = tuple((d.receiver, d.state) for d in self.deliveries)
        return kept

    # -- where it lives -------------------------------------------------
    @property
    def year(self):
        return self.__parent__.year if self.__parent__ is not None else None

    @property
    def agency_code(self):
        return self.__parent__.agency_code if self.__parent__ is not None else None

    @property
    def path(self):
        return "/%s/%s/%s" % (self.agency_code, self.year, self.number)

    @property
    def __acl__(self):
        # Receivers may read what was sent to them (Art. 7); the issuing
        # agency's rights come from the agency above.  A receiver that
        # acknowledged a recall has destroyed its copy (Decree 30/2020):
        # it keeps ``view`` (the particulars, the recall notice; its
        # cancelled register entry points here) but loses ``read_document``,
        # the right every view serving the document's bytes asks for.
        destroyed = {d.receiver for d in self.deliveries if d.state == "recalled"}
        return [(Allow, "clerk:%s" % code,
                 ("view",) if code in destroyed else ("view", "read_document"))
                for code in self.metadata.get("receivers") or ()]

    def __getitem__(self, name):
        # The parts under a record (``versions``, ``deliveries``) belong to
        # other concerns, which register them as named adapters
        # (``config.add_record_part``) so the tree imports none of them.
        # Traversal runs inside a request: its registry is the current one.
        part = get_current_registry().queryAdapter(self, IRecordPart, name=name)
        if part is None:
            raise KeyError(name)
        return part

    # -- versions -------------------------------------------------------
    def add_version(self, version):
        self.versions.append(version)
        return version

    @property
    def current(self):
        return self.versions[-1] if self.versions else None

    @property
    def deposited_at(self):
        return self.versions[0].deposited_at if self.versions else None

    @property
    def legal_status(self):
        return self.current.legal_status if self.current else "reference_only"

    @property
    def recalled(self):
        return self.recall is not None

    @property
    def destroyed(self):
        return self.tombstone is not None

    def __repr__(self):
        return "<Record %s>" % self.path


def new_version(record, sha256, size, filename, by, report, reason="new",
                at=None):
    version = Version(len(record.versions) + 1, sha256, size, filename,
                      at or timeutil.now(), by, report, reason)
    return record.add_version(version)


def note_viewed(record, request):
    """A person or machine read the record's particulars (its page or JSON):
    only the audit trail hears it, in the request's transaction as a
    download's entry is; the access statistics count it as a view."""
    fire(request.registry, RecordActionNoted(record, request, action="view_record",
                                             actor=request.identity))


def check_not_destroyed(record):
    """Gone (410) with the tombstone when ``record`` was destroyed."""
    if record is not None and record.tombstone is not None:
        raise Gone(record)
