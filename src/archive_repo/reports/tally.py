"""One pass over what the archive recorded for a period and a scope: the
facts ledger (documents, deliveries, recalls, the incoming register) and
the audit trail (refused deposits).  The indicators are functions of the
:class:`Tally` it fills.

What counts in a period (``[start, end]``, Vietnam days), so that a closed
period's figures never move unless the archive's past does:

* a document by its date of issue (``issued_on``);
* a delivery by the moment of each event: sent, accepted, refused, recall
  acknowledged — each in the period it happened;
* "still waiting": sent by the period's end, neither accepted, refused nor
  recalled by then, after more than N working days (as of the last day);
* a refused deposit by the moment of the refusal (its audit entry).

State secrets are never stored (Art. 1.2), so no fact row is one; their
refused deposits appear only in ``deposit_refusals_state_secret``.
"""
import json
from collections import Counter
from datetime import date, timedelta

from .. import timeutil
from .facts import D, F

HOUR = 3_600_000_000         # microseconds

# A refused deposit's cause, from the rule that refused it (audit ``checks``).
REFUSAL_CAUSES = {
    "not_state_secret": "state_secret",
    "pdf_readable": "unreadable", "signatures_readable": "unreadable",
    "signatures_intact": "tampered", "no_modification_after_signing": "tampered",
}
CAUSE_LABELS = {
    "state_secret": "Văn bản mật (Điều 1, khoản 2)",
    "unreadable": "Tệp không đọc được",
    "tampered": "Văn bản bị thay đổi sau khi ký số",
    "other": "Lý do khác",
}


class Tally:
    """Counters and the few lists the indicators need."""

    def __init__(self):
        self.n = Counter()
        self.per_month_agency = Counter()      # ("YYYY-MM", agency) → documents
        self.failing = Counter()               # "article code" → documents
        self.refusal_reasons = Counter()       # reason code → deliveries refused
        self.refusal_causes = Counter()        # cause → deposits refused
        self.accept_hours = []                 # delivery → acceptance, hours

    def __getitem__(self, name):
        return self.n[name]


def documents(tally, row, first, last):
    issued = row[F.issued_on]
    if not first <= issued <= last:
        return
    n = tally.n
    n["out_total"] += 1
    n["out_digitized" if row[F.digitized] else "out_born_digital"] += 1
    n["out_personal_signature"] += row[F.personal]
    n["out_organisation_signature"] += row[F.organisation]
    if row[F.equivalent]:
        n["out_equivalent_to_paper"] += 1
    else:
        n["out_reference_only"] += 1
        tally.failing.update(row[F.failing])
    in_time = row[F.in_time]
    if in_time is not None:
        n["out_timed"] += 1
        n["out_sent_in_time" if in_time else "out_sent_late"] += 1
    if row[F.urgent]:
        n["out_urgent"] += 1
        n["out_urgent_at_once"] += row[F.at_once] is True
    tally.per_month_agency[(issued[:7], row[F.agency])] += 1


class Waiting:
    """Working days from a sending day to the period's last day.  The
    calendar is asked once per day of the period and the year before it (a
    running count of working days), not once per delivery: asked per
    sending day, it was most of a year's report (bench/reports.py)."""

    def __init__(self, calendar, first_day, last_day, days):
        self.calendar, self.last_day, self.days = calendar, last_day, days
        self.first_day = first_day
        self.count, running, day = {}, 0, first_day
        while day <= last_day:
            self.count[day] = running         # working days after ``day`` … so far
            day += timedelta(days=1)
            running += calendar.is_working_day(day) if day <= last_day else 0
        self.total = running

    def waited(self, day):
        if day < self.first_day:
            return self.calendar.working_days_between(day, self.last_day)
        return self.total - self.count[day]

    def overdue(self, sent):
        return self.waited(timeutil.to_vn(timeutil.from_stamp(sent)).date()) > self.days


def deliveries(tally, row, lo, hi, waiting, receivers=None):
    """The row's deliveries and recall; with ``receivers`` (the scope, when
    it holds every sender too) its accepted deliveries count as incoming."""
    n = tally.n
    recalled = row[F.recalled]
    if recalled is not None and lo <= recalled < hi:
        n["recalls"] += 1
    for d in row[F.deliveries]:
        sent, accepted, refused = d[D.sent], d[D.accepted], d[D.refused]
        if lo <= sent < hi:
            n["deliveries_sent"] += 1
        if accepted is not None and lo <= accepted < hi:
            n["deliveries_accepted"] += 1
            tally.accept_hours.append((accepted - sent) / HOUR)
            if receivers is not None and d[D.receiver] in receivers:
                n["incoming_registered"] += 1
        if refused is not None and lo <= refused < hi:
            n["deliveries_refused"] += 1
            tally.refusal_reasons[d[D.reason] or "other"] += 1
        if d[D.recalled] is not None and lo <= d[D.recalled] < hi:
            n["recall_acknowledgements"] += 1
        if sent < hi and _open(accepted, hi) and _open(refused, hi) \
                and _open(d[D.recall_requested], hi) and waiting.overdue(sent):
            n["deliveries_waiting"] += 1


def _open(moment, hi):
    """Not yet happened by ``hi`` (a delivery's accept, refusal, recall)."""
    return moment is None or moment >= hi


def incoming(tally, ledger, scope, period, lo, hi):
    """What the scope's agencies accepted in the period, from the ledger's
    ``received`` index (deliveries from senders outside the scope too)."""
    for code in scope.codes:
        for year in period.years:
            for _sender, _year, _number, accepted in ledger.received_by(code, year):
                tally.n["incoming_registered"] += lo <= accepted < hi


def refused_deposits(tally, audit_log, scope, lo, hi):
    """Refused deposits (``write`` entries refused with ``rejected``) of the
    scope's agencies, from the audit trail."""
    for packed in deposit_rows(audit_log, scope.codes, lo, hi):
        if packed[4] != "write" or packed[6] != "refused":
            continue
        detail = json.loads(packed[7])
        if detail.get("code") != "rejected":
            continue
        causes = {REFUSAL_CAUSES.get(c, "other") for c in detail.get("checks", ())}
        cause = next((c for c in CAUSE_LABELS if c in causes), "other")
        tally.refusal_causes[cause] += 1
        tally.n["deposit_refusals"] += 1
        tally.n["deposit_refusals_" + cause] += 1


TARGET = 6          # index of ``target`` in a tail row (key first)
LAST = "\uffff"


def deposit_rows(audit_log, codes, lo, hi):
    """Audit entries in ``[lo, hi)`` whose target is an agency's year
    (``/CODE/YYYY/``: where a deposit is posted), without touching the
    entries about records (every read, every accept: nearly all of them).

    ``by_target`` is keyed ``(target, key)``, so targets sort by path: per
    agency, jump from one ``/CODE/SEGMENT/`` group to the next (one
    ``minKey`` each) and range-read only the year targets' entries of the
    period.  Reading the time-ordered keys instead and filtering the
    targets was a sixth of a year's report (bench/reports.py)."""
    by_target, low, high = audit_log.by_target, lo << 8, (hi << 8) - 1
    for code in codes:
        prefix = "/%s/" % code
        start = prefix
        while True:
            try:
                target = by_target.minKey((start, 0))[0]
            except ValueError:
                break
            if not target.startswith(prefix):
                break
            group = prefix + target[len(prefix):].split("/")[0] + "/"
            if group[len(prefix):-1].isdigit():
                yield from by_target.values(min=(group, low), max=(group, high))
            start = group + LAST
    wanted = {"/%s/" % code for code in codes}
    for row in audit_log.tail_rows():
        target = row[TARGET] or ""
        if low <= row[0] <= high and target.count("/") == 3 and \
                target[:target.index("/", 1) + 1] in wanted and target.endswith("/"):
            yield row[1:]


def audit_rows(audit_log, lo, hi):
    """Packed audit entries (``audit.FIELDS`` order) whose key falls in
    ``[lo, hi)`` (microsecond stamps), oldest first."""
    for key, target in audit_log.chronology.items(min=lo << 8, max=(hi << 8) - 1):
        yield audit_log.by_target[(target, key)]
    for row in audit_log.tail_rows():
        if lo << 8 <= row[0] < hi << 8:
            yield row[1:]


def make_tally(ledger, audit_log, scope, period, calendar, waiting_days, progress=None,
               everyone=False):
    """``everyone``: the scope holds every agency of the archive, so every
    sender is in it and the incoming register is counted in the same pass."""
    tally = Tally()
    first, last = period.start.isoformat(), period.end.isoformat()
    lo, hi = period.stamps()
    waiting = Waiting(calendar, date(period.start.year - 1, 1, 1), period.end, waiting_days)
    receivers = frozenset(scope.codes) if everyone else None
    # a document issued late in the year before may be delivered in this one
    years = range(period.start.year - 1, period.end.year + 1)
    for code in scope.codes:
        for year in years:
            for row in ledger.of_agency(code, year):
                documents(tally, row, first, last)
                deliveries(tally, row, lo, hi, waiting, receivers)
                if progress is not None:
                    progress(1)
    tally.n["deliveries_decided"] = tally["deliveries_accepted"] + tally["deliveries_refused"]
    if not everyone:
        incoming(tally, ledger, scope, period, lo, hi)
    if audit_log is not None:
        refused_deposits(tally, audit_log, scope, lo, hi)
    return tally


__all__ = ["Tally", "make_tally", "audit_rows", "CAUSE_LABELS"]
