"""The file plan (danh mục hồ sơ, Decree 30/2020 Art. 28, App. V).

``/{agency}/fileplans/{year}``: one plan per agency and year.  Headings in
Roman numerals (``I``, ``II``), sub-headings in Arabic under them (``I.1``);
each entry a dossier to be built — number (``01.TCCB``), title, retention
(a Circular 05/2025 code or a schedule item), the person responsible.  The
head of the agency approves it (who, when, decision reference); only an
approved plan opens dossiers, each entry at most once.
"""
import re

from persistent import Persistent

from ..errors import BadRequest, Conflict
from ..events import DossierChanged, fire
from .folders import AgencyFolder, part_of
from . import dossiers as ds
from . import fields as fd
from .retention import schedule_of

NAME = "fileplans"
ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
ARABIC = re.compile(r"^[1-9][0-9]{0,2}$")


class FilePlan(Persistent):
    __name__ = None
    __parent__ = None

    def __init__(self, year, headings, entries, made_by, made_at):
        self.year = year
        self.headings = headings        # [{"code", "title", "sections": [{"code", "title"}]}]
        self.entries = entries          # [{"heading", "number", "title", "retention", …}]
        self.made_by = made_by
        self.made_at = made_at
        self.approval = None            # {"by", "position", "on", "decision", "recorded_at"}
        self.opened = {}                # entry number → dossier key

    @property
    def agency_code(self):
        return self.__parent__.__parent__.code

    @property
    def path(self):
        return "/%s/%s/%d" % (self.agency_code, NAME, self.year)

    @property
    def approved(self):
        return self.approval is not None

    def entry(self, number):
        found = next((e for e in self.entries if e["number"] == number), None)
        if found is None:
            raise BadRequest("unknown_plan_entry",
                             "Danh mục hồ sơ năm %d không có hồ sơ số %s." % (self.year, number),
                             [{"field": "number", "value": number}])
        return found

    def totals(self):
        permanent = sum(1 for e in self.entries if e["retention"].permanent)
        return {"total": len(self.entries), "permanent": permanent,
                "limited": len(self.entries) - permanent}


class FilePlans(AgencyFolder):
    min_key = 1900
    max_key = 2999


def plans_of(agency, create=False):
    return part_of(agency, NAME, FilePlans, create)


def clean_headings(raw):
    if not isinstance(raw, list) or not raw:
        raise BadRequest("invalid_file_plan", "Danh mục hồ sơ phải có ít nhất một đề mục.",
                         [{"field": "headings"}])
    headings, codes = [], set()
    for h in raw:
        code = (h or {}).get("code") if isinstance(h, dict) else None
        if not isinstance(code, str) or not code or not ROMAN.match(code) or code in codes:
            raise BadRequest("invalid_heading",
                             "Đề mục lớn đánh số La Mã (I, II, III…), không trùng: %r." % code,
                             [{"field": "headings", "value": code}])
        title = h.get("title")
        if not isinstance(title, str) or not title.strip():
            raise BadRequest("invalid_heading", "Đề mục %s thiếu tên." % code,
                             [{"field": "headings", "value": code}])
        sections = []
        for s in h.get("sections") or ():
            sub = s.get("code") if isinstance(s, dict) else None
            if not isinstance(sub, str) or not ARABIC.match(sub) or not s.get("title"):
                raise BadRequest("invalid_heading",
                                 "Đề mục nhỏ của %s đánh số Ả Rập (1, 2, 3…) và có tên: %r."
                                 % (code, sub), [{"field": "headings", "value": sub}])
            sections.append({"code": sub, "title": str(s["title"]).strip()[:500]})
            codes.add("%s.%s" % (code, sub))
        codes.add(code)
        headings.append({"code": code, "title": title.strip()[:500], "sections": sections})
    return headings, codes


def clean_entries(raw, codes, schedule):
    if not isinstance(raw, list):
        raise BadRequest("invalid_file_plan", "Danh sách hồ sơ (entries) phải là một mảng.",
                         [{"field": "entries"}])
    entries, numbers = [], set()
    for e in raw:
        if not isinstance(e, dict) or e.get("heading") not in codes:
            raise BadRequest("invalid_plan_entry",
                             "Hồ sơ %r phải thuộc một đề mục của danh mục."
                             % (e.get("number") if isinstance(e, dict) else e),
                             [{"field": "heading"}])
        clean = fd.validate({k: e.get(k) for k in ("title", "number", "owner", "notes")
                             if e.get(k) is not None})
        if not clean["number"] or clean["number"] in numbers:
            raise BadRequest("invalid_plan_entry", "Số hồ sơ phải có và không trùng: %r."
                             % clean["number"], [{"field": "number"}])
        numbers.add(clean["number"])
        entries.append({"heading": e["heading"], "number": clean["number"],
                        "title": clean["title"], "owner": clean["owner"],
                        "notes": clean["notes"], "schedule_item": e.get("schedule_item"),
                        "retention": fd.clean_retention(e, schedule)})
    return entries


def plan_from_form(form):
    """The JSON shape ``make_plan`` takes, from the file plan form's repeated
    fields: heading rows (``I`` a heading, ``I.1`` a sub-heading of I) and
    entry rows (``retention`` a schedule item's code or ``code:NN``).  Blank
    rows are the form's spare ones and are skipped."""
    headings, order = {}, []
    for code, title in zip(form.getall("heading_code"), form.getall("heading_title")):
        code, title = code.strip().upper(), title.strip()
        if not code and not title:
            continue
        main, _, sub = code.partition(".")
        if sub:
            parent = headings.get(main)
            if parent is None:      # a sub-heading before its heading: refused by name
                parent = headings[main] = {"code": main, "title": "", "sections": []}
                order.append(main)
            parent["sections"].append({"code": sub, "title": title})
        elif main in headings and not headings[main]["title"]:
            headings[main]["title"] = title
        else:
            headings[main] = {"code": main, "title": title, "sections": []}
            order.append(main)
    entries = []
    columns = ("heading", "number", "title", "retention", "owner", "notes")
    for values in zip(*(form.getall("entry_" + c) for c in columns)):
        row = dict(zip(columns, (v.strip() for v in values)))
        if not row["number"] and not row["title"]:
            continue
        row["heading"] = row["heading"].upper()
        retention = row.pop("retention")
        if retention.startswith("code:"):
            row["retention_code"] = retention[len("code:"):]
        elif retention:
            row["schedule_item"] = retention
        entries.append({k: v for k, v in row.items() if v})
    return {"year": form.get("year", "").strip(), "headings": [headings[c] for c in order],
            "entries": entries}


def make_plan(agency, raw, actor, at, *, registry, request=None):
    try:
        year = fd.year(raw.get("year"))
    except (TypeError, ValueError):
        raise BadRequest("invalid_file_plan", "Phải ghi năm của danh mục hồ sơ.",
                         [{"field": "year"}])
    headings, codes = clean_headings(raw.get("headings"))
    entries = clean_entries(raw.get("entries") or [], codes, schedule_of(registry))
    plans = plans_of(agency, create=True)
    if year in plans:
        raise Conflict("file_plan_exists", "Cơ quan đã có danh mục hồ sơ năm %d." % year,
                       [{"year": year}])
    plan = plans.add(year, FilePlan(year, headings, entries, ds.actor_name(actor), at))
    fire(registry, DossierChanged(plan, request, action="make_file_plan", actor=actor,
                                  detail=dict(plan.totals(), year=year)))
    return plan


def revise(plan, raw, actor, at, *, registry, request=None):
    """A draft plan's headings and entries replaced (the year stays); once
    approved a plan is what the head signed and is not revised."""
    if plan.approved:
        raise Conflict("file_plan_approved",
                       "Danh mục hồ sơ năm %d đã được duyệt: không sửa được." % plan.year)
    headings, codes = clean_headings(raw.get("headings"))
    plan.entries = clean_entries(raw.get("entries") or [], codes, schedule_of(registry))
    plan.headings = headings
    fire(registry, DossierChanged(plan, request, action="revise_file_plan", actor=actor,
                                  detail=dict(plan.totals(), year=plan.year)))
    return plan


def approve(plan, raw, actor, at, *, registry, request=None):
    """The head's approval: who, when, the decision that approved it."""
    if plan.approved:
        raise Conflict("file_plan_approved", "Danh mục hồ sơ năm %d đã được duyệt." % plan.year)
    approval = {}
    for name, label in (("approved_by", "người duyệt"), ("decision", "số quyết định")):
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            raise BadRequest("approval_incomplete", "Phải ghi %s." % label, [{"field": name}])
        approval[name] = value.strip()
    try:
        approval["approved_on"] = fd.iso_date(raw.get("approved_on"))
    except (TypeError, ValueError):
        raise BadRequest("approval_incomplete", "Ngày duyệt phải có dạng YYYY-MM-DD.",
                         [{"field": "approved_on"}]) from None
    approval["position"] = (raw.get("position") or "Thủ trưởng cơ quan").strip()
    approval["recorded_by"] = ds.actor_name(actor)
    approval["recorded_at"] = at
    plan.approval = approval
    fire(registry, DossierChanged(plan, request, action="approve_file_plan", actor=actor,
                                  detail={"decision": approval["decision"],
                                          "approved_by": approval["approved_by"]}))
    return plan


def open_from_plan(plan, number, actor, at, *, registry, request=None):
    """Open the dossier of the plan's entry ``number`` (Art. 29)."""
    if not plan.approved:
        raise Conflict("file_plan_not_approved",
                       "Danh mục hồ sơ năm %d chưa được duyệt: chưa lập hồ sơ theo danh mục."
                       % plan.year)
    entry = plan.entry(number)
    if number in plan.opened:
        raise Conflict("dossier_already_opened", "Hồ sơ số %s đã được lập." % number,
                       [{"dossier": "/%s/%s/%d" % (plan.agency_code, ds.NAME,
                                                   plan.opened[number])}])
    retention = entry["retention"]
    raw = {"title": entry["title"], "number": number, "year": plan.year,
           "heading": heading_title(plan, entry["heading"]),
           "retention_code": retention.code, "retention_years": retention.years,
           "owner": entry["owner"], "schedule_item": entry["schedule_item"]}
    dossier = ds.open_dossier(plan.__parent__.__parent__, raw, actor, at, registry=registry,
                              request=request, plan_entry=(plan.year, number))
    plan.opened = dict(plan.opened, **{number: dossier.key})
    return dossier


def heading_title(plan, code):
    main, _, sub = code.partition(".")
    for h in plan.headings:
        if h["code"] == main:
            if not sub:
                return "%s. %s" % (main, h["title"])
            s = next(s for s in h["sections"] if s["code"] == sub)
            return "%s. %s" % (sub, s["title"])
    return code


def rows(plan):
    """The plan's table in App. V order: each heading, its sub-headings, the
    entries under each — ``(kind, cells)`` with kind heading|entry."""
    out = []
    for h in plan.headings:
        out.append(("heading", ["", "%s. %s" % (h["code"], h["title"]), "", "", ""]))
        out += entry_rows(plan, h["code"])
        for s in h["sections"]:
            code = "%s.%s" % (h["code"], s["code"])
            out.append(("heading", ["", "%s. %s" % (s["code"], s["title"]), "", "", ""]))
            out += entry_rows(plan, code)
    return out


def entry_rows(plan, code):
    return [("entry", [e["number"], e["title"], e["retention"].label, e["owner"] or "",
                       e["notes"] or ""]) for e in plan.entries if e["heading"] == code]
