"""Vietnamese working days: the `holidays` package, its swaps, and the
operator file (config/working-days.json)."""
import json
from datetime import date

import pytest

from archive_repo.rules.calendar import WorkingCalendar, calendar_for
from archive_repo.settings import DEFAULT_CALENDAR
from archive_repo.rules.model import RulePolicy


def _makeOne(extra=None, tmp_path=None):
    if extra is None:
        return WorkingCalendar(DEFAULT_CALENDAR)
    path = tmp_path / "working-days.json"
    path.write_text(json.dumps(extra), encoding="utf-8")
    return WorkingCalendar(str(path))


@pytest.mark.parametrize("day,working", [
    ("2026-02-13", True),                                          # last day before Tết
    ("2026-02-16", False), ("2026-02-17", False), ("2026-02-20", False),   # Tết Bính Ngọ
    ("2026-02-23", True),                                          # first day after Tết
    ("2026-04-26", False), ("2026-04-27", False),    # Giỗ Tổ on a Sunday, off on Monday
    ("2026-04-30", False), ("2026-05-01", False),
    ("2026-08-22", True), ("2026-08-31", False),     # swap: work Sat 22/8, off Mon 31/8
    ("2026-09-01", False), ("2026-09-02", False),
    ("2026-11-24", True),                            # Ngày Văn hóa: not counted (yet)
    ("2026-03-07", False), ("2026-03-09", True),
])
def test_2026_as_shipped(day, working):
    assert _makeOne().is_working_day(date.fromisoformat(day)) is working


@pytest.mark.parametrize("saturday", ["2019-01-05", "2019-05-04", "2024-05-04", "2025-04-26",
                                      "2026-08-22"])
def test_make_up_saturdays_of_package_swaps_count_without_any_file(saturday):
    calendar = WorkingCalendar()
    assert calendar.is_working_day(date.fromisoformat(saturday))
    assert not calendar.is_working_day(date(2026, 8, 29))      # an ordinary Saturday


def test_culture_day_is_left_out_whatever_the_locale(monkeypatch):
    # the package would name it in English under an English locale; the
    # calendar asks for Vietnamese names so the ignore list keeps matching
    monkeypatch.setenv("LANGUAGE", "en_US")
    assert _makeOne().is_working_day(date(2026, 11, 24))
    assert not WorkingCalendar().is_working_day(date(2026, 11, 24))   # the package alone


def test_operator_file_adds_days_off_and_make_up_days(tmp_path):
    calendar = _makeOne({"days_off": {"2026-03-09": "Nghỉ bù"},
                         "working_days": {"2026-03-14": "Làm bù"}}, tmp_path)
    assert calendar.reason_off(date(2026, 3, 9)) == "Nghỉ bù"
    assert calendar.is_working_day(date(2026, 3, 14))
    assert calendar.next_working_day(date(2026, 3, 6)) == date(2026, 3, 10)
    assert calendar.next_working_day(date(2026, 3, 13)) == date(2026, 3, 14)


def test_operator_file_can_drop_one_package_day(tmp_path):
    calendar = _makeOne({"ignore_package_holidays": ["2026-04-27"]}, tmp_path)
    assert calendar.is_working_day(date(2026, 4, 27))
    assert not calendar.is_working_day(date(2026, 4, 30))


def test_bad_date_in_operator_file_names_the_file(tmp_path):
    with pytest.raises(ValueError, match="working-days.json"):
        _makeOne({"days_off": {"2026-02-30": "?"}}, tmp_path)


def test_counting_across_tet():
    calendar = _makeOne()
    assert calendar.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert calendar.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert calendar.working_days_between(date(2026, 2, 23), date(2026, 2, 13)) == -1
    assert calendar.working_days_between(date(2026, 3, 2), date(2026, 3, 9)) == 5


def test_reasons_are_vietnamese():
    calendar = _makeOne()
    assert calendar.reason_off(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert calendar.reason_off(date(2026, 3, 8)) == "Chủ nhật"
    assert calendar.reason_off(date(2026, 3, 9)) is None


def test_confirmed_years_come_from_the_file():
    calendar = _makeOne()
    assert calendar.confirmed(2026) and not calendar.confirmed(2027)


def test_one_calendar_per_policy():
    policy = RulePolicy(calendar_file=DEFAULT_CALENDAR)
    assert calendar_for(policy) is calendar_for(policy)
    assert calendar_for(RulePolicy()) is not calendar_for(policy)
