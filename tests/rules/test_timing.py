"""Art. 6.1b: signed by the organisation and sent the same day or by 12:00
of the next working day — with Vietnam's holidays and announced swaps."""
from datetime import date, datetime

import pytest

from archive_repo.rules.calendar import WorkingCalendar
from archive_repo.rules.engine import DEFAULT_CALENDAR
from tests.rules.conftest import by_code
from tests.support.signing import VN, signed_document


@pytest.fixture(scope="module")
def calendar():
    return WorkingCalendar(DEFAULT_CALENDAR)


@pytest.mark.parametrize("day,working", [
    ("2026-02-16", False), ("2026-02-17", False), ("2026-02-20", False),   # Tết Bính Ngọ
    ("2026-02-23", True),
    ("2026-04-26", False), ("2026-04-27", False),       # Giỗ Tổ (Sunday) and its observed day
    ("2026-04-30", False), ("2026-05-01", False), ("2026-09-02", False),
    ("2026-08-31", False), ("2026-08-22", True),         # 2026 swap: off Mon 31/8, work Sat 22/8
    ("2026-11-24", True),                                # not counted until confirmed
    ("2026-03-07", False), ("2026-03-09", True),
])
def test_working_days(calendar, day, working):
    assert calendar.is_working_day(date.fromisoformat(day)) is working


def test_operator_file_adds_days_off(tmp_path):
    path = tmp_path / "days.json"
    path.write_text('{"days_off": {"2026-03-09": "Nghỉ bù"}, "working_days": {}}')
    calendar = WorkingCalendar(str(path))
    assert not calendar.is_working_day(date(2026, 3, 9))
    assert calendar.next_working_day(date(2026, 3, 6)) == date(2026, 3, 10)
    assert calendar.working_days_between(date(2026, 3, 6), date(2026, 3, 13)) == 4


CASES = [
    # Friday 24/4/2026 16:00 before Giỗ Tổ (Sun 26, observed Mon 27): next working day Tue 28
    ("friday-before-holiday-11:59", datetime(2026, 4, 24, 16, 0), datetime(2026, 4, 28, 11, 59), True),
    ("friday-before-holiday-12:01", datetime(2026, 4, 24, 16, 0), datetime(2026, 4, 28, 12, 1), False),
    ("monday-is-a-holiday", datetime(2026, 4, 24, 16, 0), datetime(2026, 4, 27, 9, 0), True),
    # Tết: signed the last working day before (Fri 13/2), sent the first after (Mon 23/2)
    ("tet-first-working-day", datetime(2026, 2, 13, 16, 0), datetime(2026, 2, 23, 10, 0), True),
    ("tet-afternoon-too-late", datetime(2026, 2, 13, 16, 0), datetime(2026, 2, 23, 14, 0), False),
    # the make-up Saturday 22/8/2026 is the next working day after Friday 21/8
    ("make-up-saturday", datetime(2026, 8, 21, 16, 0), datetime(2026, 8, 22, 11, 0), True),
    ("after-make-up-saturday", datetime(2026, 8, 21, 16, 0), datetime(2026, 8, 24, 9, 0), False),
    ("same-day-evening", datetime(2026, 3, 5, 8, 0), datetime(2026, 3, 5, 23, 30), True),
    ("sent-before-signed", datetime(2026, 3, 5, 15, 0), datetime(2026, 3, 5, 9, 0), False),
]


@pytest.mark.parametrize("label,signed,sent,ok", CASES, ids=[c[0] for c in CASES])
def test_sent_in_time(check, pki, label, signed, sent, ok):
    pdf = signed_document(pki, org_time=signed.replace(tzinfo=VN))
    report = check(pdf, deposited_at=sent.replace(tzinfo=VN))
    result = by_code(report)["sent_in_time"]
    assert result["passed"] is ok, result["message"]
    assert result["article"] == "6.1b"
    if not ok:
        assert report["legal_status"] == "reference_only"


def test_no_organisation_signature_means_time_not_judged(check, pki):
    report = check(signed_document(pki, with_organisation=False))
    assert by_code(report)["sent_in_time"]["passed"] is None
