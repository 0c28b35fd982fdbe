"""Report scopes: one agency, an agency and its subordinate bodies, or the
whole province (every agency the archive holds)."""
from dataclasses import dataclass

from ..errors import ArchiveError

PROVINCE = "province"


@dataclass(frozen=True)
class Scope:
    kind: str               # "province", "agency", "subtree"
    agency: str             # the agency's code (None for the province)
    codes: tuple            # every agency counted, sorted
    label: str

    def as_json(self):
        return {"kind": self.kind, "agency": self.agency, "agencies": list(self.codes),
                "label": self.label}

    @property
    def key(self):
        return PROVINCE if self.agency is None else "%s:%s" % (self.kind, self.agency)


def subordinates(agencies, code):
    """``code`` and every body under it (by ``parent_code``), sorted."""
    children = {}
    for agency in agencies.values():
        children.setdefault(agency.parent_code, []).append(agency.code)
    found, todo = set(), [code]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, ()))
    return tuple(sorted(found))


def make_scope(root, agency=None, subtree=False):
    """The Scope for ``agency`` (a code) or, without one, the province;
    404 ``unknown_agency`` for a code the archive does not know."""
    agencies = root.agencies
    if not agency:
        return Scope(PROVINCE, None, tuple(sorted(agencies.keys())), "Toàn tỉnh")
    found = agencies.get(agency)
    if found is None:
        raise ArchiveError("unknown_agency", "Không có cơ quan mã %s trong kho." % agency,
                           [{"field": "agency", "value": agency}], status=404)
    if subtree:
        return Scope("subtree", agency, subordinates(agencies, agency),
                     "%s và các cơ quan, đơn vị trực thuộc" % (found.name or agency))
    return Scope("agency", agency, (agency,), found.name or agency)
