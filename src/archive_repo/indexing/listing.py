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
    sort = "number" if agency and year else "issued_on"
    total, paths = catalog.query(sort=sort, reverse=True, start=start, size=size,
                                 agency=agency, year=int(year) if year else None,
                                 allowed_any=principals_of(request), **filters)
    records = [resolve(root, p) for p in paths]
    return total, [r for r in records if r is not None]
