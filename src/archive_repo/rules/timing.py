"""Art. 6.1b and 6.4c — when the document went out.

6.1b: signed by the organisation and sent the same day, or no later than
12:00 of the next working day, Vietnam time.  "Sent" is the deposit
(``ctx.deposited_at``); "signed" is the organisation signature's time (the
latest one, if the clerk signed more than once — the one that went out).
When that time is only the signer's claim (no trusted timestamp) the check
says so in its details: it is the best evidence there is.
"""
from datetime import datetime, time, timedelta

from .. import timeutil
from .calendar import calendar_for
from .model import FLAG, STATUS, Check, article

NOON = time(12, 0)
# The signer's clock and ours differ a little; a deposit a few minutes
# "before" the signature is clock skew, not time travel.
CLOCK_SKEW = timedelta(minutes=5)
# 6.4c says "ngay" (at once) without a number; an hour is what we flag.
URGENT_WITHIN = timedelta(hours=1)


def deadline(signed_at, calendar):
    """The latest instant the document may be sent."""
    day = timeutil.to_vn(signed_at).date()
    return datetime.combine(calendar.next_working_day(day), NOON, tzinfo=timeutil.VN_TZ)


def _org_signature(ctx):
    orgs = [s for s in ctx.signatures_with_role("organisation") if s.signed_at is not None]
    return max(orgs, key=lambda s: s.signed_at) if orgs else None


@article("6.1b")
def sent_in_time(ctx):
    org = _org_signature(ctx)
    if org is None:
        return Check("sent_in_time", "6.1b", None,
                     "Không có chữ ký số của tổ chức nên không xác định được thời hạn gửi "
                     "(Điều 6, khoản 1, điểm b).", STATUS)
    calendar = calendar_for(ctx.policy)
    signed, sent = org.signed_at, ctx.deposited_at
    limit = deadline(signed, calendar)
    details = {"signed_at": timeutil.isoformat(signed), "sent_at": timeutil.isoformat(sent),
               "deadline": timeutil.isoformat(limit), "field": org.field,
               "signed_at_source": org.signed_at_source,
               "calendar_confirmed": calendar.confirmed(limit.year)}
    if sent + CLOCK_SKEW < signed:
        return Check("sent_in_time", "6.1b", False,
                     "Thời điểm ký số của tổ chức (%s) sau thời điểm gửi (%s) "
                     "(Điều 6, khoản 1, điểm b)." % (_show(signed), _show(sent)), STATUS, details)
    if sent > limit:
        return Check("sent_in_time", "6.1b", False,
                     "Văn bản ký số tổ chức lúc %s và gửi lúc %s, quá 12h00 ngày làm việc tiếp "
                     "theo (%s) (Điều 6, khoản 1, điểm b)."
                     % (_show(signed), _show(sent), timeutil.show_date(limit)), STATUS, details)
    return Check("sent_in_time", "6.1b", True,
                 "Văn bản ký số tổ chức lúc %s và gửi lúc %s, trong hạn (chậm nhất %s)."
                 % (_show(signed), _show(sent), _show(limit)), STATUS, details)


@article("6.4c")
def urgent_sent_immediately(ctx):
    """Art. 6.4c: an urgent document goes out right after signing.  A flag
    for people, not a validity rule: the regulation sets no measurable limit."""
    signed = [s.signed_at for s in ctx.signatures
              if s.role in ("organisation", "urgency") and s.signed_at]
    if not ctx.metadata.get("urgency") or not signed:
        return Check("urgent_sent_immediately", "6.4c", None,
                     "Không áp dụng (văn bản không khẩn hoặc không có chữ ký số của tổ chức).",
                     FLAG)
    delay = ctx.deposited_at - max(signed)
    hours = round(delay.total_seconds() / 3600, 2)
    on_time = delay <= URGENT_WITHIN
    return Check("urgent_sent_immediately", "6.4c", on_time,
                 "Văn bản khẩn gửi %.1f giờ sau khi ký số%s." % (
                     hours, "" if on_time else "; văn bản khẩn phải gửi ngay sau khi ký số "
                     "(Điều 6, khoản 4, điểm c)"), FLAG, {"delay_hours": hours})


def _show(moment):
    return timeutil.show_datetime(moment)


RULES = [sent_in_time, urgent_sent_immediately]
