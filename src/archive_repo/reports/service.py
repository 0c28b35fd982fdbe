"""Making a report: period + scope → figures, percentages, tables and the
indicators' definitions, as one JSON-able dict every output renders.

The contract's shape is kept at the top level — ``{"period": "2026-11",
"scope": CODE or "province", "indicators": {code: number}}`` — and the rest
sits beside it.  Nothing in it depends on when it was made: the same period
and scope over the same archive give the same dict (``register`` relies on
that to tell a re-run from a correction).
"""
from bisect import bisect_left

from .. import audit
from ..rules import rule_policy
from ..rules.calendar import calendar_for
from ..settings import get_settings
from ..workflow.deliveries import REFUSAL_REASONS
from . import indicators as ind
from .access import access_stats
from .dossiers import count_dossiers
from .facts import ledger_in
from .periods import parse_period
from .scopes import make_scope
from .tally import CAUSE_LABELS, make_tally


def make_report(conn, root, period, scope, registry, progress=None):
    """The report of ``scope`` over ``period`` from the database ``conn``
    (records; the audit database is reached through it)."""
    tally = make_tally(ledger_in(conn), audit.get_log(conn.get_connection(audit.AUDIT_DB)),
                       scope, period, calendar_for(rule_policy(registry)),
                       get_settings(registry).report_waiting_days, progress,
                       everyone=len(scope.codes) == len(root.agencies))
    count_dossiers(tally, root, scope, period)
    values = ind.figures(tally)
    return {
        "period": period.key,
        "scope": scope.agency or scope.kind,
        "indicators": values,
        "percentages": ind.percentages(values),
        "period_detail": period.as_json(),
        "scope_detail": scope.as_json(),
        "closed": period.closed(),
        "months": period.months(),
        "waiting_days": get_settings(registry).report_waiting_days,
        "tables": tables(tally, root),
        "definitions": ind.definitions(),
    }


def report_for(conn, root, registry, period, agency=None, subtree=False, progress=None):
    """:func:`make_report` from the parameters as typed (CLI, query string)."""
    return make_report(conn, root, parse_period(period), make_scope(root, agency, subtree),
                       registry, progress)


def access_for(conn, root, period, agency=None, subtree=False):
    """Access statistics (``access.access_stats``) from the parameters as typed."""
    return access_stats(audit.get_log(conn.get_connection(audit.AUDIT_DB)),
                        make_scope(root, agency, subtree), parse_period(period))


def tables(tally, root):
    names = {code: a.name for code, a in root.agencies.items()}
    return {
        "per_month_agency": [
            {"month": month, "agency": code, "agency_name": names.get(code, code),
             "documents": n}
            for (month, code), n in sorted(tally.per_month_agency.items())],
        "failing_rules": [
            {"article": key.split(" ")[0], "code": key.split(" ")[1], "documents": n}
            for key, n in sorted(tally.failing.items(), key=lambda kv: (-kv[1], kv[0]))],
        "refusal_reasons": [
            {"reason": code, "label": REFUSAL_REASONS.get(code, code), "deliveries": n}
            for code, n in sorted(tally.refusal_reasons.items(),
                                  key=lambda kv: (-kv[1], kv[0]))],
        "deposit_refusal_causes": [
            {"cause": cause, "label": label, "deposits": tally.refusal_causes[cause]}
            for cause, label in CAUSE_LABELS.items() if tally.refusal_causes[cause]],
        "acceptance_hours": acceptance_buckets(tally.accept_hours),
    }


# Time from sending to acceptance, grouped: (upper bound in hours, label).
BUCKETS = [(1, "≤ 1 giờ"), (4, "1–4 giờ"), (8, "4–8 giờ"), (24, "8–24 giờ"),
           (48, "1–2 ngày"), (120, "2–5 ngày"), (None, "trên 5 ngày")]


def acceptance_buckets(hours):
    tops = [top for top, _label in BUCKETS[:-1]]
    counts = [0] * len(BUCKETS)
    for h in hours:
        counts[bisect_left(tops, h)] += 1
    return [{"up_to_hours": top, "label": label, "deliveries": n}
            for (top, label), n in zip(BUCKETS, counts)]
