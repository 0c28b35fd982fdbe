"""The facts ledger: one compact row per record, all a report reads.

A year's report over 100 000 records must not load 100 000 record pickles
and parse as many rule-engine reports (tens of kilobytes of JSON each).  So
every RecordAdded/RecordModified (the operation's own event) rewrites the
record's row here, in the same transaction; a report then reads rows of
plain tuples, one int-keyed tree per agency and year.  Rows are derived
from the record alone, so the ledger can always be rebuilt (the evolve step
``2026-12-report-facts`` does that for records stored before it existed).

The ledger lives in the records database under its own root key, beside
(not inside) the archive root: nothing that walks the tree sees it.  A
second tree, ``received``, holds one small tree per receiver and year of
receipt, keying each accepted delivery ``(sender, year, number, accepted)``,
so that one agency's incoming register is a scan of its own tree.  One flat
tree for every receiver made eight receivers accepting at once fight over
its shared buckets (bench/workflow.py: 113 of 161 retries); each receiver
now writes its own tree.

Instants are stored as microsecond stamps (``timeutil.to_stamp``): one
pickle op each.
"""
from collections import namedtuple

from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from .. import db, timeutil
from ..db import jar_of

FACTS_KEY = "archive_repo.facts"
# A row, in this order (a plain tuple is what is stored; Fact names it).
Fact = namedtuple("Fact", [
    "agency", "year", "number",
    "issued_on",        # "YYYY-MM-DD"
    "doctype",
    "equivalent",       # legal status: equivalent to paper (Art. 4.1)
    "digitized",        # a scan of a paper original
    "personal",         # carries a personal signature
    "organisation",     # carries an organisation signature
    "failing",          # ("article code", …) of the failing Art. 4–9 rules
    "in_time",          # Art. 6.1b: True, False, or None (not judged)
    "urgent",           # Khẩn / Thượng khẩn / Hỏa tốc
    "at_once",          # Art. 6.4c for an urgent one: True, False, None
    "deposited",        # stamp
    "deliveries",       # ((receiver, state, sent, accepted, refused, reason,
                        #   recall_requested, recalled), …) — stamps or None
    "recalled",         # stamp of the recall notice, or None
    "versions",         # number of versions
])
Delivery = namedtuple("Delivery", ["receiver", "state", "sent", "accepted", "refused",
                                   "reason", "recall_requested", "recalled"])
# Field positions, for readers that index rows instead of naming them: a
# namedtuple made per row and per delivery was a fifth of a year's report.
F = Fact(*range(len(Fact._fields)))
D = Delivery(*range(len(Delivery._fields)))


class FactsLedger(Persistent):
    """``rows``: (agency, year) → IOBTree number → row — one small tree per
    agency-year, so a deposit writes its own agency-year's bucket and a
    report range-reads int-keyed buckets; ``received``: see module doc."""

    def __init__(self):
        self.rows = OOBTree()
        self.received = OOBTree()

    def _tree(self, agency, year, create=False):
        tree = self.rows.get((agency, year))
        if tree is None and create:
            tree = self.rows[(agency, year)] = IOBTree()
        return tree

    def get(self, agency, year, number):
        tree = self._tree(agency, year)
        return tree.get(number) if tree is not None else None

    def put(self, row):
        old = self.get(*row[:3])
        if old == row:
            return False
        self._tree(row[F.agency], row[F.year], create=True)[row[F.number]] = row
        self._received(old, row)
        return True

    def _received_tree(self, code, year, create=False):
        if create:
            return db.kept(self.received, (code, year), OOBTree)
        return self.received.get((code, year))

    def _received(self, old, row):
        # only what changed: even an insert that finds its key marks the
        # tree read-current, and the receiver splitting it meanwhile then
        # fails the commit (ReadConflictError, bench/workflow.py)
        before, now = _received_keys(old), _received_keys(row)
        for key in before - now:
            del self._received_tree(*key[:2])[key[2:]]
        for key in now - before:
            self._received_tree(*key[:2], create=True)[key[2:]] = True

    def of_agency(self, code, year):
        """Rows (plain tuples: index them with ``F``) of ``code``'s records
        issued in ``year``, by number."""
        tree = self._tree(code, year)
        return tree.values() if tree is not None else ()

    def received_by(self, code, year):
        """``(sender, year, number, accepted stamp)`` of what ``code``
        accepted in ``year``."""
        tree = self._received_tree(code, year)
        return iter(tree.keys()) if tree is not None else iter(())

    def received_keys(self):
        """Every ``(receiver, year of receipt, sender, year, number,
        accepted)``, in that order."""
        return [head + key for head, tree in self.received.items() for key in tree.keys()]

    def items(self):
        """``[((agency, year, number), row)]`` of every row."""
        return [(row[:3], row) for tree in self.rows.values() for row in tree.values()]


def _received_keys(row):
    if row is None:
        return set()
    keys = set()
    for d in row[F.deliveries]:
        if d[D.accepted] is not None:
            year = timeutil.to_vn(timeutil.from_stamp(d[D.accepted])).year
            keys.add((d[D.receiver], year, row[F.agency], row[F.year], row[F.number],
                      d[D.accepted]))
    return keys


def ledger_in(conn):
    """The ledger of ``conn``'s database, created on first use."""
    return db.kept(conn.root(), FACTS_KEY, FactsLedger)


# -- a record's row ------------------------------------------------------------

# Checks whose failure is a requirement missed (status) or a refusal
# (reject): the "failing rules behind reference only".
COUNTED_SEVERITIES = ("status", "reject")


def document_part(record):
    """What the row says about the document itself (its current version)."""
    report = record.current.report if record.current is not None else {}
    checks = {c["code"]: c for c in report.get("checks", ())}
    roles = {s.get("role") for s in report.get("signatures", ())}
    meta = record.metadata
    failing = tuple(sorted("%s %s" % (c["article"], c["code"]) for c in checks.values()
                           if c.get("passed") is False
                           and c.get("severity") in COUNTED_SEVERITIES))
    return (meta.get("issued_on") or "", meta.get("doctype") or "",
            record.legal_status == "equivalent_to_paper", bool(meta.get("digitized")),
            "personal" in roles, "organisation" in roles, failing,
            _passed(checks, "sent_in_time"), bool(meta.get("urgency")),
            _passed(checks, "urgent_sent_immediately") if meta.get("urgency") else None,
            timeutil.to_stamp(record.deposited_at))


def _passed(checks, code):
    check = checks.get(code)
    return None if check is None else check.get("passed")


def delivery_row(d):
    stamp = timeutil.to_stamp
    return Delivery(d.receiver, d.state, stamp(d.sent_at), stamp(d.accepted_at),
                    stamp(d.refused_at), d.refusal[0] if d.refusal else None,
                    stamp(d.recall_requested_at), stamp(d.recalled_at))


def deliveries_part(record):
    recalled = timeutil.to_stamp(record.recall.at) if record.recall is not None else None
    return (tuple(tuple(delivery_row(d)) for d in record.deliveries), recalled,
            len(record.versions))


def row_of(record, previous=None):
    """The record's row; with ``previous`` (its current row) only the
    deliveries part is recomputed — what a delivery or recall changes."""
    head = (record.agency_code, record.year, record.number)
    document = Fact(*previous)[3:14] if previous is not None else document_part(record)
    return head + document + deliveries_part(record)


# Changes that leave the document (its version, its report) as it was.
DELIVERY_ONLY = {"delivery", "recall"}


def with_delivery(previous, record, receiver):
    """``previous`` (the record's row) with ``receiver``'s delivery read
    again, or None when the row does not hold it."""
    row = Fact(*previous)
    rows = list(row.deliveries)
    for position, (code, _) in enumerate(record.receiver_states()):
        if code == receiver and position < len(rows) and rows[position][D.receiver] == code:
            rows[position] = tuple(delivery_row(record.deliveries[position]))
            return tuple(row._replace(deliveries=tuple(rows)))
    return None


def on_record_changed(event):
    """Rewrite the record's row (subscriber of RecordAdded/RecordModified).
    A step of one delivery reads that delivery only: reading all of them,
    each connection reloaded the others' just-changed pickles at every
    accept (bench/workflow.py)."""
    record = event.record
    ledger = ledger_in(jar_of(record))
    previous = row = None
    if event.info.get("what") in DELIVERY_ONLY:
        previous = ledger.get(record.agency_code, record.year, record.number)
    receiver = event.info.get("receiver")
    if previous is not None and receiver is not None:
        row = with_delivery(previous, record, receiver)
    ledger.put(row if row is not None else row_of(record, previous))


def received_per_receiver(root):
    """Evolve step: the flat ``received`` tree (every receiver's keys in
    one) becomes one tree per receiver and year of receipt."""
    ledger = ledger_in(root._p_jar)
    flat = ledger.received
    if not flat or len(next(iter(flat.keys()))) == 2:
        return
    ledger.received = OOBTree()
    for key in flat.keys():
        ledger._received_tree(*key[:2], create=True).insert(key[2:], True)


def build(root):
    """Evolve step: a row for every record already stored."""
    from ..indexing.rebuild import iter_records
    ledger = ledger_in(root._p_jar)
    for record in iter_records(root):
        ledger.put(row_of(record))
