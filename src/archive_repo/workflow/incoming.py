"""The incoming register ("sổ văn bản đến", Decree 30/2020 App. VI; Art. 7.1c).

``/{agency}/incoming/{year}/{number}``: one register per receiving agency,
one :class:`IncomingYear` per calendar year of receipt, so numbering
restarts every 1 January.  The incoming number is the entry's key in its
year's IOBTree, chosen as highest + 1: two clerks accepting at the same
moment insert the same key into the same bucket, ZODB refuses to merge that
(ConflictError) and pyramid_retry replays one of them, which then takes
the next number — as for outgoing numbers (deposit/numbering.py).

A cancelled entry (the sender recalled the document, Art. 7.3) keeps its
number, the receipt time and that it was cancelled, when and why; the copy
of the document's particulars is destroyed (Decree 30 App. VI).
"""
from persistent import Persistent

from .. import timeutil
from ..resources.folder import IntFolder

REGISTER = "incoming"
COPIED = ("sender", "notation", "issued_on", "doctype", "subject", "urgency")


class IncomingEntry(Persistent):
    """One line of the register; links back to the record by path."""

    handler = None
    cancelled_at = None
    cancel_reason = None

    def __init__(self, delivery, received_at, handler=None):
        record = delivery.record
        meta = record.metadata
        self.record_path = record.path
        self.delivery = delivery
        self.received_at = received_at
        self.handler = handler
        self.particulars = {
            "sender": record.agency_code, "number": record.number,
            "notation": meta.get("notation"), "issued_on": meta.get("issued_on"),
            "doctype": meta.get("doctype"), "subject": meta.get("subject"),
            "urgency": meta.get("urgency"),
        }

    @property
    def number(self):
        return int(self.__name__)

    @property
    def year(self):
        return self.__parent__.year

    @property
    def receiver(self):
        return self.__parent__.__parent__.__parent__.code

    @property
    def path(self):
        return "/%s/%s/%d/%d" % (self.receiver, REGISTER, self.year, self.number)

    @property
    def cancelled(self):
        return self.cancelled_at is not None

    def cancel(self, at, reason):
        self.cancelled_at = at
        self.cancel_reason = reason
        self.particulars = None
        self.handler = None

    def as_json(self):
        return {
            "path": self.path, "number": self.number, "year": self.year,
            "receiver": self.receiver,
            "received_at": timeutil.isoformat(self.received_at),
            "received_on": timeutil.show_date(self.received_at),
            "record": self.record_path, "delivery": self.delivery.path,
            "handler": self.handler, "cancelled": self.cancelled,
            "cancelled_at": timeutil.isoformat(self.cancelled_at),
            "cancel_reason": self.cancel_reason,
            "particulars": self.particulars,
        }


class IncomingYear(IntFolder):
    """A year of the register, keyed by incoming number."""

    def __init__(self, year):
        super().__init__()
        self.year = year


class IncomingRegister(IntFolder):
    """An agency's incoming register, keyed by year of receipt."""

    min_key = 1900
    max_key = 2999

    def year(self, year, create=False):
        found = self.data.get(year)
        if found is None and create:
            found = self.add(year, IncomingYear(year))
        return found


def register_of(agency, create=False):
    register = agency.named.get(REGISTER)
    if register is None and create:
        register = agency.add_named(REGISTER, IncomingRegister())
    return register


def enter(agency, delivery, at, handler=None):
    """Register ``delivery`` in ``agency``'s incoming register; return the
    entry.  The number is unique per agency and year (see module doc)."""
    year = register_of(agency, create=True).year(timeutil.to_vn(at).year, create=True)
    number = year.highest() + 1
    entry = year.add(number, IncomingEntry(delivery, at, handler))
    delivery.incoming = (year.year, number)
    delivery.handler = handler
    return entry


def entry_of(agency, delivery):
    if delivery.incoming is None:
        return None
    register = register_of(agency)
    year = register.year(delivery.incoming[0]) if register is not None else None
    return year.get(str(delivery.incoming[1])) if year is not None else None
