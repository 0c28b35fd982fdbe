"""Announced maintenance (regulation Art. 12.5: users are told in advance).

``announce(registry, start, end, message)`` stores one notice in the
records database.  From then on every page shows it (``layout.jinja2``
reads ``request.maintenance_notice``), ``/health`` carries it, and every
API answer has a ``Warning: 199`` header naming the window (header values
are ASCII, so the Vietnamese message is in the page and ``/health``).
During the window, writes answer 503 ``maintenance`` with ``Retry-After``
and the message; reads continue.

The notice is read at most every ``REFRESH`` seconds per process (a tween
runs for every request; a maintenance window is announced hours ahead).
"""
import threading
import time
from datetime import datetime

from persistent.mapping import PersistentMapping
from zope.interface import Interface

from .. import db, timeutil
from ..errors import ArchiveError
from ..http.errors import error_response

NOTICE_KEY = "archive_repo.preservation.maintenance"
REFRESH = 2.0
READS = {"GET", "HEAD", "OPTIONS", "PROPFIND"}


class MaintenanceError(ArchiveError):
    status = 400


def parse_when(text):
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=timeutil.VN_TZ)
    except ValueError:
        raise MaintenanceError("invalid_time", "Thời điểm phải có dạng \"YYYY-MM-DD HH:MM\" "
                               "(giờ Việt Nam): %r" % text) from None


def announce(registry, start, end, message, who="system"):
    if end <= start:
        raise MaintenanceError("invalid_window", "Thời điểm kết thúc phải sau thời điểm bắt đầu.")
    notice = {"from": timeutil.isoformat(start), "to": timeutil.isoformat(end),
              "message": message, "by": who,
              "announced_at": timeutil.isoformat(timeutil.now())}
    with db.transaction(registry) as conn:
        conn.root()[NOTICE_KEY] = PersistentMapping(notice)
    cache_of(registry).forget()
    return notice


def clear(registry):
    with db.transaction(registry) as conn:
        conn.root().pop(NOTICE_KEY, None)
    cache_of(registry).forget()


def stored_notice(registry):
    with db.reading(registry) as conn:
        found = conn.root().get(NOTICE_KEY)
        return dict(found) if found is not None else None


class INoticeCache(Interface):
    """Marker for the process's NoticeCache."""


class NoticeCache:
    def __init__(self, registry):
        self.registry, self.lock = registry, threading.Lock()
        self.value, self.read_at = None, None

    def get(self):
        with self.lock:
            if self.read_at is None or time.monotonic() - self.read_at > REFRESH:
                self.value, self.read_at = stored_notice(self.registry), time.monotonic()
            return self.value

    def forget(self):
        with self.lock:
            self.read_at = None


def cache_of(registry):
    found = registry.queryUtility(INoticeCache)
    if found is None:
        found = NoticeCache(registry)
        registry.registerUtility(found, INoticeCache)
    return found


def notice_of(registry, now=None):
    """The notice that is not over yet, with ``active``, or None."""
    notice = cache_of(registry).get()
    if notice is None:
        return None
    now = now or timeutil.now()
    start, end = (datetime.fromisoformat(notice[k]) for k in ("from", "to"))
    if now >= end:
        return None
    return dict(notice, active=start <= now)


def retry_after(notice, now=None):
    end = datetime.fromisoformat(notice["to"])
    return max(1, int((end - (now or timeutil.now())).total_seconds()))


def warning_header(notice):
    return '199 archive_repo "maintenance %s/%s"' % (notice["from"], notice["to"])


def request_notice(request):
    """``request.maintenance_notice``: what the pages show."""
    return notice_of(request.registry)


def tween_factory(handler, registry):
    def maintenance_tween(request):
        notice = notice_of(registry)
        if notice is None:
            return handler(request)
        if notice["active"] and request.method not in READS:
            return error_response(
                request, 503, "maintenance",
                "Hệ thống đang bảo trì đến %s: %s" % (timeutil.vn_datetime(notice["to"]),
                                                      notice["message"]),
                [{"from": notice["from"], "to": notice["to"]}],
                headers={"Retry-After": str(retry_after(notice)),
                         "Warning": warning_header(notice)})
        response = handler(request)
        response.headers["Warning"] = warning_header(notice)
        return response
    return maintenance_tween


def health_check(registry):
    """``/health``'s ``maintenance`` check: the notice, announced or under
    way; ``degraded`` while writes are refused."""
    notice = notice_of(registry)
    return {"status": "degraded" if notice and notice["active"] else "ok", "notice": notice}
