"""Vietnamese working days (Art. 6.1b "ngày làm việc tiếp theo").

Monday–Friday, minus public holidays from the ``holidays`` package (it knows
Tết and Giỗ Tổ by the lunar calendar, observed days and many announced
swaps), adjusted by an operator file (``config/working-days.json``): extra
days off, make-up working Saturdays, and package holidays not to count.
"""
import json
from datetime import date, timedelta

import holidays

DEFAULT_FILE = None


class WorkingCalendar:
    def __init__(self, extra_file=None):
        data = {}
        if extra_file:
            with open(extra_file, encoding="utf-8") as f:
                data = json.load(f)
        self.days_off = {date.fromisoformat(d): why for d, why in data.get("days_off", {}).items()}
        self.working = {date.fromisoformat(d): why
                        for d, why in data.get("working_days", {}).items()}
        self.ignored = set(data.get("ignore_package_holidays", []))
        self._years = {}

    def _holidays(self, year):
        if year not in self._years:
            found = holidays.country_holidays("VN", years=year)
            self._years[year] = {d: name for d, name in found.items()
                                 if name not in self.ignored}
        return self._years[year]

    def reason_off(self, day):
        """Why ``day`` is not a working day, or None if it is one."""
        if day in self.working:
            return None
        if day in self.days_off:
            return self.days_off[day]
        if day in self._holidays(day.year):
            return self._holidays(day.year)[day]
        if day.weekday() >= 5:
            return "Thứ Bảy" if day.weekday() == 5 else "Chủ nhật"
        return None

    def is_working_day(self, day):
        return self.reason_off(day) is None

    def next_working_day(self, day):
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, start, end):
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def calendar_for(policy):
    cached = policy.cache.get("calendar")
    if cached is None:
        cached = policy.cache["calendar"] = WorkingCalendar(policy.calendar_file)
    return cached
