"""Bodies produced after the view has returned.

pyramid_tm ends the request's transaction and pyramid_zodbconn closes its
connection before the server iterates the body, so a streamed listing reads
from a connection of its own.  That connection is opened, and the path
resolved in it, *in the view*: a path that does not resolve is an ordinary
404 before any header is sent, never a 207 cut short.  The connection is
closed when the body is done or the client goes away (WSGI servers call
``close()``, also on a body never iterated — hence a class, not a
generator).  Every ``FREE_EVERY`` chunks its whole cache is emptied
(``cacheMinimize``), so a year of 100 000 records never sits in memory.
``cacheGC`` after each chunk was not enough: it keeps up to the cache size
(5 000) of *loaded* objects, and each bucket of the year's trees holds
its ~30 summaries and record ghosts, which that size does not count — a
year's walk kept every bucket it had read (4 000 records: 4 392 objects
in the cache at the end, tests/dav/test_propfind.py).  Emptied every 8
chunks (~800 entries) it holds under half of that, and reloads a handful of
objects (root, year, the current buckets) each time.
"""
from contextlib import ExitStack

from pyramid.httpexceptions import HTTPNotFound

from ..db import opened
from ..resources import get_root
from .changes import get_log
from .records import resolve
from .summaries import get_counts, get_index, get_touched
from .tree import Site


def site_for(conn, request):
    return Site(get_root(conn), get_log(conn), request, get_index(conn), get_touched(conn),
                get_counts(conn))


FREE_EVERY = 8


class OwnConnectionBody:
    """The chunks of ``produce(node, tick)``, ``node`` being ``segments``
    resolved in a fresh connection; ``tick`` frees that connection's cache."""

    def __init__(self, db, request, segments, produce):
        # the connection lives as long as the body is iterated (db.opened,
        # held open until close())
        self.held = ExitStack()
        self.conn = self.held.enter_context(opened(db))
        self.conn.transaction_manager.begin()
        try:
            node = resolve(site_for(self.conn, request), segments)
        except KeyError:
            self.close()
            raise HTTPNotFound()
        self.ticks = 0
        self.chunks = produce(node, self.tick)

    def tick(self):
        """After each chunk: free what the walk has read so far."""
        self.ticks += 1
        if self.ticks % FREE_EVERY == 0:
            self.conn.cacheMinimize()
        else:
            self.conn.cacheGC()

    def __iter__(self):
        return iter(self.chunks)

    def close(self):
        if self.conn is None:
            return
        chunks, self.chunks = getattr(self, "chunks", None), None
        if chunks is not None and hasattr(chunks, "close"):
            chunks.close()
        self.held.close()               # aborts and closes the connection
        self.conn = None


def in_own_connection(request, segments, produce):
    from pyramid_zodbconn import get_connection
    return OwnConnectionBody(get_connection(request).db(), request, segments, produce)
