"""Every node's full-text index follows the change feed with its own cursor.

The outbox (outbox.py) is one queue in the shared database: with several
app nodes, each holding its own index folder, whichever worker takes a
batch is the only one that indexes it.  The change feed (dav/changes.py)
is the other durable record of every change — an entry is committed with
its change in its agency's log, then numbered without gaps by a sequencer
(the worker runs it before each round) — and any number of readers can
follow it.  So each worker, after draining the outbox, reads the feed from its
node's cursor and rewrites the records the entries name whose indexed
state is not their current one; the cursor is then saved beside the index.

The indexed state is the record's ``fulltext_digest`` kept in a ``digest``
column of its Whoosh document: an entry whose record's document is already
current (the outbox wrote it on this node, or the change — a delivery
accepted — leaves the text alone) costs one comparison, no rewrite.  On one
node the outbox keeps doing all the writing; the feed only confirms it.

Crash safety: the cursor is written (atomically) only after the Whoosh
commit of what it covers; a crash in between makes the node read the same
entries again, which is harmless (rewriting is idempotent, and a current
document is skipped).

Cursor rules: a node with no cursor file and an empty index follows from
the feed's start (a new node builds its index this way, or by ``reindex``,
which leaves the cursor at the head it started from); one with an index
but no cursor (an index from before this module) starts at the head — its
index is what the outbox made it, ``check-index`` says if not; a cursor of
another feed (the log made anew, a restored backup) starts again from 0.
"""
import json
import logging
import os

from .documents import DIGEST_CHARS, fulltext_digest
from .rebuild import resolve

log = logging.getLogger(__name__)

CURSOR_FILE = "feed-cursor.json"
ENTRIES = 2000          # feed entries read per round


class Cursor:
    """``(feed_id, seq)`` of the last feed entry this index covers, in a file
    of the index folder (it belongs to that index, copied along with it)."""

    def __init__(self, directory):
        self.path = os.path.join(directory, CURSOR_FILE)

    def read(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                stored = json.load(f)
            return stored["feed_id"], int(stored["seq"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable feed cursor %s: following from the start", self.path)
            return ("", 0)

    def write(self, feed_id, seq):
        temporary = self.path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump({"feed_id": feed_id, "seq": seq}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, self.path)


def change_log(root):
    from ..dav.changes import get_log
    return get_log(root._p_jar)


def sequence_now(database):
    """Number the feed entries waiting in the agencies' logs."""
    from ..dav.changes import sequence_now as number
    return number(database)


def start_at(cursor, feed_id, head, fulltext):
    """Where this node follows from (see the module doc's rules)."""
    stored = cursor.read()
    if stored is None:
        return 0 if fulltext.doc_count() == 0 else head
    known, seq = stored
    return seq if known == feed_id and seq <= head else 0


def stale_paths(root, fulltext, paths):
    """The ``paths`` whose indexed document is not the record's current
    state (or that are indexed but gone from the tree)."""
    indexed = fulltext.digests(paths)
    stale = []
    for path in paths:
        record = resolve(root, path)
        current = fulltext_digest(record) if record is not None else None
        if indexed.get(path) != (current[:DIGEST_CHARS] if current else None):
            stale.append(path)
    return stale


def follow(root, fulltext, write, limit=ENTRIES):
    """Read up to ``limit`` feed entries past this node's cursor, rewrite (by
    ``write(root, paths)``, one Whoosh commit) those not current, and move the
    cursor.  Returns ``(entries read, records rewritten)``."""
    changes = change_log(root)
    if changes is None:
        return 0, 0
    cursor = Cursor(fulltext.directory)
    feed_id, head = changes.feed_id, changes.head()
    seq = start_at(cursor, feed_id, head, fulltext)
    if seq >= head:
        if cursor.read() != (feed_id, seq):
            cursor.write(feed_id, seq)
        return 0, 0
    entries, _ = changes.since(seq, limit)
    stale = stale_paths(root, fulltext, sorted({entry.path for entry in entries}))
    if stale:
        write(root, stale)
    cursor.write(feed_id, entries[-1].seq)
    return len(entries), len(stale)


def lag(root, fulltext):
    """``(entries, paths)``: how many feed entries this node has not
    followed yet, and the records they name."""
    changes = change_log(root)
    if changes is None:
        return 0, set()
    start = at = start_at(Cursor(fulltext.directory), changes.feed_id, changes.head(),
                          fulltext)
    paths, more = set(), True
    while more:
        entries, more = changes.since(at, ENTRIES)
        paths.update(entry.path for entry in entries)
        if entries:
            at = entries[-1].seq
    return changes.head() - start, paths


def behind(root, fulltext):
    """How many feed entries this node has not followed yet."""
    changes = change_log(root)
    if changes is None:
        return 0
    head = changes.head()
    waiting = sum(agency.last_key() - mark for _, agency, mark in changes.waiting())
    return head + waiting - start_at(Cursor(fulltext.directory), changes.feed_id, head,
                                     fulltext)


def mark_followed(root, fulltext, head):
    """This index covers the feed up to ``head`` (the end of a rebuild that
    walked the tree as of ``head`` or later)."""
    changes = change_log(root)
    if changes is not None:
        Cursor(fulltext.directory).write(changes.feed_id, head)


def feed_head(root):
    changes = change_log(root)
    return changes.head() if changes is not None else 0
