"""Events the domain fires; other concerns subscribe to them instead of
being called from the domain code.

**The operation fires its own event** (as Substance D's ``Folder.add``
does): ``deposit``, ``accept``, ``refuse``, ``recall``, ``acknowledge``,
``add_version``, ``revalidate_record``, ``import_message`` and
``apply_status`` each end with :func:`fire`, given the registry explicitly —
a view, a console command or a test that calls them cannot forget.  Who
listens, in the transaction that made the change (so what they write commits
or aborts with it):

    indexing.subscribers  the catalog and the full-text outbox
    dav.changes           the change feed (into the agency's own log; numbered
                          after commit by a sequencer) and the listing summaries
    audit.subscribers     the audit entry (one per thing a person or job did)

Subscribers are independent of each other: none reads what another writes
(deliveries, which the catalog indexes, are made by ``deposit`` itself).

An operation run on behalf of a larger one (``accept`` under an edXML status
03, ``add_version`` under an edXML import) is given ``because=Because(...)``:
its event then carries the larger operation's audit action and detail, so
the trail shows one entry per thing done, named as the person did it.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Because:
    """The outer operation an inner one runs for (its audit name)."""
    action: str
    detail: dict = field(default_factory=dict)


class RecordEvent:
    """Base: ``action`` (the audit action) was done to ``record`` by
    ``actor`` (a TokenInfo, or None for a console job) with ``outcome``;
    ``detail`` goes into the audit entry, ``info['what']`` names the kind of
    change for the change feed.  ``request`` is None outside HTTP."""

    def __init__(self, record, request=None, action=None, actor=None, outcome="ok",
                 detail=None, because=None, **info):
        self.record = record
        self.request = request
        self.actor = actor
        self.outcome = outcome
        self.action = because.action if because is not None else action
        self.detail = dict(detail or {})
        if because is not None:
            self.detail.update(because.detail)
        self.info = info


class RecordAdded(RecordEvent):
    """A new record (its first version) was deposited or imported."""


class RecordModified(RecordEvent):
    """A record changed: new version, recall, delivery state, new report.
    ``info['what']`` says which; a step of one delivery names its receiver
    in ``info['receiver']`` (the facts ledger then rewrites that delivery
    only)."""


class RecordActionNoted(RecordEvent):
    """Something was done with a record that changed nothing stored — a
    replayed message, a duplicate upload, an export: only the audit trail
    hears of it."""


class DossierChanged(RecordEvent):
    """Records management: ``record`` is a dossier, a file plan, a hold or a
    disposal batch (anything with a ``path`` in the tree) and ``action``
    names the step — ``open_dossier``, ``add_to_dossier``, ``close_dossier``,
    ``update_dossier``, ``deposit_reminder``, ``keep_back_dossier``,
    ``submit_dossier``/``submit_deposit``, ``accept_dossier``/``accept_deposit``,
    ``return_dossier``/``return_deposit``, ``make_file_plan``,
    ``approve_file_plan``, ``place_hold``, ``lift_hold``, ``propose_disposal``,
    ``make_disposal_batch``, ``attach_council``, ``attach_decision``,
    ``destroy_dossier``, ``execute_disposal`` — so that the
    audit trail and a preservation subscriber (PREMIS events) hear every
    step.  The catalog and the change feed do not: a dossier is not a
    record.  (Destroying a record is ``RecordModified(action="destroy",
    what="destroyed")``: everyone hears that.)"""


class _OutsideRecords:
    """What an event about something other than a record carries for the
    audit trail: the archive root it happened in, the request (None outside
    HTTP), the action, who did it, the outcome and details; the subclass
    names the ``target``."""

    def __init__(self, root, request=None, action=None, actor=None, outcome="ok",
                 detail=None):
        self.root = root
        self.request = request
        self.action = action
        self.actor = actor
        self.outcome = outcome
        self.detail = dict(detail or {})


class PersonEvent(_OutsideRecords):
    """Something a person's account went through — sign-in, failure,
    lock-out, sign-out, creation, password change, disabling — for the audit
    trail, whose target is ``/people/<login>``.  Fired by the operations of
    ``archive_repo.people`` (not by their views)."""

    def __init__(self, root, login, request=None, **info):
        self.login = login
        super().__init__(root, request, **info)

    @property
    def target(self):
        return "/people/%s" % self.login


class AgencyChanged(_OutsideRecords):
    """An operator changed an agency's entry in the directory (e.g.
    registered one of its certificates), for the audit trail, whose target
    is ``/<code>``.  Fired by ``archive_repo.directory``'s operations."""

    def __init__(self, root, code, request=None, **info):
        self.code = code
        super().__init__(root, request, **info)

    @property
    def target(self):
        return "/%s" % self.code


def fire(registry, event):
    """Announce ``event``; every domain operation ends with this."""
    registry.notify(event)
    return event
