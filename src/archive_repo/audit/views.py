"""``GET /audit`` — the trail across records, for archivists and admins:
filters ``person`` (login, token id or part of the name), ``agency``,
``action``, ``outcome``, ``from`` / ``to`` (dd/mm/yyyy); newest first, at
most ``LIMIT`` entries on the page; ``/audit.csv`` the same as CSV."""
import csv
import io

from pyramid.renderers import render_to_response
from pyramid.view import view_config

from .. import timeutil
from ..errors import BadRequest
from ..resources.root import ArchiveRoot
from . import audit_conn, get_log, labels
from .dashboard import figures_of

LIMIT = 500
CSV_LIMIT = 100000


def clean_filters(params):
    found = {name: params.get(name, "").strip()
             for name in ("person", "agency", "action", "outcome", "from", "to")}
    for name in ("from", "to"):
        if found[name]:
            try:
                found[name] = timeutil.parse_shown_date(found[name]).isoformat()
            except ValueError:
                raise BadRequest("invalid_parameter", "Tham số %s không hợp lệ: cần ngày dạng "
                                 "dd/mm/yyyy." % name, [{"field": name}])
    return {k: v for k, v in found.items() if v}


def matches(entry, filters):
    day = (entry.get("at") or "")[:10]
    person = filters.get("person", "").lower()
    by = ((entry.get("detail") or {}).get("by") or "").lower()
    # a failed sign-in has no actor yet: the account it was aimed at counts
    account = entry.get("target") or ""
    account = account[len("/people/"):] if account.startswith("/people/") else ""
    return ((not person or person in (entry.get("actor") or "").lower() or person in by
             or person == account)
            and filters.get("agency", entry.get("agency")) == entry.get("agency")
            and filters.get("action", entry.get("action")) == entry.get("action")
            and filters.get("outcome", entry.get("outcome")) == entry.get("outcome")
            and day >= filters.get("from", "") and day <= filters.get("to", "9999"))


def selected(request, limit):
    filters = clean_filters(request.params)
    found = []
    for entry in get_log(audit_conn(request)).newest_first():
        if matches(entry, filters):
            found.append(entry)
            if len(found) >= limit:
                break
    return filters, found


def _namer(request):
    agencies = request.root.agencies
    return lambda code: getattr(agencies.get(code), "name", None) or code


@view_config(context=ArchiveRoot, name="audit", request_method="GET", permission="audit")
def audit_view(request):
    filters, found = selected(request, LIMIT)
    name = _namer(request)
    return render_to_response("archive_repo.audit:templates/audit.jinja2", {
        "filters": filters, "entries": [labels.shown(e, name) for e in found],
        "limit": LIMIT, "actions": labels.ACTIONS, "outcomes": labels.OUTCOMES,
        "query": request.query_string}, request=request)


@view_config(context=ArchiveRoot, name="audit.csv", request_method="GET", permission="audit")
def audit_csv(request):
    filters, found = selected(request, CSV_LIMIT)
    name = _namer(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Thời điểm", "Thao tác", "Người thực hiện", "Mã người/token", "Cơ quan",
                     "Đối tượng", "Kết quả"])
    for entry in found:
        shown = labels.shown(entry, name)
        writer.writerow([timeutil.vn_datetime(entry["at"]), shown["action_label"],
                         shown["actor_label"], entry["actor"], entry.get("agency") or "",
                         entry["target"], shown["outcome_label"]])
    response = request.response
    response.content_type, response.charset = "text/csv", "utf-8"
    response.body = ("\ufeff" + out.getvalue()).encode("utf-8")
    response.content_disposition = 'attachment; filename="nhat-ky.csv"'
    return response


def activity(log, today):
    """This month's figures from the trail (read newest first, stopping at
    the month's start): deposits today and this month, how many of them are
    equivalent to paper, refusals, recalls and lock-outs."""
    month = today.isoformat()[:7]
    counts = {"today": 0, "month": 0, "equivalent": 0, "refuse": 0, "recall": 0,
              "acknowledge_recall": 0, "lock_out": 0}
    for entry in log.newest_first():
        day = (entry.get("at") or "")[:10]
        if day[:7] < month:
            break
        action, ok = entry.get("action"), entry.get("outcome") == "ok"
        if action == "deposit" and ok:
            counts["month"] += 1
            counts["today"] += day == today.isoformat()
            counts["equivalent"] += (entry.get("detail") or {}).get(
                "legal_status") == "equivalent_to_paper"
        elif action in counts and (ok or action == "lock_out"):
            counts[action] += 1
    return counts


@view_config(context=ArchiveRoot, name="dashboard", request_method="GET", permission="audit")
def dashboard_view(request):
    today = timeutil.now().date()
    counts = activity(get_log(audit_conn(request)), today)
    return render_to_response("archive_repo.audit:templates/dashboard.jinja2", {
        "c": counts, "today": today, "figures": figures_of(request),
        "share": round(100.0 * counts["equivalent"] / counts["month"], 1)
        if counts["month"] else None}, request=request)
