"""The rules failing most this month, for the archivist's dashboard — from
the facts ledger (each row lists its failing "article code" pairs), never
from the records' reports."""
from collections import Counter
from datetime import datetime

from pyramid_zodbconn import get_connection

from .. import timeutil
from .facts import FACTS_KEY, F

TOP = 5


def failing_most(ledger, since, top=TOP):
    """``[(("article", "code"), count)]`` over rows deposited from stamp
    ``since``, most failed first (of equals, by article)."""
    counts = Counter()
    if ledger is not None:
        for _, row in ledger.items():
            if row[F.deposited] >= since:
                counts.update(tuple(pair.split(" ", 1)) for pair in row[F.failing])
    return sorted(counts.items(), key=lambda found: (-found[1], found[0]))[:top]


def failing_figure(request):
    today = timeutil.now()
    since = timeutil.to_stamp(datetime(today.year, today.month, 1, tzinfo=timeutil.VN_TZ))
    # read only: a dashboard must not create the ledger
    found = failing_most(get_connection(request).root().get(FACTS_KEY), since)
    return {"label": "Quy định bị vi phạm nhiều nhất trong tháng",
            "value": "%d quy định" % len(found) if found else "Không có văn bản nào vi phạm",
            "details": ["Điều %s (%s): %d văn bản" % (article, code, n)
                      for (article, code), n in found]}
