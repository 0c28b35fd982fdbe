"""The records catalog — the only module that imports repoze.catalog.

It lives in ZODB (``root.catalog``), so its updates commit or abort with
the change that caused them.  Callers never touch repoze.catalog objects:
they pass filters as keyword arguments and get ``(total, paths)`` back, the
shape hypatia's ``query.execute().sort(index, reverse, limit)`` has, so that
swapping the engine is a change to this module only.

Indexes, over the attributes of :func:`values`:

    field:   number, issued_on, deposited_at (sorting, date ranges)
    facets:  one keyword index of ``name=value`` words for agency, year,
             doctype, legal_status, urgency, signer, recalled, receivers,
             allowed (equality only)
    deliveries: the same for delivery_states, the words that change most

One index per field wrote a reverse-index bucket, a docid set and a counter
per field on every deposit; the words share one reverse entry (LAYOUT).
Callers still filter by field name: ``agency=…``, ``receivers_any=[…]``.
``years`` holds each agency-year's ``positions.YearOrder`` (which numbers
are catalogued, which recalled), so that a page of a year is read by
position instead of by sorting the year (:meth:`RecordCatalog.year_order`).
``allowed`` holds the principals that may *view* the record (after
Substance D's ``allowed`` index): ``allowed_any=[principals]`` keeps only
what a caller can read.  Principals the root's ACL lets view everything
(archivist, connector, admin) are left out: their words would sit in every
record, three docid sets rewritten by every deposit; a caller holding one
is simply not filtered.
"""
import functools
from types import SimpleNamespace

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.authorization import ACLHelper
from repoze.catalog.catalog import Catalog
from repoze.catalog.document import DocumentMap
from repoze.catalog.indexes.field import CatalogFieldIndex
from repoze.catalog.indexes.keyword import CatalogKeywordIndex
from repoze.catalog.query import All, And, Any, Eq, InRange
from zope.index.keyword import KeywordIndex

from .. import db, timeutil
from .positions import YearOrder

# Sorted or ranged on: one field index each.
FIELDS = ("number", "issued_on", "deposited_at")
# Only ever matched: words "name=value" of one keyword index, ``facets``.
SINGLE = ("agency", "year", "doctype", "legal_status", "urgency", "signer", "recalled")
MULTI = ("receivers", "delivery_states", "allowed")
FACETS = SINGLE + MULTI
NONE = "-"      # indexed in place of None (a field index skips None)
# Layout of the indexes; a catalog of another layout is rebuilt at start-up
# (indexing.prepare).  2: the equality fields folded into ``facets`` — a
# deposit wrote 40 catalog objects with one index per field, 22 then
# (bench/deposit.py).  3: ``allowed`` without the root's principals.
# 4: each document's words kept as a tuple (FacetIndex), and the delivery
# states — the only words a delivery step changes — in an index of their
# own, ``deliveries``: eight receivers accepting at once reloaded the
# facets' reverse bucket (≈ 15 words × 60 documents) whenever one record's
# states changed (bench/workflow.py).
LAYOUT = 4
# The facets kept apart from ``facets``: name → its keyword index.
APART = {"delivery_states": "deliveries"}


def values(record):
    """What the catalog indexes about ``record``."""
    meta = record.metadata
    return {
        "agency": record.agency_code, "year": record.year, "number": record.number,
        "doctype": meta.get("doctype") or NONE,
        "issued_on": meta.get("issued_on") or NONE,
        "deposited_at": timeutil.isoformat(record.deposited_at) or NONE,
        "legal_status": record.legal_status, "urgency": meta.get("urgency") or NONE,
        "signer": meta.get("signer") or NONE, "recalled": bool(record.recalled),
        "receivers": list(meta.get("receivers") or ()),
        "delivery_states": sorted({state or NONE for _, state in record.receiver_states()}),
        "allowed": [p for p in allowed_principals(record) if p not in everywhere()],
    }


def word(name, value):
    return "%s=%s" % (name, value)


def facet_words(vals, index="facets"):
    """The words of a :func:`values` dict in keyword index ``index``."""
    words = [word(name, vals[name]) for name in SINGLE if index_of(name) == index]
    words += [word(name, v) for name in MULTI if index_of(name) == index for v in vals[name]]
    return words


def index_of(name):
    """The keyword index holding facet ``name``'s words."""
    return APART.get(name, "facets")


KEYWORD_INDEXES = ("facets",) + tuple(APART.values())


def allowed_principals(record):
    """Principals the resource tree's ACLs let view ``record``."""
    return sorted(ACLHelper().principals_allowed_by_permission(record, "view"))


@functools.cache
def everywhere():
    """Principals the root's ACL lets view every record (the ACL is a class
    constant: computed once, not per principal of every record indexed)."""
    from ..resources.root import ArchiveRoot
    top = SimpleNamespace(__acl__=ArchiveRoot.__acl__, __parent__=None)
    return frozenset(ACLHelper().principals_allowed_by_permission(top, "view"))


def reads_everything(principals):
    return principals is not None and not everywhere().isdisjoint(principals)


class _TupleWords(KeywordIndex):
    """A keyword index whose reverse entry (docid → words) is a plain tuple.

    zope.index stores an OOSet there — a persistent object, and BTrees
    cannot merge two transactions that each point a docid of the same
    bucket at a new one (ZODB refuses to compare two persistent
    references): eight receivers accepting deliveries of different
    records conflicted on that bucket whenever the records' delivery
    states changed (bench/workflow.py).  Tuples merge."""

    def index_doc(self, docid, seq):
        if isinstance(seq, str):
            raise TypeError("seq argument must be a list/tuple of strings")
        old = self._rev_index.get(docid)
        if not seq:
            if old:
                self.unindex_doc(docid)
            return
        new = self.family.OO.Set(self.normalize(seq))
        if old is None:
            self._insert_forward(docid, new)
            self._num_docs.change(1)
        else:
            if tuple(old) == tuple(new):
                return
            old = self.family.OO.Set(old)
            for word in self.family.OO.difference(old, new):
                found = self._fwd_index[word]
                found.remove(docid)
                if not found:
                    del self._fwd_index[word]
            self._insert_forward(docid, self.family.OO.difference(new, old))
        self._rev_index[docid] = tuple(new)


class FacetIndex(CatalogKeywordIndex, _TupleWords):
    """The ``facets`` index: repoze.catalog's keyword index (queries,
    discriminator, not-indexed set) over :class:`_TupleWords`."""


class RecordCatalog(Persistent):
    """The catalog plus the docid ↔ path map."""

    def __init__(self):
        self.catalog = Catalog()
        for name in FIELDS:
            self.catalog[name] = CatalogFieldIndex(name)
        for name in KEYWORD_INDEXES:
            self.catalog[name] = FacetIndex(name)
        self.docs = DocumentMap()
        self.layout = LAYOUT
        self.years = OOBTree()          # (agency, year) → positions.YearOrder

    # -- writing ---------------------------------------------------------
    def index(self, record):
        """Index (or re-index) ``record``; return its docid."""
        path = record.path
        vals = values(record)
        doc = SimpleNamespace(**{n: facet_words(vals, n) for n in KEYWORD_INDEXES},
                              **{n: vals[n] for n in FIELDS})
        docid = self.docs.docid_for_address(path)
        if docid is None:
            docid = self.docs.add(path)
            self.catalog.index_doc(docid, doc)
        else:
            # FacetIndex and the field indexes write nothing for equal values
            self.catalog.reindex_doc(docid, doc)
        self._order(record.agency_code, record.year).put(record.number, vals["recalled"])
        return docid

    def unindex(self, path):
        docid = self.docs.docid_for_address(path)
        if docid is not None:
            self.catalog.unindex_doc(docid)
            self.docs.remove_docid(docid)
            code, year, number = _place(path)
            order = self.year_order(code, year)
            if order is not None:
                order.remove(number)

    def _order(self, code, year):
        return db.kept(self.years, (code, year), YearOrder)

    def order_years(self):
        """(Re)build ``years`` from what the catalog holds (evolve step
        ``2026-12-catalog-year-order``)."""
        self.years = OOBTree()
        recalled = word("recalled", True)
        for docid, path in self.docs.docid_to_address.items():
            code, year, number = _place(path)
            self._order(code, year).put(number, recalled in self._words(docid))

    # -- reading ---------------------------------------------------------
    def __len__(self):
        return len(self.docs.docid_to_address)

    def paths(self):
        return list(self.docs.address_to_docid.keys())

    def year_order(self, code, year):
        """The agency-year's ``positions.YearOrder``, or None (nothing
        catalogued in it yet)."""
        return self.years.get((code, int(year)))

    def contains(self, path):
        return self.docs.docid_for_address(path) is not None

    def _words(self, docid, index="facets"):
        return set(self.catalog[index]._rev_index.get(docid, ()))

    def indexed_values(self, path):
        """What the catalog holds for ``path`` (for consistency checks), in
        the form :meth:`comparable` gives :func:`values`."""
        docid = self.docs.docid_for_address(path)
        held = {name: self.catalog[name]._rev_index.get(docid) for name in FIELDS}
        for index in KEYWORD_INDEXES:
            held[index] = sorted(self._words(docid, index))
        return held

    @staticmethod
    def comparable(vals):
        held = {name: vals[name] for name in FIELDS}
        for index in KEYWORD_INDEXES:
            held[index] = sorted(facet_words(vals, index))
        return held

    def query(self, sort="issued_on", reverse=True, start=0, size=None, **filters):
        """``(total, [paths])`` of records matching ``filters``, sorted by the
        field index ``sort`` (None: docid order)."""
        if reads_everything(filters.get("allowed_any")):
            del filters["allowed_any"]
        q = build_query(filters)
        limit = None if size is None else start + size
        if q is None:
            docids = list(self.docs.docid_to_address.keys())
            total = len(docids)
            if sort is not None:
                docids = self.catalog[sort].sort(docids, reverse=reverse, limit=limit)
        else:
            total, docids = self.catalog.query(q, sort_index=sort, reverse=reverse,
                                               limit=limit)
            # with a limit repoze.catalog answers the page size; the match
            # count is in ``.total``
            total = int(getattr(total, "total", total))
        docids = list(docids)[start:limit]
        return total, [self.docs.address_for_docid(d) for d in docids]

    def allowed(self, paths, principals):
        """The subset of ``paths`` that ``principals`` may view."""
        wanted = {word("allowed", p) for p in principals}
        everything = reads_everything(principals)
        out = set()
        for path in paths:
            docid = self.docs.docid_for_address(path)
            if docid is not None and (everything or wanted & self._words(docid)):
                out.add(path)
        return out


def _place(path):
    """(agency, year, number) of a record's path ``/{agency}/{year}/{n}``."""
    _, code, year, number = path.split("/")
    return code, int(year), int(number)


def build_query(filters):
    """Filters → a repoze.catalog query (hypatia has the same names).

    ``name=value`` (Eq), ``name_any=[…]`` (Any), ``name_all=[…]`` (All),
    ``issued_from``/``issued_to`` (an inclusive InRange on issued_on).  A
    facet's filters become words of the ``facets`` index."""
    parts = []
    lo, hi = filters.pop("issued_from", None), filters.pop("issued_to", None)
    if lo or hi:
        parts.append(InRange("issued_on", lo or "0000-00-00", hi or "9999-99-99"))
    for key, value in filters.items():
        if value is None:
            continue
        name, _, how = key.rpartition("_") if key.endswith(("_any", "_all")) else (key, "", "")
        if name in FACETS:
            words = [word(name, v) for v in (value if how else [value])]
            index = index_of(name)
            parts.append(All(index, words) if how == "all" else Any(index, words))
        elif how:
            parts.append((Any if how == "any" else All)(name, list(value)))
        else:
            parts.append(Eq(name, value))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(*parts)


def get_catalog(root):
    """The catalog of ``root``, created on first use."""
    catalog = getattr(root, "catalog", None)
    if catalog is None:
        catalog = root.catalog = RecordCatalog()
    return catalog


def outdated(root):
    """Whether ``root`` has no catalog yet (older layouts: evolve steps)."""
    return getattr(root, "catalog", None) is None
