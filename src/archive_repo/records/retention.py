"""The retention schedule (bảng thời hạn bảo quản) as data.

A row: ``code`` (the schedule item a dossier cites), ``title``, ``period``
(``permanent`` or a number of years) and ``basis`` (the row of Circular
10/2022/TT-BNV App. I or of a sector table it comes from).  The archive
ships ``data/retention-schedule.csv`` (a start, each basis to be checked
against the gazette); an operator adds or overrides rows, by code, with
the CSV named by ``archive_repo.retention_schedule``.

Circular 05/2025/TT-BNV exports a period as a *retention code*:
01 permanent, 02 70 years, 03 50, 04 30, 05 20, 06 10, 07 other (the years
then travel beside the code).  Periods count from the year the matter ended
(Circular 10/2022 Art. 3): a dossier closed in 2026 with 10 years may be
appraised for disposal from 1 January 2037.
"""
import csv
import os
from dataclasses import dataclass
from datetime import date

from zope.interface import Interface

from ..errors import BadRequest
from ..settings import DATA, SettingError, get_settings

DEFAULT_SCHEDULE = os.path.join(DATA, "retention-schedule.csv")
PERMANENT = None

# Circular 05/2025: code → (label, years; None = permanent or "other")
RETENTION_CODES = {
    "01": ("Vĩnh viễn", PERMANENT),
    "02": ("70 năm", 70),
    "03": ("50 năm", 50),
    "04": ("30 năm", 30),
    "05": ("20 năm", 20),
    "06": ("10 năm", 10),
    "07": ("Khác", None),
}
CODE_OF_YEARS = {years: code for code, (_, years) in RETENTION_CODES.items() if years}
# Dossiers kept less than this need not be deposited (Decree 30/2020 Art. 31)
DEPOSIT_FROM_YEARS = 5


class IRetentionSchedule(Interface):
    """Marker for the loaded schedule utility."""


@dataclass(frozen=True)
class Retention:
    """A dossier's period: ``code`` (Circular 05/2025) and ``years``
    (None = permanent)."""
    code: str
    years: int = None

    @property
    def permanent(self):
        return self.code == "01"

    @property
    def label(self):
        return "Vĩnh viễn" if self.permanent else "%d năm" % self.years

    def disposable_from(self, end_year):
        """The first day a dossier whose matter ended in ``end_year`` may be
        appraised for disposal; None for a permanent one."""
        return None if self.permanent else date(end_year + self.years + 1, 1, 1)

    @property
    def must_deposit(self):
        return self.permanent or self.years >= DEPOSIT_FROM_YEARS

    def as_json(self):
        return {"code": self.code, "years": self.years, "label": self.label,
                "permanent": self.permanent}


def retention_of(code, years=None):
    """The Retention of a Circular 05/2025 code (``years`` only with 07);
    BadRequest with a Vietnamese message otherwise."""
    if code not in RETENTION_CODES:
        raise BadRequest("invalid_retention_code",
                         "Mã thời hạn bảo quản phải là một trong %s (Thông tư 05/2025/TT-BNV)."
                         % ", ".join(RETENTION_CODES), [{"field": "retention_code",
                                                         "value": code}])
    fixed = RETENTION_CODES[code][1]
    if code == "07":
        if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 100:
            raise BadRequest("retention_years_required",
                             "Mã thời hạn 07 (khác) phải kèm số năm bảo quản (1–100).",
                             [{"field": "retention_years"}])
        return Retention(code, years)
    return Retention(code, fixed)


def retention_for_years(years):
    """The Retention of a schedule period (None = permanent)."""
    if years is PERMANENT:
        return Retention("01")
    return Retention(CODE_OF_YEARS.get(years, "07"), years)


@dataclass(frozen=True)
class ScheduleItem:
    code: str
    title: str
    years: int          # None = permanent
    basis: str

    @property
    def retention(self):
        return retention_for_years(self.years)

    def as_json(self):
        return {"code": self.code, "title": self.title, "basis": self.basis,
                "retention": self.retention.as_json()}


def parse_period(text):
    text = (text or "").strip().lower()
    if text in ("permanent", "vĩnh viễn", "vinh vien"):
        return PERMANENT
    years = int(text)
    if not 1 <= years <= 100:
        raise ValueError(text)
    return years


def read_csv(path):
    """Rows of a schedule CSV; ValueError naming the line that is wrong."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        items = []
        for line, row in enumerate(csv.DictReader(f), start=2):
            try:
                items.append(ScheduleItem(row["code"].strip(), row["title"].strip(),
                                          parse_period(row["period"]), row.get("basis") or ""))
            except (KeyError, AttributeError, ValueError):
                raise ValueError("%s, dòng %d: cần các cột code, title, period "
                                 "(permanent hoặc số năm), basis" % (path, line)) from None
    return items


class Schedule:
    """The shipped rows, then the operator's (a code given again overrides)."""

    def __init__(self, *paths):
        self.items = {}
        for path in paths:
            for item in read_csv(path):
                self.items[item.code] = item

    def __getitem__(self, code):
        return self.items[code]

    def get(self, code):
        return self.items.get(code)

    def __iter__(self):
        return iter(sorted(self.items.values(), key=lambda i: i.code))


def schedule_of(registry):
    return registry.getUtility(IRetentionSchedule)


def load(registry):
    extra = get_settings(registry).retention_schedule
    paths = [DEFAULT_SCHEDULE] + ([extra] if extra else [])
    try:
        schedule = Schedule(*paths)
    except ValueError as exc:
        raise SettingError("retention_schedule", extra, str(exc)) from None
    registry.registerUtility(schedule, IRetentionSchedule)
