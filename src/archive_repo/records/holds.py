"""Holds (freezing a set of records or dossiers, Decree 30 App. VI; the
legal holds of MoReq2010 / DoD 5015.2 systems).

``/{agency}/holds/{n}``: an archivist (or an admin) freezes some of the
agency's records and dossiers — reason, scope, who, when, reference.  While
a hold stands, a held item cannot be recalled, given a new version, edited,
have its membership changed, be proposed for disposal or destroyed.
Lifting a hold is audited like placing it; nothing is deleted.

Every destructive path asks :func:`check_not_held`: the records-management
operations call it, and for the workflow's own operations (recall, new
version) :func:`veto_held_change` hears their ``RecordModified`` event and
raises — in the operation's own transaction, which therefore aborts: a held
record's recall is never committed, whichever entry point made it.
"""
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from .. import timeutil
from ..errors import BadRequest, Conflict
from ..events import DossierChanged, fire
from .folders import AgencyFolder, part_of

NAME = "holds"
# the workflow's changes a hold forbids (RecordModified's ``what``)
VETOED = {"recall": "thu hồi", "version": "thêm phiên bản mới cho"}


class Hold(Persistent):
    __name__ = None
    __parent__ = None

    def __init__(self, scope, reason, reference, by, at):
        self.scope = tuple(scope)
        self.reason = reason
        self.reference = reference
        self.placed_by = by
        self.placed_at = at
        self.lifted = None          # {"by", "at", "reason"}

    @property
    def path(self):
        return "/%s/%s/%s" % (self.__parent__.agency_code, NAME, self.__name__)

    @property
    def active(self):
        return self.lifted is None

    def as_json(self):
        lifted = dict(self.lifted, at=timeutil.isoformat(self.lifted["at"])) \
            if self.lifted else None
        return {"path": self.path, "key": int(self.__name__), "scope": list(self.scope),
                "reason": self.reason, "reference": self.reference,
                "placed_by": self.placed_by, "placed_at": timeutil.isoformat(self.placed_at),
                "active": self.active, "lifted": lifted}


class Holds(AgencyFolder):
    """An agency's holds; ``active`` maps a held path → the keys of the
    holds that stand on it (the one lookup every destructive path makes)."""
    clerk = ("view",)
    archivist = ("view", "place_holds")

    def __init__(self):
        super().__init__()
        self.active = OOBTree()


def holds_of(agency, create=False):
    return part_of(agency, NAME, Holds, create)


def agency_of(resource):
    while resource is not None and not hasattr(resource, "named"):
        resource = resource.__parent__
    return resource


def holds_on(resource):
    """The standing holds on ``resource`` (a record or a dossier)."""
    agency = agency_of(resource)
    holds = agency.named.get(NAME) if agency is not None else None
    if holds is None:
        return []
    return [holds.data[k] for k in holds.active.get(resource.path, ())]


def check_not_held(resource, verb):
    """Conflict (409 ``held``) when a hold stands on ``resource``."""
    found = holds_on(resource)
    if found:
        hold = found[0]
        raise Conflict("held", "%s đang bị phong tỏa (%s, từ %s): không thể %s."
                       % (resource.path, hold.reason, timeutil.show_date(hold.placed_at), verb),
                       [{"hold": hold.path, "reference": hold.reference,
                         "target": resource.path}])


def place(agency, scope, reason, reference, actor, at, *, registry, request=None,
          resolve=None):
    """Freeze ``scope`` (paths of the agency's records and dossiers;
    ``resolve(path)`` gives the resource or None)."""
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise BadRequest("reason_required", "Phải ghi rõ lý do phong tỏa.",
                         [{"field": "reason"}])
    if not isinstance(scope, list) or not scope or not all(isinstance(p, str) for p in scope):
        raise BadRequest("invalid_scope", "Phạm vi phong tỏa (scope) là danh sách đường dẫn "
                         "văn bản hoặc hồ sơ.", [{"field": "scope"}])
    paths = []
    for path in scope:
        target = resolve(path) if resolve else None
        if target is None or agency_of(target) is not agency:
            raise BadRequest("invalid_scope", "%s không phải văn bản hay hồ sơ của cơ quan %s."
                             % (path, agency.code), [{"field": "scope", "value": path}])
        paths.append(target.path)
    holds = holds_of(agency, create=True)
    hold = holds.add(holds.highest() + 1, Hold(paths, reason, reference or None,
                                               actor_name(actor), at))
    for path in paths:
        holds.active[path] = holds.active.get(path, ()) + (int(hold.__name__),)
    fire(registry, DossierChanged(hold, request, action="place_hold", actor=actor,
                                  detail={"scope": paths, "reason": reason,
                                          "reference": hold.reference}))
    return hold


def lift(hold, reason, actor, at, *, registry, request=None):
    if not hold.active:
        raise Conflict("hold_lifted", "Lệnh phong tỏa đã được gỡ.")
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise BadRequest("reason_required", "Phải ghi rõ lý do gỡ phong tỏa.",
                         [{"field": "reason"}])
    hold.lifted = {"by": actor_name(actor), "at": at, "reason": reason}
    active, key = hold.__parent__.active, int(hold.__name__)
    for path in hold.scope:
        left = tuple(k for k in active.get(path, ()) if k != key)
        if left:
            active[path] = left
        else:
            active.pop(path, None)
    fire(registry, DossierChanged(hold, request, action="lift_hold", actor=actor,
                                  detail={"scope": list(hold.scope), "reason": reason}))
    return hold


def veto_held_change(event):
    """Subscriber (RecordModified): a recall or a new version of a held
    record raises, so the operation's transaction aborts."""
    verb = VETOED.get(event.info.get("what"))
    if verb is not None:
        check_not_held(event.record, verb + " văn bản")


def actor_name(actor):
    return getattr(actor, "token_id", None) or "system"
