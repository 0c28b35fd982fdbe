"""Deposit to the agency archive (nộp lưu, Decree 30/2020 Art. 30–31).

Deadlines: within 1 year of closing; a capital-construction dossier within
3 months of its final settlement (``settled_on``); a dossier kept less than
5 years need not be deposited.  The owner may keep a dossier back with the
head's recorded approval, for at most 2 more years in all.  A reminder is
due 30 days before the deadline (App. VI): :func:`raise_reminders` (run
daily by ``archive-repo dossiers remind``) records it once per dossier and
fires ``deposit_reminder``.  Every function takes the day (``today``) it
judges by, so the clock is the caller's.

A deposit (``/{agency}/deposits/{n}``) hands a set of closed dossiers to the
archive: each is checked (closed, its documents the ones listed at closing,
each file's bytes re-read and hashed, each signature intact) and moves to
``submitted``; the archive side accepts them (``deposited``: frozen, see
dossiers.py) or returns them with a reason (back to ``closed``).  The
deposit list (mục lục hồ sơ, tài liệu nộp lưu) and the hand-over record
(biên bản giao nhận) are made from the deposit, as PDF and XML.
"""
import calendar
import hashlib
from datetime import date, timedelta


from .. import timeutil
from ..errors import ArchiveError, BadRequest, Conflict
from ..events import DossierChanged, fire
from .folders import AgencyFolder, AgencyItem, part_of
from . import dossiers as ds
from .holds import actor_name

NAME = "deposits"
REMIND_DAYS = 30
MAX_KEEP_BACK_YEARS = 2


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(dossier):
    """The last day to deposit ``dossier``, or None (not required, not yet
    closed, or a capital-construction dossier not yet settled)."""
    if not dossier.retention.must_deposit or dossier.closed_at is None:
        return None
    if dossier.fields.get("capital_construction"):
        settled = dossier.fields.get("settled_on")
        due = add_months(date.fromisoformat(settled), 3) if settled else None
    else:
        due = add_months(timeutil.to_vn(dossier.closed_at).date(), 12)
    kept = dossier.keep_back
    if due is not None and kept:
        due = add_months(due, 12 * kept["years"])
    return due


def deposit_status(dossier, today):
    """``not_required``, ``pending`` (not closed or not settled), ``due``
    (deadline later than 30 days), ``reminder`` (within 30 days),
    ``overdue``, or the dossier's state once handed over."""
    if dossier.state in ("submitted", "deposited"):
        return dossier.state
    if not dossier.retention.must_deposit:
        return "not_required"
    due = due_date(dossier)
    if due is None:
        return "pending"
    if today > due:
        return "overdue"
    return "reminder" if today >= due - timedelta(days=REMIND_DAYS) else "due"


def deadline_json(dossier, today):
    due = due_date(dossier)
    return {"status": deposit_status(dossier, today), "due_on": due and due.isoformat(),
            "remind_on": due and (due - timedelta(days=REMIND_DAYS)).isoformat(),
            "reminded_at": timeutil.isoformat(dossier.reminded_at),
            "keep_back": dossier.keep_back, "deposit": dossier.deposit}


def listing(container, today, statuses):
    return [d for d in container.values() if d.state == "closed"
            and deposit_status(d, today) in statuses]


def raise_reminders(container, today, actor=None, *, registry, request=None):
    """Record (once) the reminder of each dossier whose deadline is 30 days
    or less away; return those reminded now."""
    reminded = []
    for dossier in listing(container, today, {"reminder", "overdue"}):
        if dossier.reminded_at is not None:
            continue
        dossier.reminded_at = timeutil.now()
        reminded.append(dossier)
        fire(registry, DossierChanged(dossier, request, action="deposit_reminder", actor=actor,
                                      detail={"due_on": due_date(dossier).isoformat(),
                                              "today": today.isoformat()}))
    return reminded


def keep_back(dossier, raw, actor, at, *, registry, request=None):
    """The head's approval to keep ``dossier`` back (Art. 31): years
    (in all at most 2), who approved, the decision, the reason."""
    if dossier.state != "closed":
        raise ds.wrong_state_for(dossier, "edit")
    years = raw.get("years")
    before = (dossier.keep_back or {}).get("years", 0)
    if not isinstance(years, int) or isinstance(years, bool) or years < 1 \
            or before + years > MAX_KEEP_BACK_YEARS:
        raise BadRequest("keep_back_too_long",
                         "Chỉ được giữ lại hồ sơ thêm tối đa %d năm (Điều 31, Nghị định "
                         "30/2020/NĐ-CP); đã giữ %d năm." % (MAX_KEEP_BACK_YEARS, before),
                         [{"field": "years", "value": years}])
    approval = {"years": before + years}
    for name, label in (("approved_by", "người đồng ý"), ("decision", "văn bản đồng ý"),
                        ("reason", "lý do")):
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            raise BadRequest("approval_incomplete", "Phải ghi %s." % label, [{"field": name}])
        approval[name] = value.strip()
    approval["recorded_at"] = timeutil.isoformat(at)
    dossier.keep_back = approval
    fire(registry, DossierChanged(dossier, request, action="keep_back_dossier", actor=actor,
                                  detail=dict(approval)))
    return dossier


# -- the deposit (hand-over) itself ------------------------------------------------

class Deposit(AgencyItem):
    __name__ = None
    __parent__ = None

    def __init__(self, dossiers, handed_by, archive, by, at):
        self.dossiers = list(dossiers)
        self.handed_by = handed_by          # the owner's representative (name, position)
        self.archive = archive              # the receiving archive's name
        self.submitted_by = by
        self.submitted_at = at
        self.state = "submitted"
        self.received_by = None
        self.decided_at = None
        self.return_reason = None
        self.checks = []

    def totals(self):
        files = sum(len(d.members) for d in self.dossiers)
        return {"dossiers": len(self.dossiers), "files": files,
                "pages": sum((d.totals or {}).get("page_count", 0) for d in self.dossiers)}

    def date_range(self):
        starts = [d.fields.get("start_date") for d in self.dossiers if d.fields.get("start_date")]
        ends = [d.fields.get("end_date") for d in self.dossiers if d.fields.get("end_date")]
        return (min(starts) if starts else None, max(ends) if ends else None)


class Deposits(AgencyFolder):
    """An agency's deposits to its archive (nộp lưu)."""


def deposits_of(agency, create=False):
    return part_of(agency, NAME, Deposits, create)


def sha256_of(version):
    digest = hashlib.sha256()
    with version.blob.open("r") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def problems_of(dossier):
    """What keeps ``dossier`` from being deposited: completeness (closed,
    its documents those listed at closing), hashes, signatures."""
    found = []
    if dossier.state != "closed":
        return [{"dossier": dossier.path, "problem": "not_closed",
                 "message": "Hồ sơ %s chưa kết thúc (trạng thái: %s)."
                 % (dossier.file_code, ds.STATES[dossier.state])}]
    listed = {path: (number, sha) for path, number, sha in dossier.totals["members"]}
    if set(listed) != {m.path for m in dossier.members} or not listed:
        found.append({"dossier": dossier.path, "problem": "incomplete",
                      "message": "Hồ sơ %s không có văn bản hoặc khác mục lục lúc kết thúc."
                      % dossier.file_code})
    for record in dossier.members:
        version = record.current
        if sha256_of(version) != version.sha256 or listed.get(record.path, (0, ""))[1] \
                != version.sha256:
            found.append({"dossier": dossier.path, "record": record.path, "problem": "hash",
                          "message": "Tệp của văn bản %s không khớp mã SHA-256 đã lưu."
                          % record.path})
        broken = [s for s in (version.report or {}).get("signatures", [])
                  if not s.get("intact")]
        if broken:
            found.append({"dossier": dossier.path, "record": record.path,
                          "problem": "signature",
                          "message": "Chữ ký số của văn bản %s không còn nguyên vẹn."
                          % record.path})
    return found


def submit(agency, dossiers, handed_by, archive, actor, at, *, registry, request=None):
    """Hand ``dossiers`` (closed, all the agency's own) to the archive."""
    if not dossiers:
        raise BadRequest("dossiers_required", "Phải chọn ít nhất một hồ sơ để nộp lưu.",
                         [{"field": "dossiers"}])
    if not isinstance(handed_by, str) or not handed_by.strip():
        raise BadRequest("handed_by_required", "Phải ghi người giao (bên giao nộp).",
                         [{"field": "handed_by"}])
    problems = [p for d in dossiers for p in problems_of(d)]
    if problems:
        raise ArchiveError("deposit_incomplete", "Hồ sơ chưa đủ điều kiện nộp lưu: "
                           + "; ".join(p["message"] for p in problems), problems, status=422)
    container = deposits_of(agency, create=True)
    deposit = container.add(container.highest() + 1,
                            Deposit(dossiers, handed_by.strip(),
                                    (archive or "Lưu trữ cơ quan").strip(), actor_name(actor), at))
    for dossier in dossiers:
        dossier.step("submit", actor, at, note=deposit.path)
        dossier.deposit = deposit.path
        fire(registry, DossierChanged(dossier, request, action="submit_dossier", actor=actor,
                                      detail={"deposit": deposit.path}))
    fire(registry, DossierChanged(deposit, request, action="submit_deposit", actor=actor,
                                  detail=dict(deposit.totals(),
                                              dossiers=[d.path for d in dossiers])))
    return deposit


def decide(deposit, verb, received_by, reason, actor, at, *, registry, request=None):
    """The archive side: ``accept`` (the dossiers are deposited, frozen) or
    ``return`` (with a reason: back to their owner, closed)."""
    if deposit.state != "submitted":
        raise Conflict("deposit_decided", "Lần nộp lưu này đã được %s."
                       % ("tiếp nhận" if deposit.state == "accepted" else "trả lại"))
    if not isinstance(received_by, str) or not received_by.strip():
        raise BadRequest("received_by_required", "Phải ghi người nhận (bên nhận).",
                         [{"field": "received_by"}])
    if verb == "return" and (not isinstance(reason, str) or not reason.strip()):
        raise BadRequest("reason_required", "Phải ghi rõ lý do trả lại.", [{"field": "reason"}])
    deposit.received_by = received_by.strip()
    deposit.decided_at = at
    deposit.state = "accepted" if verb == "accept" else "returned"
    deposit.return_reason = reason.strip() if verb == "return" else None
    action = "accept_dossier" if verb == "accept" else "return_dossier"
    for dossier in deposit.dossiers:
        dossier.step(verb, actor, at, note=deposit.return_reason)
        fire(registry, DossierChanged(dossier, request, action=action, actor=actor,
                                      detail={"deposit": deposit.path,
                                              "reason": deposit.return_reason}))
    fire(registry, DossierChanged(deposit, request, action=verb + "_deposit", actor=actor,
                                  detail={"received_by": deposit.received_by,
                                          "reason": deposit.return_reason}))
    return deposit
