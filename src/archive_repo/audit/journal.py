"""The read-audit journal: a local, append-only file of audit entries for
reads that the audit database could not take (its volume full, its server
away).  Reads must keep working then — refusing a citizen's document because
the audit disk is full helps nobody — yet no read may go unrecorded, so the
entry waits here, one JSON line each, fsync'd before the response is done
with, until it can be filed (``audit.flush_journal``: at start-up and before
every later read's entry).  Each entry carries a ``journal_id``; the ids
filed are kept in the audit database with the entries, in the same
transaction, so a crash between filing and clearing the file files none
twice.  Writes and refusals never come here: they fail closed.

Plain file work only (the database side is ``audit/__init__.py``)."""
import json
import os
import threading

_lock = threading.RLock()


def lock():
    """Held while the journal is appended to or filed (one process)."""
    return _lock


def append(path, entry):
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    with _lock:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())


def waiting(path):
    """The entries in the journal, oldest first (a line torn by a crash
    mid-write is skipped: its read never answered)."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        try:
            found.append(json.loads(line))
        except ValueError:
            continue
    return found


def has_entries(path):
    try:
        return os.path.getsize(path) > 0
    except OSError:
        return False


def clear(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
