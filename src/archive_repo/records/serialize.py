"""Dossiers (and the other records-management objects) as JSON."""
from .. import audit, timeutil
from ..http import url_of
from . import dossiers as ds
from .holds import holds_on


def document_json(request, row):
    data = {k: v for k, v in row.items() if k != "record"}
    data["url"] = url_of(request, row["record"].path)
    data["date_shown"] = timeutil.vn_date(row["date"])
    return data


def dossier_json(request, dossier, with_history=True):
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
        "steps": [{"action": a, "state": s, "at": timeutil.isoformat(at), "by": by,
                   "note": note} for (a, s, at, by, note) in dossier.steps],
    })
    if with_history:
        data["history"] = audit.history(request, dossier.path)
    return data


def dossier_summary(request, dossier):
    return {"url": url_of(request, dossier.path), "key": dossier.key,
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
