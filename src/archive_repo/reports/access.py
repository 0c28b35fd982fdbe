"""Access statistics from the audit trail: views and downloads per
document, per agency and per month, and sign-ins — for a period and a scope.

A document's access counts for the agency that issued it (the first segment
of the entry's target, ``/CODE/YEAR/NUMBER``); a sign-in for the agency of
the person (the entry's ``agency``), every sign-in for the province.
Which audit actions are which is the table ``KINDS``; an action the
archive starts auditing later (a record page view, a WebDAV read) is one
more row.
"""
import re
from collections import Counter

from .tally import audit_rows

KINDS = {
    "read_document": "downloads",       # /…/document.pdf, versions' files
    "export_edxml": "downloads",
    "view_record": "views",
    "sign_in": "sign_ins",
}
RECORD = re.compile(r"^/([^/]+)/(\d{4})/(\d+)")
TOP = 20


def access_stats(audit_log, scope, period, top=TOP):
    lo, hi = period.stamps()
    codes = set(scope.codes)
    province = scope.agency is None
    totals, months = Counter(), Counter()
    documents, agencies = Counter(), Counter()
    for packed in audit_rows(audit_log, lo, hi):
        kind = KINDS.get(packed[4])
        if kind is None:
            continue
        if kind == "sign_ins":
            if province or packed[3] in codes:
                kind = kind if packed[6] == "ok" else "sign_ins_refused"
                totals[kind] += 1
                months[(packed[0][:7], kind)] += 1
            continue
        found = RECORD.match(packed[5] or "")
        if found is None or found.group(1) not in codes or packed[6] != "ok":
            continue
        totals[kind] += 1
        months[(packed[0][:7], kind)] += 1
        documents[(found.group(0), kind)] += 1
        agencies[(found.group(1), kind)] += 1
    return {
        "period": period.key, "scope": scope.agency or scope.kind,
        "totals": {k: totals[k] for k in ("views", "downloads", "sign_ins",
                                          "sign_ins_refused")},
        "by_month": [{"month": m, **{k: months[(m, k)] for k in (
            "views", "downloads", "sign_ins", "sign_ins_refused")}}
            for m in period.months()],
        "by_agency": _split(agencies, "agency"),
        "by_document": _split(documents, "document")[:top],
    }


def _split(counter, name):
    rows = {}
    for (key, kind), n in counter.items():
        rows.setdefault(key, {name: key, "views": 0, "downloads": 0})[kind] = n
    return sorted(rows.values(), key=lambda r: (-(r["views"] + r["downloads"]), r[name]))
