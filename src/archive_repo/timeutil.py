"""Time in Vietnam.

Every instant the archive stores carries the +07:00 offset (the regulation's
signing times are ISO 8601 "múi giờ Việt Nam"); dates shown to people are
dd/mm/yyyy.  Vietnam has had no daylight saving since 1975, so a fixed offset
is exact and needs no tz database.
"""
from datetime import date, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")


def now():
    """The current instant in Vietnam time."""
    return datetime.now(VN_TZ)


def to_vn(moment):
    """``moment`` (aware, or naive meaning UTC) expressed in Vietnam time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(VN_TZ)


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


def to_stamp(moment):
    """``moment`` as microseconds since the epoch: how logs written on every
    change store instants (one pickle op; an aware datetime costs about ten,
    and a deposit wrote some 1 400 of them — bench/deposit.py)."""
    return None if moment is None else (to_vn(moment) - EPOCH) // _MICROSECOND


def from_stamp(value):
    """Back from :func:`to_stamp`, in Vietnam time (entries stored as
    datetimes before stamps are rewritten by an evolve step)."""
    if value is None:
        return None
    return (EPOCH + value * _MICROSECOND).astimezone(VN_TZ)


def isoformat(moment):
    """ISO 8601 with the +07:00 offset, seconds precision."""
    if moment is None:
        return None
    return to_vn(moment).isoformat(timespec="seconds")


def show_date(value):
    """dd/mm/yyyy, the way Vietnamese records show dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_vn(value)
    return value.strftime("%d/%m/%Y")


def show_datetime(value):
    if value is None:
        return ""
    return to_vn(value).strftime("%H:%M:%S %d/%m/%Y")


def parse_date(text):
    """A YYYY-MM-DD date, or ValueError."""
    return date.fromisoformat(text) if len(text) == 10 else _bad(text)


def _bad(text):
    raise ValueError(text)


def vn_date(text):
    """Template filter: an ISO date or datetime string shown dd/mm/yyyy."""
    if not text:
        return ""
    if isinstance(text, str):
        text = datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    return show_date(text)


def vn_datetime(text):
    """Template filter: an ISO datetime string shown HH:MM:SS dd/mm/yyyy."""
    if not text:
        return ""
    if isinstance(text, str):
        text = datetime.fromisoformat(text)
    return show_datetime(text)
