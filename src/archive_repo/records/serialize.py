"""Dossiers (and the other records-management objects) as JSON."""
from .. import audit, timeutil
from ..http import url_of
from . import deposit as dp
from . import dossiers as ds
from .holds import holds_on


def document_json(request, row):
    data = {k: v for k, v in row.items() if k != "record"}
    data["url"] = url_of(request, row["record"].path)
    data["date_shown"] = timeutil.vn_date(row["date"])
    return data


def dossier_json(request, dossier, with_history=True, today=None):
    data = dict(dossier.fields)
    data.update({
        "url": url_of(request, dossier.path),
        "agency": dossier.agency_code,
        "key": dossier.key,
        "file_code": dossier.file_code,
        "retention_code": dossier.retention.code,
        "retention_years": dossier.retention.years,
        "retention": dossier.retention.as_json(),
        "state": dossier.state,
        "state_label": ds.STATES[dossier.state],
        "opened_by": dossier.opened_by,
        "opened_at": timeutil.isoformat(dossier.opened_at),
        "closed_at": timeutil.isoformat(dossier.closed_at),
        "document_count": (dossier.totals or {}).get("document_count", len(dossier.members)),
        "page_count": (dossier.totals or {}).get("page_count"),
        "documents": [document_json(request, r) for r in ds.document_list(dossier)],
        "version": len(dossier.versions) + 1,
        "holds": [h.as_json() for h in holds_on(dossier)],
        "deposit": dp.deadline_json(dossier, today or timeutil.now().date()),
        "versions": [{"fields": v["fields"], "retention": v["retention"].as_json(),
                      "replaced_at": timeutil.isoformat(v["replaced_at"]), "by": v["by"],
                      "reason": v["reason"]} for v in dossier.versions],
        "steps": [{"action": a, "state": s, "at": timeutil.isoformat(at), "by": by,
                   "note": note} for (a, s, at, by, note) in dossier.steps],
    })
    if with_history:
        data["history"] = audit.history(request, dossier.path)
    return data


def dossier_summary(request, dossier, today=None):
    return {"deposit": dp.deadline_json(dossier, today or timeutil.now().date()),"url": url_of(request, dossier.path), "key": dossier.key,
            "file_code": dossier.file_code, "number": dossier.number,
            "year": dossier.year, "title": dossier.title, "state": dossier.state,
            "retention": dossier.retention.as_json(),
            "document_count": len(dossier.members)}


def plan_json(request, plan):
    approval = dict(plan.approval) if plan.approval else None
    if approval:
        approval["recorded_at"] = timeutil.isoformat(approval["recorded_at"])
    return {
        "url": url_of(request, plan.path), "agency": plan.agency_code, "year": plan.year,
        "state": "approved" if plan.approved else "draft", "approval": approval,
        "headings": plan.headings,
        "entries": [dict({k: v for k, v in e.items() if k != "retention"},
                         retention=e["retention"].as_json(),
                         retention_code=e["retention"].code,
                         dossier=(url_of(request, "/%s/%s/%d" % (plan.agency_code, ds.NAME,
                                                                 plan.opened[e["number"]]))
                                  if e["number"] in plan.opened else None))
                    for e in plan.entries],
        "totals": plan.totals(),
        "made_by": plan.made_by, "made_at": timeutil.isoformat(plan.made_at),
        "pdf_url": url_of(request, plan.path + "/plan.pdf"),
        "xlsx_url": url_of(request, plan.path + "/plan.xlsx"),
        "history": audit.history(request, plan.path),
    }


def deposit_json(request, deposit):
    base = url_of(request, deposit.path)
    start, end = deposit.date_range()
    return {
        "url": base, "agency": deposit.agency.code, "state": deposit.state,
        "archive": deposit.archive, "handed_by": deposit.handed_by,
        "received_by": deposit.received_by, "return_reason": deposit.return_reason,
        "submitted_by": deposit.submitted_by,
        "submitted_at": timeutil.isoformat(deposit.submitted_at),
        "decided_at": timeutil.isoformat(deposit.decided_at),
        "start_date": start, "end_date": end, "totals": deposit.totals(),
        "dossiers": [dossier_summary(request, d) for d in deposit.dossiers],
        "documents": {name: base + "/" + name for name in
                      ("list.pdf", "list.xml", "handover.pdf", "handover.xml")},
        "history": audit.history(request, deposit.path),
    }


def batch_json(request, batch):
    base = url_of(request, batch.path)
    return {
        "url": base, "agency": batch.agency.code, "state": batch.state, "note": batch.note,
        "made_by": batch.made_by, "made_at": timeutil.isoformat(batch.made_at),
        "dossiers": [dossier_summary(request, d) for d in batch.dossiers],
        "records": ([s["path"] for s in batch.destroyed] if batch.destroyed
                    else [r.path for r in batch.records()]),
        "attachments": {k: a.as_json() for k, a in batch.attachments.items()},
        "executed_at": timeutil.isoformat(batch.executed_at),
        "executed_by": batch.executed_by, "destroyed": list(batch.destroyed),
        "documents": {"list.pdf": base + "/list.pdf",
                      "minute.pdf": base + "/minute.pdf" if batch.destroyed else None},
        "history": audit.history(request, batch.path),
    }
