"""The index's part of ``/health``: the lag of the full-text index behind
the database (outbox depth, age of the oldest pending batch, this node's
change-feed entries not yet followed), records that
could not be indexed, and whether the index is being rebuilt."""
import time

from .. import db
from ..resources import get_root
from .follow import behind
from .outbox import get_outbox

LAG_DEGRADED = 600      # seconds: a batch pending longer means the worker is stuck


def check_health(registry):
    from . import fulltext_of
    fulltext = fulltext_of(registry)
    with db.reading(registry) as conn:
        root = get_root(conn)
        outbox = get_outbox(root)
        oldest = outbox.oldest(1)
        depth, failed = len(outbox), len(outbox.failed)
        # this node's own lag behind the change feed (other nodes' changes);
        # its cursor lives in the index folder, unknown while that is lost
        feed_behind = behind(root, fulltext) if fulltext.available() else None
    age = round(time.time() - int(oldest[0][0].split("-")[0]) / 1e9, 1) if oldest else 0
    rebuilding = fulltext.rebuilding or not fulltext.available()
    status = "degraded" if rebuilding or age > LAG_DEGRADED else "ok"
    return {"status": status, "outbox_depth": depth, "oldest_pending_seconds": age,
            "failed": failed, "feed_behind": feed_behind, "rebuilding": rebuilding}


def lag_figure(request):
    """The dashboard's index lag: what the full-text index has yet to apply."""
    found = check_health(request.registry)
    parts = ["%d lô thay đổi đang chờ" % found["outbox_depth"]]
    if found["outbox_depth"]:
        parts.append("lô cũ nhất chờ %d giây" % found["oldest_pending_seconds"])
    if found["feed_behind"]:
        parts.append("%d thay đổi từ máy chủ khác chưa theo kịp" % found["feed_behind"])
    if found["failed"]:
        parts.append("%d văn bản không lập chỉ mục được" % found["failed"])
    if found["rebuilding"]:
        parts.append("đang lập lại chỉ mục")
    return {"label": "Độ trễ của chỉ mục tìm kiếm", "value": "; ".join(parts)}
