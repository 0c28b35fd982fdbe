"""What a year's listing shows of each record, kept beside the change log
(under its own key of the ZODB root: it is not part of the feed).

A record's properties live in three pickles (the record, its version list,
the current version): listing a 10 000-record year from them costs 30 000
object loads, 1.4× the time wsgidav takes to list 10 000 folders from
disk.  So the change-log subscriber also keeps, per year, an IOBTree of
small tuples (``FIELDS``) written in the transaction of each change —
a Depth 1 PROPFIND of a year then reads about one bucket per 60 records.
bench/dav.py, 10 000 records, median of 3: from the pickles 2.09 s vs
wsgidav 1.46 s (1.43×); from the summaries 0.68 s vs 1.85 s (0.37×).  A record without a summary (made before this
existed and not yet backfilled) is read from its pickles instead.

Every field derives from state whose changes fire RecordAdded or
RecordModified (deposit, new version, recall, import); the legal status
is the deposit report's, which re-validation never replaces.  A destroyed
record (disposal) loses its summary in the transaction that destroys it:
its entry answers 410, so no listing names it.

How many summaries each year holds is kept beside them (``COUNTS_KEY``, a
``BTrees.Length`` per year, changed with each summary added or dropped):
a year's ``record-count`` counted them by walking the year before the
first byte of its PROPFIND went out — every bucket of both trees loaded
and held at once: 157 objects loaded before the first chunk of a
2 000-record year, 37 for 200 (now the same for both); part of
bench/scale.py's PROPFIND 0.11 → 0.83 s for 2 500 → 10 000 entries.
"""
from BTrees.IOBTree import IOBTree
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from .. import db, timeutil

FIELDS = ("modified", "created", "version", "legal_status", "recalled",
          "notation", "subject", "issued_on", "agency")
# Stored as timeutil stamps; read back as datetimes.
INSTANTS = ("modified", "created")


class Summary:
    """Read access to a stored tuple, or to a record directly."""

    __slots__ = FIELDS

    def __init__(self, values):
        for name, value in zip(FIELDS, values):
            setattr(self, name, timeutil.from_stamp(value) if name in INSTANTS else value)


def summarize(record, modified):
    meta = record.metadata
    return (timeutil.to_stamp(modified), timeutil.to_stamp(record.deposited_at),
            record.current.number, record.legal_status,
            record.recalled, meta.get("notation"), meta.get("subject"),
            meta.get("issued_on"), record.agency_code)


def of_record(record, modified):
    return Summary(summarize(record, modified))


def store(index, counts, record, modified):
    """The record's summary, rewritten only when a listed field other than
    ``modified`` changed: a delivery accepted by eight receivers at once
    would otherwise write one key eight times (a conflict BTrees cannot
    merge); when the change happened is kept by ``touch`` instead."""
    key = (record.agency_code, record.year)
    year = index.get(key)
    if year is None:
        year = index[key] = IOBTree()
    made, stored = summarize(record, modified), year.get(record.number)
    if stored is None:
        _counter(counts, key, year).change(1)
    if stored is None or tuple(stored[1:]) != made[1:]:
        year[record.number] = made


def drop(index, counts, record):
    key = (record.agency_code, record.year)
    year = index.get(key)
    if year is not None and record.number in year:
        _counter(counts, key, year).change(-1)
        del year[record.number]


def _counter(counts, key, year):
    counter = counts.get(key)
    if counter is None:                 # summaries older than their counts
        counter = counts[key] = Length(len(year))
    return counter


def count_years(counts, index):
    """Every year's count from its summaries (evolve step
    ``2026-12-dav-summary-counts``)."""
    for key, year in index.items():
        if key not in counts:
            counts[key] = Length(len(year))


SUMMARIES_KEY = "archive_repo.dav.summaries"
COUNTS_KEY = "archive_repo.dav.summary_counts"
TOUCHED_KEY = "archive_repo.dav.touched"
CHUNK = 100


class Touched(Persistent):
    """When each of up to ``CHUNK`` records of a year last changed
    (number → timeutil stamp).  Concurrent changes merge — the newest stamp
    of each number wins — instead of conflicting: receivers accepting one
    record's deliveries at once all touch it."""

    def __init__(self):
        self.stamps = {}

    def touch(self, number, stamp):
        if stamp > self.stamps.get(number, 0):
            self.stamps = {**self.stamps, number: stamp}

    def _p_resolveConflict(self, old, committed, new):
        merged = dict(committed["stamps"])
        for number, stamp in new["stamps"].items():
            if stamp > merged.get(number, 0):
                merged[number] = stamp
        return dict(committed, stamps=merged)


def touch(conn, record, moment):
    """Note that ``record`` changed at ``moment``."""
    years = ensure_touched(conn)
    key = (record.agency_code, record.year)
    chunks = years.get(key)
    if chunks is None:
        chunks = years[key] = IOBTree()
    chunk = chunks.get(record.number // CHUNK)
    if chunk is None:
        chunk = chunks[record.number // CHUNK] = Touched()
    chunk.touch(record.number, timeutil.to_stamp(moment))


def touched_at(touched, agency_code, year, number):
    """When the record last changed according to ``touch`` (the root's
    ``TOUCHED_KEY`` mapping given), or None."""
    chunks = touched.get((agency_code, year)) if touched is not None else None
    chunk = chunks.get(number // CHUNK) if chunks is not None else None
    stamp = chunk.stamps.get(number) if chunk is not None else None
    return timeutil.from_stamp(stamp) if stamp is not None else None


def get_touched(conn):
    return conn.root().get(TOUCHED_KEY)


def ensure_touched(conn):
    return db.kept(conn.root(), TOUCHED_KEY, OOBTree)


def new_index():
    return OOBTree()


def get_index(conn):
    return conn.root().get(SUMMARIES_KEY)


def ensure_index(conn):
    return db.kept(conn.root(), SUMMARIES_KEY, new_index)


def get_counts(conn):
    return conn.root().get(COUNTS_KEY)


def ensure_counts(conn):
    def counted():
        counts = OOBTree()
        count_years(counts, ensure_index(conn))
        return counts
    return db.kept(conn.root(), COUNTS_KEY, counted)


def year_summaries(index, agency_code, year):
    """The year's IOBTree of summaries, or None."""
    return index.get((agency_code, year)) if index is not None else None


def year_count(counts, agency_code, year):
    """How many summaries the year holds, or None when not counted."""
    counter = counts.get((agency_code, year)) if counts is not None else None
    return counter() if counter is not None else None
