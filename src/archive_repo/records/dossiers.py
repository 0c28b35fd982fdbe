"""Dossiers (hồ sơ, Decree 30/2020 Art. 29, App. VI) and their life cycle.

``/{agency}/dossiers/{key}``: an agency's dossiers, keyed by a sequence
number; the dossier's own number (``01.TCCB``) is unique per year and, with
the agency and the year, makes its file code (Circular 05/2025).

A record belongs to one or more dossiers **without being copied**: a
dossier holds references to the stored Record objects, not their bytes.
``Dossiers.by_record`` maps a record's path to the dossiers of this agency
that hold it (what holds and disposal ask).

The life cycle is the table ``TRANSITIONS``: an action, the states it may
start from, the state it leads to.  Membership changes only while the
dossier is open; its fields while it is open or closed; a dossier handed to
the agency archive (``submitted``, ``deposited``) is frozen — a change is
then a new version of the dossier (``versions``), audited.
"""
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.list import PersistentList

from .. import timeutil
from ..doctypes import DOCTYPES
from ..errors import BadRequest, Conflict
from ..events import DossierChanged, fire
from .folders import AgencyFolder, part_of
from . import fields as fd
from .holds import actor_name, check_not_held
from .retention import schedule_of

NAME = "dossiers"

STATES = {
    "open": "Đang lập",
    "closed": "Đã kết thúc",
    "submitted": "Đã nộp lưu, chờ Lưu trữ cơ quan tiếp nhận",
    "deposited": "Đã nộp lưu vào Lưu trữ cơ quan",
    "proposed": "Đề nghị tiêu hủy",
    "retained": "Giữ lại sau thẩm định",
    "destroyed": "Đã tiêu hủy",
}
# action: (states it may start from, state it leads to)
TRANSITIONS = {
    "close": ({"open"}, "closed"),
    "submit": ({"closed"}, "submitted"),
    "accept": ({"submitted"}, "deposited"),
    "return": ({"submitted"}, "closed"),
    "propose_disposal": ({"closed", "deposited", "retained"}, "proposed"),
    "retain": ({"proposed"}, "retained"),
    "destroy": ({"proposed"}, "destroyed"),
}
VERBS = {"close": "kết thúc", "submit": "nộp lưu", "accept": "tiếp nhận",
         "return": "trả lại", "propose_disposal": "đề nghị tiêu hủy", "retain": "giữ lại",
         "destroy": "tiêu hủy", "add": "thêm văn bản vào", "edit": "sửa"}
DESTRUCTIVE = {"propose_disposal", "destroy"}     # a hold forbids them
MEMBERSHIP_OPEN = {"open"}
FIELDS_OPEN = {"open", "closed"}
FROZEN = {"submitted", "deposited"}


class Dossier(Persistent):
    """One dossier: its Circular 05/2025 fields, its retention, the records
    it holds (references), its state and what closing computed."""

    __name__ = None
    __parent__ = None
    plan_entry = None       # (year, entry number) of the file plan it was opened from
    keep_back = None        # the head's approval to keep it back (deposit.keep_back)
    reminded_at = None      # when the deposit reminder was raised
    deposit = None          # path of the deposit that handed it to the archive

    def __init__(self, fields, retention, opened_by, opened_at):
        self.fields = dict(fields)
        self.retention = retention
        self.members = PersistentList()
        self.state = "open"
        self.opened_by = opened_by
        self.opened_at = opened_at
        self.closed_at = None
        self.totals = None          # set by close
        self.versions = PersistentList()    # earlier field sets of a frozen dossier
        self.steps = PersistentList()       # (action, state, at, by, note)

    @property
    def agency(self):
        return self.__parent__.__parent__

    @property
    def agency_code(self):
        return self.agency.code

    @property
    def key(self):
        return int(self.__name__)

    @property
    def path(self):
        return "/%s/%s/%s" % (self.agency_code, NAME, self.__name__)

    @property
    def year(self):
        return self.fields["year"]

    @property
    def number(self):
        return self.fields["number"]

    @property
    def file_code(self):
        """Circular 05/2025: agency identifier + year + dossier number."""
        return "%s.%d.%s" % (self.agency_code, self.year, self.number)

    @property
    def title(self):
        return self.fields["title"]

    def holds(self, record):
        return any(m is record for m in self.members)

    def step(self, action, actor, at, note=None):
        """Move along the life-cycle table; Conflict (409) from a wrong state."""
        starts, leads_to = TRANSITIONS[action]
        if self.state not in starts:
            raise wrong_state(self, action)
        if action in DESTRUCTIVE:
            check_not_held(self, VERBS[action] + " hồ sơ")
        self.state = leads_to
        self.steps.append((action, leads_to, at, actor_name(actor), note))

    def __repr__(self):
        return "<Dossier %s>" % self.file_code


def wrong_state(dossier, action):
    return Conflict("dossier_state",
                    "Hồ sơ %s đang ở trạng thái \u201c%s\u201d: không thể %s."
                    % (dossier.file_code, STATES[dossier.state], VERBS[action]),
                    [{"state": dossier.state, "action": action}])


class Dossiers(AgencyFolder):
    """An agency's dossiers.  Clerks of the agency and archivists manage
    them; the archive side (``archive_dossiers``) is the archivist's."""

    def __init__(self):
        super().__init__()
        self.by_number = OOBTree()      # (year, number) → key: numbers unique per year
        self.by_record = OOBTree()      # record path → tuple of keys


    def next_number(self, year):
        """``NN`` after the highest plain number of ``year``."""
        used = [int(n) for (_, n) in self.by_number.keys(min=(year, ""), max=(year, "\uffff"))
                if n.isdigit()]
        return "%02d" % (max(used, default=0) + 1)

    def of_record(self, path):
        return [self.data[k] for k in self.by_record.get(path, ())]


def dossiers_of(agency, create=False):
    """The agency's Dossiers; a transient, empty one (for traversal) when it
    has none yet and ``create`` is false."""
    return part_of(agency, NAME, Dossiers, create)


# -- operations: each checks, changes, then fires its event -------------------

def open_dossier(agency, raw, actor, at, *, registry, request=None, plan_entry=None):
    """Open a dossier of ``agency`` from the JSON fields ``raw``."""
    clean = fd.validate(raw)
    retention = fd.clean_retention(raw, schedule_of(registry))
    container = dossiers_of(agency, create=True)
    clean["year"] = clean["year"] or timeutil.to_vn(at).year
    clean["number"] = clean["number"] or container.next_number(clean["year"])
    clean["owner"] = clean["owner"] or actor_name(actor)
    clean["description"] = clean["description"] or "Hồ sơ do %s lập." % clean["owner"]
    if (clean["year"], clean["number"]) in container.by_number:
        raise Conflict("dossier_number_taken",
                       "Số hồ sơ %s năm %d đã được dùng." % (clean["number"], clean["year"]),
                       [{"field": "number", "value": clean["number"]}])
    dossier = Dossier(clean, retention, actor_name(actor), at)
    if plan_entry is not None:
        dossier.plan_entry = plan_entry
    key = container.highest() + 1
    container.add(key, dossier)
    container.by_number[(clean["year"], clean["number"])] = key
    fire(registry, DossierChanged(dossier, request, action="open_dossier", actor=actor,
                                  detail={"file_code": dossier.file_code,
                                          "retention_code": retention.code}))
    return dossier


def add_record(dossier, record, actor, at, *, registry, request=None):
    """Put ``record`` in ``dossier`` (a reference: the record is stored
    once, in as many dossiers as hold it).  True when added, False when it
    was there already."""
    if dossier.state not in MEMBERSHIP_OPEN:
        raise wrong_state_for(dossier, "add")
    check_not_held(dossier, "thêm văn bản vào hồ sơ")
    if dossier.holds(record):
        return False
    dossier.members.append(record)
    index = dossier.__parent__.by_record
    index[record.path] = index.get(record.path, ()) + (dossier.key,)
    fire(registry, DossierChanged(dossier, request, action="add_to_dossier", actor=actor,
                                  detail={"record": record.path,
                                          "sha256": record.current.sha256}))
    return True


def wrong_state_for(dossier, verb):
    return Conflict("dossier_frozen" if dossier.state in FROZEN else "dossier_state",
                    "Hồ sơ %s đang ở trạng thái \u201c%s\u201d: không thể %s hồ sơ."
                    % (dossier.file_code, STATES[dossier.state], VERBS[verb]),
                    [{"state": dossier.state}])


def close_dossier(dossier, actor, at, *, registry, request=None):
    """The matter has ended: compute the totals and the document list (a
    snapshot of each record's current version and hash).  Nothing of a
    signed record is removed or changed."""
    dossier.step("close", actor, at)
    dossier.closed_at = at
    rows = document_list(dossier)
    dates = [r["date"] for r in rows if r["date"]]
    fields = dict(dossier.fields)
    fields["start_date"] = fields.get("start_date") or (min(dates) if dates else None)
    fields["end_date"] = fields.get("end_date") or (
        max(dates) if dates else timeutil.to_vn(at).date().isoformat())
    dossier.fields = fields
    dossier.totals = {
        "document_count": len(rows),
        "page_count": sum(r["pages"] for r in rows),
        "members": [(m.path, m.current.number, m.current.sha256) for m in ordered(dossier)],
    }
    fire(registry, DossierChanged(dossier, request, action="close_dossier", actor=actor,
                                  detail={"document_count": len(rows),
                                          "page_count": dossier.totals["page_count"]}))
    return dossier


def update_fields(dossier, raw, actor, at, *, registry, request=None, reason=None):
    """Change a dossier's fields.  Open or closed: in place.  Frozen in the
    agency archive: only as a new version with a reason (the earlier field
    set kept in ``versions``)."""
    if dossier.state in FROZEN and not reason:
        raise wrong_state_for(dossier, "edit")
    if dossier.state not in FIELDS_OPEN | FROZEN:
        raise wrong_state_for(dossier, "edit")
    check_not_held(dossier, "sửa hồ sơ")
    for fixed in ("year", "number"):
        if fixed in raw and raw[fixed] != dossier.fields[fixed]:
            raise BadRequest("field_fixed", "Không được đổi năm và số của hồ sơ đã lập.",
                             [{"field": fixed}])
    clean = fd.validate(raw, current=dossier.fields)
    retention = fd.clean_retention(raw, schedule_of(registry), current=dossier.retention)
    if dossier.state in FROZEN:
        dossier.versions.append({"fields": dict(dossier.fields),
                                 "retention": dossier.retention, "replaced_at": at,
                                 "by": actor_name(actor), "reason": reason})
    changed = sorted(k for k in clean if clean[k] != dossier.fields.get(k))
    dossier.fields = clean
    dossier.retention = retention
    fire(registry, DossierChanged(dossier, request, action="update_dossier", actor=actor,
                                  detail={"changed": changed, "reason": reason,
                                          "version": len(dossier.versions) + 1}))
    return dossier


# -- the document list (mục lục văn bản, Decree 30 App. V) ---------------------

def sort_key(record):
    return (record.metadata.get("issued_on") or "", timeutil.isoformat(record.deposited_at)
            or "", record.path)


def ordered(dossier):
    return sorted(dossier.members, key=sort_key)


def document_list(dossier):
    """The 7 columns, in time order: No., number/notation, date, type and
    summary, author, sheet/page (where the document starts), notes."""
    rows, page = [], 1
    for no, record in enumerate(ordered(dossier), start=1):
        meta = record.metadata
        pages = meta.get("page_count") or 1
        kind = DOCTYPES.get(meta.get("doctype"), meta.get("doctype") or "")
        rows.append({
            "no": no,
            "number_notation": "%s/%s" % (record.number, meta.get("notation") or ""),
            "date": meta.get("issued_on"),
            "type_and_summary": ("%s: %s" % (kind, meta.get("subject") or "")) if kind
            else meta.get("subject") or "",
            "author": record.__parent__.__parent__.name or record.agency_code,
            "page": page, "pages": pages,
            "notes": notes_of(record),
            "record": record,
        })
        page += pages
    return rows


def notes_of(record):
    parts = []
    if record.recalled:
        parts.append("Đã thu hồi")
    if len(record.versions) > 1:
        parts.append("%d phiên bản" % len(record.versions))
    return "; ".join(parts)
