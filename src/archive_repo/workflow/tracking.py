"""Tracking what was sent (Art. 9.4: the sender's clerk checks that every
document reached its receivers).

``overdue``: deliveries still waiting (``sent``) once more than ``days``
working days have begun since sending, counted with the rule engine's
:class:`~archive_repo.rules.calendar.WorkingCalendar` (weekends, public
holidays, the announced swaps) — the same calendar the timing rules use.
With ``days=1``, a document sent on Friday 13/02/2026 is overdue from
Tuesday 24/02/2026: Tết 2026 closes 16–20/02, so Monday 23/02 is the one
working day allowed and Tuesday the second.
"""
from .. import timeutil
from ..errors import BadRequest
from . import deliveries as dl

MAX_DAYS = 365


def clean_days(raw, default=1):
    try:
        days = int(raw) if raw not in (None, "") else default
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_DAYS:
        raise BadRequest("invalid_days", "Số ngày làm việc phải là số nguyên từ 0 đến %d."
                         % MAX_DAYS, [{"field": "days", "value": raw}])
    return days


def clean_date(raw):
    if not raw:
        return timeutil.now().date()
    try:
        return timeutil.parse_date(raw)
    except ValueError:
        raise BadRequest("invalid_date", "Ngày phải có dạng YYYY-MM-DD.",
                         [{"field": "as_of", "value": raw}])


def working_days_waiting(delivery, today, calendar):
    sent_on = timeutil.to_vn(delivery.sent_at).date()
    return calendar.working_days_between(sent_on, today)


def overdue(outbox, days, today, calendar):
    """``[(delivery, working days waited)]`` of the sender's deliveries not
    accepted (nor refused) after ``days`` working days, oldest first."""
    found = []
    for delivery in dl.listing(outbox, states={"sent"}):
        waited = working_days_waiting(delivery, today, calendar)
        if waited > days:
            found.append((delivery, waited))
    return found[::-1]


def refused(outbox):
    """The sender's refused deliveries, newest first."""
    return dl.listing(outbox, states={"refused"})


DASHBOARD_DAYS = 1          # the overdue page's default


def overdue_figure(request):
    """The dashboard's count of deliveries waiting, across every agency."""
    from ..rules import rule_policy
    from ..rules.calendar import calendar_for
    calendar, today = calendar_for(rule_policy(request.registry)), timeutil.now().date()
    count = sum(len(overdue(dl.index_of(agency, dl.OUTBOX), DASHBOARD_DAYS, today, calendar))
                for agency in request.root.agencies.values())
    return {"label": "Văn bản gửi đi chưa được tiếp nhận sau %d ngày làm việc"
            % DASHBOARD_DAYS, "value": str(count)}
