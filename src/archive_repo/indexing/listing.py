"""Listings from the catalog, never by walking containers.

``list_records(request, agency=None, year=None, start=0, size=50, **filters)``
returns ``(total, [Record, …])``, newest first: by register number inside
one agency's year (the register's own order), by date of issue otherwise.
``filters`` are catalog filters (:func:`catalog.build_query`): e.g.
``doctype="QĐ"``, ``legal_status="equivalent_to_paper"``, ``recalled=False``,
``receivers_any=[code]``, ``delivery_states_any=["sent"]``;
``recalled=None`` lists recalled records too.

Only records the caller may view are listed (the ``allowed`` index against
the request's principals), so a listing never leaks a record its ACL hides.

One agency's year with no filter but ``recalled`` (the year page) is read
by position (``positions.YearOrder``): the page's numbers, then its
records, whatever the year's size — the catalog sort it replaces read
every docid of the year (a middle page 5.0 → 24.9 ms for 5 000 → 15 000
records, bench/scale.py).  A caller allowed to view the year may view
each of its records (a record's ACL only adds its receivers; no ACL in the
tree denies), so no ``allowed`` filter is needed there; a caller who may
not view the year is listed by the catalog, filtered.
"""
from pyramid.interfaces import ISecurityPolicy

from ..errors import BadRequest
from .catalog import get_catalog
from .worker import resolve

# ``?recalled=``: a recalled record stays in the archive (Art. 7.3, 9.4) but
# is hidden from default listings and search; ``true`` shows only recalled
# records, ``all`` both.
RECALLED = {"": False, "false": False, "0": False, "true": True, "1": True, "all": None}


def recalled_choice(params):
    """False (default), True or None (both) from ``params["recalled"]``."""
    raw = (params.get("recalled") or "").strip().lower()
    if raw not in RECALLED:
        raise BadRequest("invalid_parameter",
                         "Tham số recalled không hợp lệ: cần false, true hoặc all.",
                         [{"parameter": "recalled"}])
    return RECALLED[raw]


def principals_of(request):
    policy = request.registry.queryUtility(ISecurityPolicy)
    if policy is None or not hasattr(policy, "effective_principals"):
        return ["system.Everyone"]
    return list(policy.effective_principals(request))


def root_of(request):
    """The archive root (``request.root`` once traversal has run)."""
    root = getattr(request, "root", None)
    if root is None:
        from ..resources import root_factory
        root = root_factory(request)
    return root


def list_records(request, agency=None, year=None, start=0, size=50, **filters):
    root = root_of(request)
    catalog = get_catalog(root)
    if agency and year and set(filters) <= {"recalled"}:
        found = _by_position(request, root, catalog, agency, int(year), start, size,
                             filters.get("recalled"))
        if found is not None:
            return found
    sort = "number" if agency and year else "issued_on"
    total, paths = catalog.query(sort=sort, reverse=True, start=start, size=size,
                                 agency=agency, year=int(year) if year else None,
                                 allowed_any=principals_of(request), **filters)
    records = [resolve(root, p) for p in paths]
    return total, [r for r in records if r is not None]


def _by_position(request, root, catalog, agency, year, start, size, recalled):
    """``(total, records)`` of the year's page read by position, or None
    when the caller may not view the whole year."""
    container = root.agencies[agency].data.get(year) if agency in root.agencies else None
    if container is None:
        return 0, []
    if not request.has_permission("view", container):
        return None
    order = catalog.year_order(agency, year)
    if order is None:
        return 0, []
    records = [container.data.get(n) for n in order.numbers(recalled, start, size)]
    return order.count(recalled), [r for r in records if r is not None]
