"""Records as the contract's JSON."""
from .. import audit, timeutil
from ..deposit.metadata import FIELDS
from ..resources.record import record_facts, version_facts
from . import url_of


REPORT_FIELDS = ("made_at", "kind", "run_id", "engine_version", "legal_status",
                 "legal_status_reasons", "trust_roots", "revocation_mode", "flags")


def failed_checks(report):
    """The checks that cost the document its status or its deposit (flags
    are information, never failures)."""
    return [c for c in report.get("checks", [])
            if c.get("passed") is False and c.get("severity") != "flag"]


def report_json(report):
    """A revalidation report as the record shows it: when, by which engine,
    against which trust roots, the verdict and the failed checks.  The
    whole report (every check and signature) is the version's
    ``validation.json`` over WebDAV."""
    data = {name: report.get(name) for name in REPORT_FIELDS}
    data["failed_checks"] = failed_checks(report)
    return data


def version_json(request, record, version):
    report = version.report or {}
    return {
        "number": version.number,
        "url": url_of(request, "%s/versions/%d" % (record.path, version.number)),
        "document_url": url_of(request, "%s/versions/%d/document.pdf"
                               % (record.path, version.number)),
        "sha256": version.sha256,
        "size": version.size,
        "filename": version.filename,
        "deposited_at": timeutil.isoformat(version.deposited_at),
        "deposited_by": version.deposited_by,
        "reason": version.reason,
        "legal_status": report.get("legal_status", "reference_only"),
        "revalidations": len(version.reports),
        "reports": [report_json(r) for r in version.reports],
        **version_facts(request.registry, record, version),
    }


def _as_json(item):
    return item.as_json() if hasattr(item, "as_json") else item


def record_json(request, record, with_history=True):
    current = record.current
    report = current.report or {}
    data = {name: record.metadata.get(name) for name in FIELDS}
    data.update({
        "url": url_of(request, record.path),
        "document_url": url_of(request, record.path + "/document.pdf"),
        "agency": record.agency_code,
        "year": record.year,
        "number": record.number,
        "legal_status": report.get("legal_status", "reference_only"),
        "legal_status_reasons": report.get("legal_status_reasons", []),
        "checks": report.get("checks", []),
        # document timestamps prove time, not authorship: the contract's
        # signature roles are personal/organisation/urgency/unknown
        "signatures": [sig for sig in report.get("signatures", [])
                       if sig.get("role") != "timestamp"],
        "timestamps": [sig for sig in report.get("signatures", [])
                       if sig.get("role") == "timestamp"],
        "flags": report.get("flags", {}),
        "report": {"made_at": report.get("made_at"),
                   "engine_version": report.get("engine_version"),
                   "trust_roots": report.get("trust_roots", [])},
        "sha256": current.sha256,
        "size": current.size,
        "filename": current.filename,
        "deposited_at": timeutil.isoformat(record.deposited_at),
        "deposited_by": record.deposited_by,
        "versions": [version_json(request, record, v) for v in record.versions],
        "recall": _as_json(record.recall),
        "deliveries": [_as_json(d) for d in record.deliveries],
    })
    if with_history:
        data["history"] = audit.history(request, record.path)
        data.update(record_facts(request.registry, record))
    return data


def record_summary(request, record):
    meta = record.metadata
    return {"url": url_of(request, record.path), "number": record.number,
            "notation": meta.get("notation"), "doctype": meta.get("doctype"),
            "subject": meta.get("subject"), "issued_on": meta.get("issued_on"),
            "issued_on_shown": timeutil.show_date(_date(meta.get("issued_on"))),
            "legal_status": record.legal_status, "recalled": record.recalled,
            "urgency": meta.get("urgency")}


def _date(text):
    from datetime import date
    return date.fromisoformat(text) if text else None


def delivery_json(request, delivery):
    data = delivery.as_json()
    data["url"] = url_of(request, delivery.path)
    data["record_url"] = url_of(request, delivery.record.path)
    data["document"] = record_summary(request, delivery.record)
    if delivery.incoming:
        data["incoming"]["url"] = url_of(request, delivery.incoming_path())
    return data
