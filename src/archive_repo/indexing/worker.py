"""Applies the outbox to the full-text index, after commit, out of the
request path (text extraction and OCR are slow).

One worker thread per app process.  It wakes when a transaction that
queued work commits (``kick``), and every ``POLL`` seconds to catch work
queued by other processes or left by a crash.  ``drain`` can also be run
directly (start-up repair, console jobs, tests).
"""
import logging
import threading

from ZODB.POSException import ConflictError

from .. import timeutil
from ..db import opened
from . import sandbox
from .catalog import get_catalog
from .documents import document_values
from .fulltext import INDEX_LOST, document
from .follow import behind, follow, sequence_now
from .outbox import get_outbox
from .rebuild import resolve

log = logging.getLogger(__name__)

POLL = 2.0
BATCHES = 50        # outbox batches (transactions) taken at a time
CHUNK = 1000        # records per Whoosh commit (a rebuild: fewer segments to merge)
FOLLOW_ENTRIES = 2000   # change-feed entries read per round


def queue_all(root):
    """Queue every catalogued record for the full-text index (an index
    folder found empty, lost or unreadable)."""
    batch = get_outbox(root).new_batch()
    for path in get_catalog(root).paths():
        batch.add(path)


class IndexWorker:
    def __init__(self, db, fulltext, root_getter, bounds=None):
        self.db, self.fulltext, self.get_root = db, fulltext, root_getter
        self.bounds = bounds or sandbox.Bounds()
        self.cond = threading.Condition()
        self.kicks = 0
        self.busy = False
        self.stopped = False
        self.suspect = False
        self.thread = None

    # -- thread ------------------------------------------------------------
    def start(self):
        self.stopped = False
        self.thread = threading.Thread(target=self._loop, name="archive-index",
                                       daemon=True)
        self.thread.start()

    def stop(self, timeout=30.0):
        """Stop the thread after the batch in hand (which then stays queued
        if it could not be acknowledged: applying it again is harmless)."""
        with self.cond:
            self.stopped = True
            self.cond.notify_all()
        thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def stop_before_close(self):
        """Make ``db.close()`` stop this worker first: a database closed under
        a running drain would pull its connection away mid-transaction."""
        close = self.db.close

        def stop_then_close(*args, **kw):
            self.stop()
            return close(*args, **kw)
        self.db.close = stop_then_close

    def kick(self):
        with self.cond:
            self.kicks += 1
            self.cond.notify_all()

    def _loop(self):
        seen = self.kicks          # the start-up drain has just run
        while True:
            with self.cond:
                if self.kicks == seen and not self.stopped:
                    self.cond.wait(POLL)
                if self.stopped:
                    return
                seen = self.kicks
                self.busy = True
            try:
                suspect, self.suspect = self.suspect, False
                self.heal(suspect)
                self.drain()
                if self.fulltext.rebuilding and self.pending() == 0:
                    self.fulltext.rebuilding = False
                    log.warning("index worker: full-text index rebuilt; search is back")
            except INDEX_LOST:
                # the folder went bad under a write: healed on the next round
                log.exception("index worker: the full-text index failed")
                self.suspect = True
            except Exception:
                if not hasattr(self.db, "_mvcc_storage"):   # the database was closed
                    return
                log.exception("index worker: will retry")
            finally:
                with self.cond:
                    self.busy = False
                    self.cond.notify_all()

    def wait_idle(self, timeout=30.0):
        """Until the outbox is empty (True) or ``timeout`` (False)."""
        import time
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.cond:
                busy = self.busy
            if not busy and self.pending() == 0:
                return True
            self.kick()
            with self.cond:
                self.cond.wait(0.05)
        return False

    # -- self-healing ------------------------------------------------------
    def heal(self, suspect=False):
        """A lost (or, ``suspect``: failing) index folder is opened anew,
        every record queued again, and search answers 503 until the queue
        is applied (``FullText.rebuilding``).  True when it healed."""
        if self.fulltext.available() and not suspect:
            return False
        log.error("index worker: full-text index in %s is missing or unreadable; rebuilding",
                  self.fulltext.directory)
        self.fulltext.rebuilding = True         # before the new, empty index shows
        if not self.fulltext.reopen():
            self.fulltext.rebuilding = False    # it was readable after all
        else:
            with opened(self.db) as conn:
                tm = conn.transaction_manager
                tm.begin()
                queue_all(self.get_root(conn))
                tm.commit()
        return True

    def report_lost(self):
        """A search found the index failing: heal in the worker's thread."""
        self.suspect = True
        self.kick()

    # -- work --------------------------------------------------------------
    def _peek(self, read):
        """``read(outbox)`` in a throw-away read-only transaction."""
        with opened(self.db) as conn:
            conn.transaction_manager.begin()
            return read(get_outbox(self.get_root(conn)))

    def pending(self):
        """Batches not yet applied."""
        return self._peek(len)

    def behind(self):
        """Change-feed entries this node has not followed yet."""
        return self._peek_root(lambda root: behind(root, self.fulltext))

    def _peek_root(self, read):
        with opened(self.db) as conn:
            conn.transaction_manager.begin()
            return read(self.get_root(conn))

    def pending_paths(self):
        """Records waiting in the outbox."""
        return self._peek(lambda outbox: len(outbox.paths()))

    def drain(self, batches=BATCHES, progress=None):
        """Apply every queued batch; return how many paths were applied
        (``progress(n)`` after each round of ``batches``)."""
        applied = 0
        while True:
            n = self.apply_oldest(batches)
            if n is None:
                break
            applied += n
            if progress is not None:
                progress(n)
        while self.follow_feed():
            pass
        return applied

    def follow_feed(self):
        """One round of following the change feed from this node's cursor
        (follow.py: what other nodes' workers took from the outbox); True
        while more entries wait."""
        sequence_now(self.db)       # number what the agencies' logs hold
        with opened(self.db) as conn:
            tm = conn.transaction_manager
            tm.begin()
            read, _ = follow(self.get_root(conn), self.fulltext, self.write_chunked,
                             FOLLOW_ENTRIES)
            try:
                tm.commit()         # the failed set, as write() left it
            except ConflictError:
                tm.abort()
            return read >= FOLLOW_ENTRIES

    def write_chunked(self, root, paths):
        for start in range(0, len(paths), CHUNK):
            self.write(root, paths[start:start + CHUNK])

    def apply_oldest(self, count):
        """Apply up to ``count`` batches; None when there were none."""
        with opened(self.db) as conn:
            tm = conn.transaction_manager
            tm.begin()
            root = self.get_root(conn)
            entries = get_outbox(root).oldest(count)
            if not entries:
                return None
            paths = sorted({p for _, batch in entries for p in batch})
            self.write_chunked(root, paths)
            self._acknowledge(tm, root, [key for key, _ in entries])
            return len(paths)

    def write(self, root, paths):
        """Write the current state of ``paths`` to the full-text index; the
        records that could not be are kept in the outbox's failed set."""
        docs, gone, outbox = [], [], get_outbox(root)
        for path in paths:
            record = resolve(root, path)
            if record is None:
                gone.append(path)
                continue
            try:
                docs.append(document(document_values(record, root, self.bounds)))
            except Exception as exc:   # one bad record must not block the queue
                log.exception("index worker: cannot index %s (kept in the failed set)", path)
                outbox.fail(path, "%s: %s" % (type(exc).__name__, exc),
                            timeutil.isoformat(timeutil.now()))
                continue
            outbox.indexed(path)
        self.fulltext.apply(docs, gone)

    def _acknowledge(self, tm, root, keys):
        """Remove the applied batches (and keep the extracted texts).  On a
        conflict they stay: applying them again is harmless."""
        outbox = get_outbox(root)
        for key in keys:
            outbox.done(key)
        try:
            tm.commit()
        except ConflictError:
            tm.abort()
            log.info("index worker: conflict on acknowledging; will re-apply")
