"""The dossier indicators (records management, issue 15): dossiers closed,
deposited into the agency archive, and overdue for deposit, in a period and
a scope.  Read from the tree: an agency has hundreds of dossiers a year, not
the hundred thousand records the facts ledger exists for.

Each moment comes from the dossier's own life-cycle steps (``steps``:
action, state, when, by, note), so a closed period keeps its figures:
closed — a ``close`` step in the period; deposited — an ``accept`` step in
the period; overdue — its deposit deadline (``records.deposit.due_date``)
passed before the period's last day and it had not been handed over
(``submit``) by then.
"""
from datetime import datetime

from .. import timeutil
from ..records.deposit import due_date
from ..records.dossiers import dossiers_of


def _stamp(at):
    return timeutil.to_stamp(at) if isinstance(at, datetime) else at


def count_dossiers(tally, root, scope, period):
    lo, hi = period.stamps()
    n = tally.n
    for code in scope.codes:
        agency = root.agencies.get(code)
        if agency is None:
            continue
        for dossier in dossiers_of(agency).values():
            steps = [(action, _stamp(at)) for action, _state, at, *_rest in dossier.steps]
            n["dossiers_closed"] += any(a == "close" and lo <= at < hi for a, at in steps)
            n["dossiers_deposited"] += any(a == "accept" and lo <= at < hi for a, at in steps)
            due = due_date(dossier)
            handed = any(a == "submit" and at < hi for a, at in steps)
            n["dossiers_overdue"] += due is not None and due < period.end and not handed
