"""Art. 6.1b — organisation-signed and sent the same day, or no later than
12:00 of the next working day (Vietnam time).  "Sent" is the deposit."""
from datetime import datetime, time, timedelta

from .. import timeutil
from .calendar import calendar_for
from .model import FLAG, STATUS, Check

NOON = time(12, 0)
CLOCK_SKEW = timedelta(minutes=5)


def deadline(signed_at, calendar):
    """The latest instant the document may be sent."""
    day = timeutil.to_vn(signed_at).date()
    next_day = calendar.next_working_day(day)
    return datetime.combine(next_day, NOON, tzinfo=timeutil.VN_TZ)


def sent_in_time(ctx):
    orgs = [s for s in ctx.signatures_with_role("organisation") if s.signed_at is not None]
    if not orgs:
        return Check("sent_in_time", "6.1b", None,
                     "Không có chữ ký số của tổ chức để xác định thời điểm ký.", STATUS)
    signed = max(s.signed_at for s in orgs)
    sent = ctx.deposited_at
    limit = deadline(signed, calendar_for(ctx.policy))
    details = {"signed_at": timeutil.isoformat(signed), "sent_at": timeutil.isoformat(sent),
               "deadline": timeutil.isoformat(limit)}
    if sent + CLOCK_SKEW < signed:
        return Check("sent_in_time", "6.1b", False,
                     "Thời điểm ký số của tổ chức (%s) sau thời điểm gửi (%s)."
                     % (timeutil.show_datetime(signed), timeutil.show_datetime(sent)),
                     STATUS, details)
    if sent > limit:
        return Check("sent_in_time", "6.1b", False,
                     "Văn bản ký số tổ chức lúc %s nhưng gửi lúc %s, quá hạn 12h00 ngày làm việc "
                     "tiếp theo (%s) (Điều 6, khoản 1, điểm b)."
                     % (timeutil.show_datetime(signed), timeutil.show_datetime(sent),
                        timeutil.show_date(limit)), STATUS, details)
    return Check("sent_in_time", "6.1b", True,
                 "Văn bản được ký số tổ chức và gửi đúng hạn (hạn cuối %s)."
                 % timeutil.show_datetime(limit), STATUS, details)


def urgent_sent_immediately(ctx):
    """Art. 6.4c: urgent documents go out right after signing — a flag, not a
    validity rule (the regulation sets no measurable limit)."""
    orgs = [s for s in ctx.signatures if s.role in ("organisation", "urgency") and s.signed_at]
    if not ctx.metadata.get("urgency") or not orgs:
        return Check("urgent_sent_immediately", "6.4c", None,
                     "Không áp dụng (văn bản không khẩn hoặc không có chữ ký tổ chức).", FLAG)
    delay = ctx.deposited_at - max(s.signed_at for s in orgs)
    hours = delay.total_seconds() / 3600
    return Check("urgent_sent_immediately", "6.4c", hours <= 1,
                 "Văn bản khẩn gửi sau khi ký %.1f giờ%s." % (
                     hours, "" if hours <= 1 else " — văn bản khẩn phải gửi ngay sau khi ký số"),
                 FLAG, {"delay_hours": round(hours, 2)})


RULES = [sent_in_time, urgent_sent_immediately]
