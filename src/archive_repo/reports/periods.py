"""Report periods: a month, a quarter, a half-year, a year, or two dates.

    2026-11                  tháng 11/2026
    2026-Q4                  quý IV/2026
    2026-H2                  6 tháng cuối năm 2026
    2026                     năm 2026
    2026-10-15..2026-11-14   từ 15/10/2026 đến 14/11/2026

A period is *closed* once its last day is over (Vietnam time): its figures
are final, and a later change to them is a correction (see ``register``).
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .. import timeutil
from ..errors import BadRequest

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date           # inclusive
    label: str

    @property
    def years(self):
        return range(self.start.year, self.end.year + 1)

    def stamps(self):
        """``[first, last)`` as microsecond stamps (Vietnam days)."""
        lo = datetime.combine(self.start, time(), tzinfo=timeutil.VN_TZ)
        hi = datetime.combine(self.end + timedelta(days=1), time(), tzinfo=timeutil.VN_TZ)
        return timeutil.to_stamp(lo), timeutil.to_stamp(hi)

    def months(self):
        """"YYYY-MM" of every month the period touches, in order."""
        found, day = [], self.start.replace(day=1)
        while day <= self.end:
            found.append(day.strftime("%Y-%m"))
            day = (day + timedelta(days=32)).replace(day=1)
        return found

    def closed(self, today=None):
        return self.end < (today or timeutil.now().date())

    def as_json(self):
        return {"key": self.key, "from": self.start.isoformat(), "to": self.end.isoformat(),
                "label": self.label}


def _month_end(year, month):
    return (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _month(m):
    year, month = int(m[1]), int(m[2])
    return date(year, month, 1), _month_end(year, month), "tháng %02d/%d" % (month, year)


def _quarter(m):
    year, q = int(m[1]), int(m[2])
    return (date(year, 3 * q - 2, 1), _month_end(year, 3 * q),
            "quý %s/%d" % (ROMAN[q], year))


def _half(m):
    year, h = int(m[1]), int(m[2])
    return (date(year, 1 if h == 1 else 7, 1), _month_end(year, 6 if h == 1 else 12),
            "6 tháng %s năm %d" % ("đầu" if h == 1 else "cuối", year))


def _year(m):
    year = int(m[1])
    return date(year, 1, 1), date(year, 12, 31), "năm %d" % year


def _dates(m):
    start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
    return start, end, "từ %s đến %s" % (timeutil.show_date(start), timeutil.show_date(end))


FORMS = [
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), _month),
    (re.compile(r"^(\d{4})-Q([1-4])$"), _quarter),
    (re.compile(r"^(\d{4})-H([12])$"), _half),
    (re.compile(r"^(\d{4})$"), _year),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$"), _dates),
]


def parse_period(text):
    """The Period ``text`` names, or BadRequest ``invalid_period``."""
    text = (text or "").strip().upper()
    for pattern, make in FORMS:
        found = pattern.match(text)
        if found:
            try:
                start, end, label = make(found)
            except ValueError:
                break
            if end < start or (end - start).days > MAX_DAYS or start.year < 1900:
                break
            return Period(text, start, end, label)
    raise BadRequest("invalid_period",
                     "Kỳ báo cáo không hợp lệ: dùng YYYY-MM (tháng), YYYY-Q1…Q4 (quý), "
                     "YYYY-H1/H2 (6 tháng), YYYY (năm) hoặc YYYY-MM-DD..YYYY-MM-DD "
                     "(tối đa 3 năm).", [{"field": "period", "value": text}])
