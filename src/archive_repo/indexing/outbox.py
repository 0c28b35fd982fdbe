"""The durable index queue: how Whoosh (outside ZODB) never disagrees with
ZODB for long.

In the request's transaction, a change to a record (1) re-indexes it in the
catalog, which lives in ZODB, and (2) adds its path to the transaction's
*batch* in the :class:`Outbox`, also in ZODB.  Both commit or abort with
the change itself:

* an aborted transaction leaves no batch, so it never reaches Whoosh;
* a committed one leaves a batch that stays until the worker has written
  Whoosh *and* removed the batch in a later transaction.  A crash anywhere
  after the commit leaves the batch in place; it is applied at the next
  start-up (and the worker polls, so batches written by other processes —
  console jobs, other app servers — are picked up too).

Applying a batch is idempotent (Whoosh ``update_document`` by path from the
record's current state), so applying one twice — a crash after the Whoosh
commit and before the batch's removal — is harmless.

Why one batch per transaction: each writing transaction inserts a single
key into ``batches`` and fills its own new set, and the worker deletes
whole keys.  A bulk job adding 10 000 records and the worker acknowledging
at the same time then touch one BTree key each, which ZODB's BTree
conflict resolution merges; one shared path → stamp map would split
buckets under both and conflict.  ZODB also refuses to merge a change that
empties a bucket, so ``batches`` keeps a permanent first key (``SENTINEL``):
the worker removing the last batch while a job adds one still merges.
"""
import itertools
import os
import time

from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent

_counter = itertools.count()


def new_key():
    """Unique across processes, ordered by time."""
    return "%020d-%d-%d" % (time.time_ns(), os.getpid(), next(_counter))


SENTINEL = ""       # sorts before every key new_key() makes


class Outbox(Persistent):
    """Batches of paths whose full-text document must be (re)written;
    ``digests``: path → digest of what was last queued for it; ``failed``:
    path → ``(when, why)`` for records the worker could not index (their
    batch is acknowledged so the queue moves on, and the failure is kept
    here — check-index reports it, reindex retries it — instead of being a
    log line nobody reads)."""

    def __init__(self):
        self.batches = OOBTree()
        self.batches[SENTINEL] = None
        self.digests = OOBTree()
        self.failed = OOBTree()

    def fail(self, path, why, at):
        self.failed[path] = (at, why)

    def indexed(self, path):
        if path in self.failed:
            del self.failed[path]

    def changed(self, path, digest):
        """Whether ``digest`` differs from the one last queued for
        ``path`` (and remember it)."""
        if self.digests.get(path) == digest:
            return False
        self.digests[path] = digest
        return True

    def new_batch(self):
        batch = OOTreeSet()
        self.batches[new_key()] = batch
        return batch

    def _items(self):
        return self.batches.items(min=SENTINEL, excludemin=True)

    def oldest(self, count):
        """Up to ``count`` ``(key, [paths])``, oldest first."""
        return [(key, list(batch)) for key, batch in itertools.islice(self._items(), count)]

    def done(self, key):
        """The batch ``key`` has been applied."""
        if key != SENTINEL:
            self.batches.pop(key, None)

    def paths(self):
        return {path for _, batch in self._items() for path in batch}

    def __len__(self):
        return len(self.batches) - 1


def get_outbox(root):
    outbox = getattr(root, "index_outbox", None)
    if outbox is None:
        outbox = root.index_outbox = Outbox()
    return outbox


_BATCH = object()


def queue(root, path, txn, on_commit=None):
    """Add ``path`` to ``txn``'s batch (created on first use, with
    ``on_commit()`` called after a successful commit — never after an
    abort)."""
    try:
        batch = txn.data(_BATCH)
    except KeyError:
        batch = get_outbox(root).new_batch()
        txn.set_data(_BATCH, batch)
        if on_commit is not None:
            txn.addAfterCommitHook(lambda ok: ok and on_commit())
    batch.add(path)
