"""Bodies produced after the view has returned.

pyramid_tm ends the request's transaction and pyramid_zodbconn closes its
connection before the server iterates the body, so a streamed listing reads
from a connection of its own: opened when the server asks for the first
chunk, re-resolving the path there, closed when the body is done (or the
client goes away — WSGI servers call ``close()``).  Its cache is trimmed
after every chunk, so a year of 100 000 records never sits in memory.
"""
import transaction

from ..resources import get_root
from .changes import get_log
from .tree import Site, resolve


def site_for(conn, request):
    return Site(get_root(conn), get_log(conn), request)


def in_own_connection(request, segments, produce):
    """Yield ``produce(node, tick)``'s chunks, ``node`` being ``segments``
    resolved in a fresh connection; ``tick`` frees that connection's cache."""
    from pyramid_zodbconn import get_connection
    db = get_connection(request).db()

    def body():
        tm = transaction.TransactionManager()
        conn = db.open(transaction_manager=tm)
        try:
            tm.begin()
            node = resolve(site_for(conn, request), segments)
            yield from produce(node, conn.cacheGC)
        finally:
            tm.abort()
            conn.close()
    return body()
