"""Disposal of records past their period (tiêu hủy tài liệu hết giá trị),
only through an approved batch (``/{agency}/disposals/{n}``).

1. Candidates: dossiers closed (or deposited, or retained at an earlier
   appraisal) whose period has run out on the day asked — never a
   permanent one — and on which no hold stands, on the dossier or on any of
   its records; a record also kept in a dossier outside the batch keeps the
   whole dossier out (it is still needed there).
2. A batch: the list and an explanatory note; its dossiers are ``proposed``.
3. The appraisal council's record and the head's decision (number, date,
   signer) are attached as signed PDFs; each goes through the rule engine
   (``rules.engine.evaluate_file``) and is refused unless it carries
   signatures that are all intact and trusted.
4. Execution: each record gets a tombstone (identifier, title, retention,
   decision, the SHA-256 of every version destroyed) and loses the bytes of
   every version — the blob files are deleted from the blob storage once
   the transaction has committed, so no later backup carries them; every
   endpoint then answers 410 Gone (``resources.check_not_destroyed``).  The
   destruction minute (biên bản tiêu hủy) is made from the batch.

Holds are checked again at execution: a hold placed after the batch was
made stops it.  Only the agency's own records are destroyed: a document
another agency issued is in a dossier by reference, and its original stays
with its issuer (only the dossier's reference to it goes).
"""
import os
import shutil

from persistent import Persistent
from pyramid.traversal import find_root
from ZODB.blob import Blob

from .. import timeutil
from ..db import jar_of
from ..errors import ArchiveError, BadRequest, Conflict
from ..events import DossierChanged, RecordModified, fire
from ..resources import Record
from .folders import AgencyFolder, AgencyItem, part_of
from ..resources.record import check_not_destroyed
from . import dossiers as ds
from .holds import actor_name, check_not_held, holds_on

NAME = "disposals"
CANDIDATE_STATES = {"closed", "deposited", "retained"}
ATTACHMENTS = {"council": "Biên bản họp Hội đồng xác định giá trị tài liệu",
               "decision": "Quyết định tiêu hủy tài liệu hết giá trị"}


class Attachment(Persistent):
    """A signed PDF of the procedure, kept with the batch (the destruction
    file is itself kept)."""

    def __init__(self, kind, spooled, meta, report, by, at):
        self.kind = kind
        self.blob = Blob()
        self.sha256, self.size, self.filename = spooled.sha256, spooled.size, spooled.filename
        self.meta = dict(meta)
        self.signatures = [s for s in report.get("signatures", [])
                           if s.get("role") != "timestamp"]
        self.by, self.at = by, at
        self.blob.consumeFile(spooled.path)

    def as_json(self):
        return {"kind": self.kind, "title": ATTACHMENTS[self.kind], "sha256": self.sha256,
                "size": self.size, "filename": self.filename, "meta": self.meta,
                "signatures": self.signatures, "by": self.by,
                "at": timeutil.isoformat(self.at)}


class Batch(AgencyItem):
    __name__ = None
    __parent__ = None

    def __init__(self, dossiers, note, by, at):
        self.dossiers = list(dossiers)
        self.note = note
        self.made_by, self.made_at = by, at
        self.state = "proposed"
        self.attachments = {}
        self.executed_at = None
        self.executed_by = None
        self.destroyed = []         # tombstones, in order

    def records(self):
        """The records the batch destroys: the agency's own.  A document
        another agency issued sits in a dossier by reference; its original
        is that agency's to keep or appraise, so only the reference goes."""
        seen, found = set(), []
        for dossier in self.dossiers:
            for record in own_records(dossier):
                if record.path not in seen:
                    seen.add(record.path)
                    found.append(record)
        return found


class Batches(AgencyFolder):
    clerk = ("view",)


def batches_of(agency, create=False):
    return part_of(agency, NAME, Batches, create)


# -- 1. candidates ---------------------------------------------------------------

def own_records(dossier):
    return [r for r in ds.ordered(dossier) if r.agency_code == dossier.agency_code]


def end_year(dossier):
    end = dossier.fields.get("end_date")
    return int(end[:4]) if end else dossier.year


def why_not(dossier, today, batch_keys=()):
    """Why ``dossier`` cannot be disposed of on ``today`` (Vietnamese), or
    None when it can."""
    if dossier.retention.permanent:
        return "Hồ sơ %s bảo quản vĩnh viễn: không bao giờ được tiêu hủy." % dossier.file_code
    if dossier.state not in CANDIDATE_STATES:
        return "Hồ sơ %s đang ở trạng thái \u201c%s\u201d." % (dossier.file_code,
                                                               ds.STATES[dossier.state])
    due = dossier.retention.disposable_from(end_year(dossier))
    if today < due:
        return "Hồ sơ %s chưa hết thời hạn bảo quản (được xét tiêu hủy từ %s)." % (
            dossier.file_code, timeutil.show_date(due))
    for target in [dossier] + own_records(dossier):
        if holds_on(target):
            return "%s đang bị phong tỏa." % target.path
    for record in own_records(dossier):
        for other in other_dossiers(record, dossier, batch_keys):
            return "Văn bản %s còn thuộc hồ sơ %s." % (record.path, other.file_code)
    return None


def other_dossiers(record, dossier, batch_keys):
    """The dossiers besides ``dossier`` (and those of the batch) holding
    ``record`` — any agency's: a receiver may keep it in its own dossier."""
    found = []
    for agency in find_root(record).agencies.values():
        container = agency.named.get(ds.NAME)
        if container is None:
            continue
        same = container is dossier.__parent__
        found += [d for d in container.of_record(record.path)
                  if d is not dossier and not (same and d.key in batch_keys)]
    return found


def candidates(container, today):
    """The dossiers that may be proposed today.  Dossiers sharing a record
    (Decree 30 App. VI: kept once, listed in each) may only go together, so
    each is a candidate when every other dossier of the agency holding its
    records is one too: the set shrinks until it holds (propose still
    refuses one of them alone)."""
    keys = set(container.keys())
    while True:
        found = [d for d in container.values() if d.key in keys and
                 why_not(d, today, keys) is None]
        if {d.key for d in found} == keys:
            return found
        keys = {d.key for d in found}


# -- 2. the batch ----------------------------------------------------------------

def propose(agency, dossiers, note, actor, at, today, *, registry, request=None):
    if not dossiers:
        raise BadRequest("dossiers_required", "Phải chọn ít nhất một hồ sơ.",
                         [{"field": "dossiers"}])
    if not isinstance(note, str) or not note.strip():
        raise BadRequest("note_required", "Phải có bản thuyết minh tài liệu đề nghị tiêu hủy.",
                         [{"field": "note"}])
    keys = {d.key for d in dossiers}
    refused = [{"dossier": d.path, "message": why_not(d, today, keys)} for d in dossiers
               if why_not(d, today, keys)]
    if refused:
        raise ArchiveError("not_disposable", "Không thể đưa vào danh sách tiêu hủy: "
                           + " ".join(r["message"] for r in refused), refused, status=409)
    container = batches_of(agency, create=True)
    batch = container.add(container.highest() + 1,
                          Batch(dossiers, note.strip(), actor_name(actor), at))
    for dossier in dossiers:
        dossier.step("propose_disposal", actor, at, note=batch.path)
        fire(registry, DossierChanged(dossier, request, action="propose_disposal",
                                      actor=actor, detail={"batch": batch.path}))
    fire(registry, DossierChanged(batch, request, action="make_disposal_batch", actor=actor,
                                  detail={"dossiers": [d.path for d in dossiers],
                                          "records": len(batch.records())}))
    return batch


# -- 3. the council's record and the head's decision -------------------------------

def clean_decision(raw):
    meta = {}
    for name, label in (("number", "số quyết định"), ("signer", "người ký")):
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            raise BadRequest("decision_incomplete", "Phải ghi %s." % label, [{"field": name}])
        meta[name] = value.strip()
    try:
        meta["date"] = timeutil.parse_date(str(raw.get("date") or "")).isoformat()
    except ValueError:
        raise BadRequest("decision_incomplete", "Ngày quyết định phải có dạng YYYY-MM-DD.",
                         [{"field": "date"}]) from None
    return meta


def check_signed(kind, report):
    """The rule engine's verdict on the signatures: there are some, and
    each is intact and chains to a trusted root."""
    signatures = [s for s in report.get("signatures", []) if s.get("role") != "timestamp"]
    bad = [s for s in signatures if not (s.get("intact") and s.get("trusted"))]
    if not signatures or bad:
        raise ArchiveError("unsigned_attachment",
                           "%s phải là tệp PDF có chữ ký số hợp lệ, còn nguyên vẹn và được tin "
                           "cậy." % ATTACHMENTS[kind],
                           [{"signer": s.get("signer"), "intact": s.get("intact"),
                             "trusted": s.get("trusted")} for s in bad] or
                           [{"signatures": 0}], status=422)


def attach(batch, kind, raw, spooled, report, actor, at, *, registry, request=None):
    """Attach the council's record (``council``) or the head's decision
    (``decision``: number, date, signer) — a report of the rule engine on
    the spooled PDF is given."""
    if batch.state != "proposed":
        raise Conflict("batch_state", "Danh sách tiêu hủy đã được thực hiện.")
    if kind not in ATTACHMENTS:
        raise BadRequest("invalid_attachment", "Loại tài liệu đính kèm không hợp lệ.")
    meta = clean_decision(raw) if kind == "decision" else {}
    check_signed(kind, report)
    batch.attachments = dict(batch.attachments, **{
        kind: Attachment(kind, spooled, meta, report, actor_name(actor), at)})
    fire(registry, DossierChanged(batch, request, action="attach_" + kind, actor=actor,
                                  detail=dict(meta, sha256=spooled.sha256)))
    return batch


def retain(batch, dossiers, reason, actor, at, *, registry, request=None):
    """The appraisal keeps ``dossiers`` of the batch: they leave it and are
    ``retained`` (with the reason), to be appraised again later."""
    if batch.state != "proposed":
        raise Conflict("batch_state", "Danh sách tiêu hủy đã được thực hiện.")
    if not isinstance(reason, str) or not reason.strip():
        raise BadRequest("reason_required", "Phải ghi rõ lý do giữ lại.", [{"field": "reason"}])
    outside = [d.path for d in dossiers if d not in batch.dossiers]
    if not dossiers or outside:
        raise BadRequest("not_in_batch", "Hồ sơ không thuộc danh sách tiêu hủy này.",
                         [{"dossier": p} for p in outside])
    batch.dossiers = [d for d in batch.dossiers if d not in dossiers]
    for dossier in dossiers:
        dossier.step("retain", actor, at, note=reason.strip())
        fire(registry, DossierChanged(dossier, request, action="retain_dossier", actor=actor,
                                      detail={"batch": batch.path, "reason": reason.strip()}))
    return batch


# -- 4. execution -------------------------------------------------------------------

def execute(batch, actor, at, *, registry, request=None, progress=None):
    """Destroy the batch's records (see the module doc); ``progress(record)``
    after each."""
    if batch.state != "proposed":
        raise Conflict("batch_state", "Danh sách tiêu hủy đã được thực hiện.")
    if not batch.dossiers:
        raise Conflict("batch_empty", "Danh sách tiêu hủy không còn hồ sơ nào.")
    missing = [ATTACHMENTS[k] for k in ATTACHMENTS if k not in batch.attachments]
    if missing:
        raise Conflict("approval_missing", "Chưa đủ hồ sơ phê duyệt: thiếu %s."
                       % ", ".join(missing), [{"missing": missing}])
    for target in batch.dossiers + batch.records():
        check_not_held(target, "tiêu hủy")
    decision = batch.attachments["decision"].meta
    files = []
    for record in batch.records():
        files += blob_files(record)
        batch.destroyed.append(destroy(record, batch, decision, at))
        fire(registry, RecordModified(record, request, action="destroy", actor=actor,
                                      detail={"batch": batch.path,
                                              "decision": decision["number"]},
                                      what="destroyed"))
        if progress is not None:
            progress(record)
    for dossier in batch.dossiers:
        dossier.step("destroy", actor, at, note=decision["number"])
        fire(registry, DossierChanged(dossier, request, action="destroy_dossier",
                                      actor=actor, detail={"batch": batch.path}))
    batch.state = "executed"
    batch.executed_at, batch.executed_by = at, actor_name(actor)
    fire(registry, DossierChanged(batch, request, action="execute_disposal", actor=actor,
                                  detail={"records": len(batch.destroyed),
                                          "decision": decision["number"]}))
    jar_of(batch).transaction_manager.get().addAfterCommitHook(remove_files, args=(files,))
    return batch


def destroy(record, batch, decision, at):
    meta = record.metadata
    retention = next(d.retention for d in batch.dossiers if d.holds(record))
    stone = {"path": record.path, "number": record.number,
             "notation": meta.get("notation"), "subject": meta.get("subject"),
             "issued_on": meta.get("issued_on"), "retention": retention.as_json(),
             "decision_number": decision["number"], "decision_date": decision["date"],
             "decision_date_shown": timeutil.vn_date(decision["date"]),
             "decision_signer": decision["signer"], "batch": batch.path,
             "destroyed_at": timeutil.isoformat(at),
             "versions": [{"number": v.number, "sha256": v.sha256, "size": v.size}
                          for v in record.versions]}
    record.tombstone = stone
    for version in record.versions:
        version.blob = None
    return stone


def blob_files(record):
    """The blob storage's folders holding ``record``'s versions (one blob
    object each, written once)."""
    found = []
    for version in record.versions:
        try:
            found.append(os.path.dirname(version.blob.committed()))
        except Exception:       # never committed (an imported stub): nothing on disk
            continue
    return found


def remove_files(committed, folders):
    """After commit only: the bytes go when the tombstones are stored."""
    if not committed:
        return
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def refuse_destroyed(event):
    """Subscriber (ContextFound): a destroyed record, or anything under it
    (versions, deliveries, its PDF), answers 410 Gone with its tombstone —
    whatever concern's view would have served it."""
    context = event.request.context
    record = context if isinstance(context, Record) else getattr(context, "record", None)
    if isinstance(record, Record):
        check_not_destroyed(record)
