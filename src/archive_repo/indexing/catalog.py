"""The records catalog — the only module that imports repoze.catalog.

It lives in ZODB (``root.catalog``), so its updates commit or abort with
the change that caused them.  Callers never touch repoze.catalog objects:
they pass filters as keyword arguments and get ``(total, paths)`` back, the
shape hypatia's ``query.execute().sort(index, reverse, limit)`` has, so that
swapping the engine is a change to this module only.

Indexes (one per attribute of :func:`values`):

    field:   agency, year, number, doctype, issued_on, deposited_at,
             legal_status, urgency, signer, recalled
    keyword: receivers, delivery_states, allowed

``allowed`` holds the principals that may *view* the record (after
Substance D's ``allowed`` index): ``allowed_any=[principals]`` keeps only
what a caller can read.
"""
from types import SimpleNamespace

from persistent import Persistent
from pyramid.authorization import ACLHelper
from repoze.catalog.catalog import Catalog
from repoze.catalog.document import DocumentMap
from repoze.catalog.indexes.field import CatalogFieldIndex
from repoze.catalog.indexes.keyword import CatalogKeywordIndex
from repoze.catalog.query import All, And, Any, Eq, InRange

from .. import timeutil

FIELDS = ("agency", "year", "number", "doctype", "issued_on", "deposited_at",
          "legal_status", "urgency", "signer", "recalled")
KEYWORDS = ("receivers", "delivery_states", "allowed")
NONE = "-"      # indexed in place of None (a field index skips None)


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
        "delivery_states": sorted({getattr(d, "state", None) or NONE
                                   for d in record.deliveries}),
        "allowed": allowed_principals(record),
    }


def allowed_principals(record):
    """Principals the resource tree's ACLs let view ``record``."""
    return sorted(ACLHelper().principals_allowed_by_permission(record, "view"))


class RecordCatalog(Persistent):
    """The catalog plus the docid ↔ path map."""

    def __init__(self):
        self.catalog = Catalog()
        for name in FIELDS:
            self.catalog[name] = CatalogFieldIndex(name)
        for name in KEYWORDS:
            self.catalog[name] = CatalogKeywordIndex(name)
        self.docs = DocumentMap()

    # -- writing ---------------------------------------------------------
    def index(self, record):
        """Index (or re-index) ``record``; return its docid."""
        path = record.path
        docid = self.docs.docid_for_address(path)
        if docid is None:
            docid = self.docs.add(path)
            self.catalog.index_doc(docid, SimpleNamespace(**values(record)))
        else:
            self.catalog.reindex_doc(docid, SimpleNamespace(**values(record)))
        return docid

    def unindex(self, path):
        docid = self.docs.docid_for_address(path)
        if docid is not None:
            self.catalog.unindex_doc(docid)
            self.docs.remove_docid(docid)

    def clear(self):
        self.catalog.clear()
        self.docs = DocumentMap()

    # -- reading ---------------------------------------------------------
    def __len__(self):
        return len(self.docs.docid_to_address)

    def paths(self):
        return list(self.docs.address_to_docid.keys())

    def path_for(self, docid):
        return self.docs.address_for_docid(docid)

    def contains(self, path):
        return self.docs.docid_for_address(path) is not None

    def indexed_values(self, path):
        """What the catalog holds for ``path`` (for consistency checks)."""
        docid = self.docs.docid_for_address(path)
        return {name: _sorted(self.catalog[name]._rev_index.get(docid))
                for name in FIELDS + KEYWORDS}

    @staticmethod
    def comparable(values):
        return {name: _sorted(value) for name, value in values.items()}

    def query(self, sort="issued_on", reverse=True, start=0, size=None, **filters):
        """``(total, [paths])`` of records matching ``filters``, sorted by the
        field index ``sort`` (None: docid order)."""
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
        index = self.catalog["allowed"]
        wanted = set(principals)
        out = set()
        for path in paths:
            docid = self.docs.docid_for_address(path)
            if docid is not None and wanted & set(index._rev_index.get(docid, ())):
                out.add(path)
        return out


def _sorted(value):
    if isinstance(value, (list, tuple, set, frozenset)) or type(value).__name__.endswith("Set"):
        return sorted(value)
    return value


def build_query(filters):
    """Filters → a repoze.catalog query (hypatia has the same names).

    ``name=value`` (Eq), ``name_any=[…]`` (Any), ``name_all=[…]`` (All),
    ``issued_from``/``issued_to`` (an inclusive InRange on issued_on)."""
    parts = []
    lo, hi = filters.pop("issued_from", None), filters.pop("issued_to", None)
    if lo or hi:
        parts.append(InRange("issued_on", lo or "0000-00-00", hi or "9999-99-99"))
    for key, value in filters.items():
        if value is None:
            continue
        if key.endswith("_any"):
            parts.append(Any(key[:-4], list(value)))
        elif key.endswith("_all"):
            parts.append(All(key[:-4], list(value)))
        else:
            parts.append(Eq(key, value))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(*parts)


def get_catalog(root):
    """The catalog of ``root``, created on first use."""
    catalog = getattr(root, "catalog", None)
    if catalog is None:
        catalog = root.catalog = RecordCatalog()
    return catalog
