"""Deliveries not accepted after N working days (Art. 9.4), counted with
the rule engine's working calendar (Tết 2026 included)."""
from datetime import datetime

from archive_repo import timeutil
from archive_repo.rules.calendar import WorkingCalendar
from tests.workflow.conftest import H38, STTTT, SYT, accept, clerk, error_code, get


def backdate(env, record, when):
    conn = env.conn()
    with conn.transaction_manager:
        for delivery in env.root(conn).agencies[H38][2026][record["number"]].deliveries:
            delivery.sent_at = when
    conn.close()


def test_overdue_counts_working_days_across_tet(env, sent):
    friday = datetime(2026, 2, 13, 9, 0, tzinfo=timeutil.VN_TZ)
    backdate(env, sent, friday)
    accept(env, sent, STTTT)
    calendar = WorkingCalendar()
    # the same calendar as the rule engine: nothing between 14 and 22 Feb works
    first = calendar.next_working_day(friday.date())
    second = calendar.next_working_day(first)
    third = calendar.next_working_day(second)
    assert first.month == 2 and first.day > 20
    on_second = get(env, "/%s/overdue?days=1&as_of=%s" % (H38, second.isoformat())).json
    assert [(r["receiver"], r["working_days_waiting"]) for r in on_second["results"]] == \
        [(SYT, 2)]
    on_first = get(env, "/%s/overdue?days=1&as_of=%s" % (H38, first.isoformat())).json
    assert on_first["results"] == []
    later = get(env, "/%s/overdue?days=2&as_of=%s" % (H38, third.isoformat())).json
    assert [r["receiver"] for r in later["results"]] == [SYT]


def test_overdue_html_shows_dates_dd_mm_yyyy(env, sent):
    res = env.testapp.get("/%s/overdue?days=0&as_of=2026-12-31" % H38,
                          headers=dict(env.auth(clerk(H38)), Accept="text/html"))
    assert "31/12/2026" in res.text and STTTT in res.text


def test_overdue_parameters_are_checked(env):
    error_code(get(env, "/%s/overdue?days=-1" % H38, status=400), 400, "invalid_days")
    error_code(get(env, "/%s/overdue?as_of=31/12/2026" % H38, status=400), 400,
               "invalid_date")


def test_outbox_is_the_senders_only(env, sent):
    out = get(env, "/%s/outbox" % H38).json
    assert sorted(r["receiver"] for r in out["results"]) == [STTTT, SYT]
    error_code(get(env, "/%s/outbox" % H38, clerk(STTTT), status=403), 403, "forbidden")
