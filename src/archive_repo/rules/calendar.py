"""Vietnamese working days (Art. 6.1b "ngày làm việc tiếp theo").

A working day is Monday–Friday, minus the public holidays of the
``holidays`` package for Vietnam (Tết and Giỗ Tổ by the lunar calendar, 30/4,
1/5, 2/9 and its adjacent day, the days off in lieu when a holiday falls on
a weekend, and the civil-service swaps it knows), adjusted by the operator
file ``archive_repo/data/working-days.json`` (setting ``archive_repo.calendar``):

``days_off``
    extra days off, ``{"YYYY-MM-DD": "why"}``;
``working_days``
    make-up working days (usually Saturdays), same shape;
``ignore_package_holidays``
    package holidays not counted: a Vietnamese holiday name (every year) or
    an ISO date (that day only).  Ships with "Ngày Văn hóa Việt Nam" (24/11,
    in the package from 2026) until the Labour Code's Art. 112 is amended;
``years_confirmed``
    the years whose days were checked against the government's announcement;
    a deadline in another year says so in its check.

The package names each swap's day off "Ngày nghỉ (thay cho ngày dd/mm/yyyy)";
that *thay cho* day is a make-up working day, so the swaps the package knows
need no entry in the file.  Names are asked for in Vietnamese explicitly:
left to itself the package picks the language from the process's locale, and
a name in the ignore list would then silently stop matching.
"""
import json
import re
from datetime import date, timedelta

import holidays

LANGUAGE = "vi"
SWAP_FROM = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")
WEEKEND = {5: "Thứ Bảy", 6: "Chủ nhật"}


class WorkingCalendar:
    def __init__(self, extra_file=None):
        data = _load(extra_file) if extra_file else {}
        self.days_off = _dates(data.get("days_off", {}), extra_file)
        self.working = _dates(data.get("working_days", {}), extra_file)
        self.ignored = set(data.get("ignore_package_holidays", []))
        self.years_confirmed = {int(y) for y in data.get("years_confirmed", [])}
        self._package = {}       # year -> {date: name}, after the ignore list
        self._swapped_in = {}    # make-up working days named by package swaps

    def _year(self, year):
        if year not in self._package:
            found = holidays.country_holidays("VN", years=year, language=LANGUAGE)
            self._package[year] = {d: name for d, name in found.items()
                                   if name not in self.ignored
                                   and d.isoformat() not in self.ignored}
            for name in self._package[year].values():
                for dd, mm, yyyy in SWAP_FROM.findall(name):
                    self._swapped_in[date(int(yyyy), int(mm), int(dd))] = name
        return self._package[year]

    def _package_holiday(self, day):
        # a swap's make-up day may sit in the year before its day off
        # (5/1/2019 made up for 31/12/2018), so look at both neighbours too
        for year in (day.year - 1, day.year, day.year + 1):
            self._year(year)
        return self._package[day.year].get(day)

    def reason_off(self, day):
        """Why ``day`` is not a working day (Vietnamese), or None if it is one."""
        if day in self.working:
            return None
        if day in self.days_off:
            return self.days_off[day]
        holiday = self._package_holiday(day)
        if holiday:
            return holiday
        if day in self._swapped_in:
            return None
        return WEEKEND.get(day.weekday())

    def is_working_day(self, day):
        return self.reason_off(day) is None

    def next_working_day(self, day):
        """The first working day after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, start, end):
        """Working days after ``start`` up to and including ``end`` (negative
        when ``end`` is before ``start``)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(self.is_working_day(start + timedelta(days=n))
                   for n in range(1, (end - start).days + 1))

    def confirmed(self, year):
        return year in self.years_confirmed


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _dates(table, source):
    try:
        return {date.fromisoformat(d): why for d, why in table.items()}
    except ValueError as exc:
        raise ValueError("%s: ngày không hợp lệ (%s)" % (source, exc)) from None


def calendar_for(policy):
    """The policy's calendar, loaded once per policy."""
    cached = policy.cache.get("calendar")
    if cached is None:
        cached = policy.cache["calendar"] = WorkingCalendar(policy.calendar_file)
    return cached
