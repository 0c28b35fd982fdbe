"""The full-text index on disk — the only module that imports Whoosh.

One Whoosh document per record, keyed by its path.  ``content`` holds the
subject, the number and notation, and the text of every version, analysed
by :mod:`.analysis` (each syllable exact and folded); the folded
syllables carry their positions packed as raw integers, which is how
phrases are found (:class:`ContentFormat`).  Filter
and facet fields are copies of catalog values; the catalog (in ZODB) stays
the authority for who may read what (see :mod:`.search`).

Whoosh stores the postings, the columns and the documents; answering a
query is array work (:mod:`.scoring`, numpy) over what :class:`Snapshot`
reads from them.  Segments never change once written, so each segment's
postings and columns are read once per process (:class:`SegmentCache`);
a deposit adds a small segment and the next query reads only that.
Deletions are applied through the snapshot's ``live`` mask.  Whoosh's own
collectors walk every match in Python and cost ten times more, and
phrase checks through per-document positions a hundred times more
(bench/search.py).

Searching uses one long-lived searcher per thread, replaced when the index
changed (opening one per request costs more than the query).
"""
import logging
import os
import threading
import time
from array import array
from collections import OrderedDict, defaultdict
from itertools import accumulate, chain

import numpy as np
from whoosh import index
from whoosh.analysis import Token, Tokenizer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Format

from . import scoring
from .analysis import (fold, has_marks, index_terms, normalize, phrase_syllables,
                       term_postings)
from .whoosh_internals import (block_values, compact_codec, posting_blocks, raw_matcher,
                               segments)

log = logging.getLogger(__name__)
FACETS = ("agency", "year", "doctype", "legal_status", "urgency")
REFRESH_EVERY = 1.0         # seconds between checks for other processes' writes
PREFIX_TERMS = 50           # words a prefix scores with (it matches with all of them)
# The writer's posting pool; past it Whoosh pickles every posting through
# temporary runs (a 1000-record batch: 61 docs/s at 128 MB, 97 at 1 GB).
WRITER_MB = 256
# Merging (see tiered_merge): segments of one size tier go together ten at
# a time, and no commit merges into a segment above MERGE_MAX_DOCS.  Whoosh
# merges about as fast as it indexes (10 000 records: 70 s), so the cap is
# the longest the index worker can stall: ~35 s, once every ~5 000 deposits.
MERGE_FACTOR = 10
MERGE_MAX_DOCS = 5_000
# Posting blocks of 512 (Whoosh: 128) compressed at zlib level 6 (3): 10 %
# smaller at the same writing speed (2 000 records, bench/search.py).  A
# segment keeps the codec it was written with, so older ones stay readable.
BLOCK_LIMIT, COMPRESSION = 512, 6


class _Tokenizer(Tokenizer):
    """Whoosh face of a ``(position, term, start, end)`` generator."""

    terms = None

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, mode="", **kw):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kw)
        for pos, text, start, end in self.terms(value):
            token.text, token.boost, token.stopped = text, 1.0, False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class VietnameseTokenizer(_Tokenizer):
    """Syllables and notations, exact and folded (:func:`analysis.index_terms`)."""
    terms = staticmethod(index_terms)


class ContentFormat(Format):
    """The ``content`` postings: every term's frequency (as its weight),
    and for the folded syllables their positions (:func:`encode_positions`:
    gaps as uint16, 2 bytes a position instead of Whoosh's ~15 for a
    pickled delta list, and a block decodes in a few numpy calls,
    :func:`read_positions`).  Terms come from
    :func:`analysis.term_postings` directly, not through Whoosh's Token
    objects: the tokenising then costs a few C calls per document.

    Phrases used to be matched on a second field of folded two-syllable
    runs ("shingles"); positions on the syllables do the same with half
    the postings and a far smaller term dictionary (bench/search.py)."""

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        for term, freq, positions in term_postings(value):
            yield term, freq, freq * boost, \
                encode_positions(positions) if positions else NO_POSITIONS

    def decode_positions(self, valuestring):
        return decode_positions(valuestring)


# A term without positions still needs a value: whoosh3 keeps a block's
# values only when there are some, and its merge reads one per posting.
# Values of odd length are the exceptions (gaps are 2 bytes each): this
# one, and WIDE + uint32 positions where a gap does not fit in 16 bits.
NO_POSITIONS = b"\x00"
WIDE = b"\x01"


def encode_positions(positions):
    """Sorted positions as their gaps in uint16 (the first from 0); 10 %
    smaller an index than raw uint32 after zlib (bench/search.py)."""
    gaps = [positions[0]] + [b - a for a, b in zip(positions, positions[1:])]
    if max(gaps) < 1 << 16:
        return array("H", gaps).tobytes()
    return WIDE + array("I", positions).tobytes()


def decode_positions(value):
    if len(value) % 2 == 0:
        return list(accumulate(array("H", value)))
    return array("I", value[1:]).tolist() if value[:1] == WIDE else []


def _block_positions(values):
    """``(positions per posting, all positions)`` of one block's values."""
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    if (lengths % 2).any():     # a rare wide value: decode one by one
        decoded = [decode_positions(v) for v in values]
        return (np.fromiter(map(len, decoded), dtype=np.int64, count=len(values)),
                np.fromiter(chain.from_iterable(decoded), dtype=np.int64))
    counts = lengths // 2
    gaps = np.frombuffer(b"".join(values), dtype=np.uint16).astype(np.int64)
    running = np.cumsum(gaps)
    starts = np.cumsum(counts) - counts
    # each posting's gaps start again from 0: take off what came before
    before = np.where(starts > 0, running[np.maximum(starts - 1, 0)], 0)
    return counts, running - np.repeat(before, counts)


def content_field():
    field = TEXT(analyzer=VietnameseTokenizer(), stored=True, phrase=True)
    field.format = ContentFormat()
    return field


def make_schema():
    tag = dict(stored=True, sortable=True)
    return Schema(
        path=ID(stored=True, unique=True, sortable=True),
        content=content_field(),
        subject=STORED, notation=STORED, number=STORED, text_source=STORED, body_at=STORED,
        agency=ID(**tag), year=ID(**tag), doctype=ID(**tag), legal_status=ID(**tag),
        urgency=ID(**tag), issued_on=ID(**tag), recalled=ID(stored=True),
        allowed=KEYWORD(stored=True, commas=True),
        # what the document was made from (follow.py): a column, not indexed
        digest=COLUMN(VarBytesColumn()),
    )


# -- reading one segment -------------------------------------------------------
def read_postings(reader, field, text):
    """``(local ids int32, weights float32)`` of ``text`` in one segment."""
    m = raw_matcher(reader, field, text)
    if m is None:
        return scoring.EMPTY_IDS, scoring.EMPTY_WEIGHTS
    ids, weights = [], []
    for block_ids, block_weights, _ in posting_blocks(m):
        ids.append(np.asarray(block_ids, dtype=np.int32))
        weights.append(np.asarray(block_weights, dtype=np.float32))
    if not ids:
        return scoring.EMPTY_IDS, scoring.EMPTY_WEIGHTS
    return np.concatenate(ids), np.concatenate(weights)


def read_positions(reader, field, text):
    """``(local ids, positions)``, one pair per occurrence of ``text`` in
    one segment (a folded syllable of ``content``); each block's positions
    decode together."""
    m = raw_matcher(reader, field, text)
    if m is None:
        return scoring.EMPTY_IDS, scoring.EMPTY_IDS
    docs, positions = [], []
    for block_ids, _, block in posting_blocks(m):
        if block is None:
            raise NotImplementedError("positions need the whoosh3 codec")
        counts, found = _block_positions(block_values(block))
        docs.append(np.repeat(np.asarray(block_ids, dtype=np.int32), counts))
        positions.append(found.astype(np.int32))
    if not docs:
        return scoring.EMPTY_IDS, scoring.EMPTY_IDS
    return np.concatenate(docs), np.concatenate(positions)


def read_column(reader, name):
    """The column ``name`` of one segment as a list of str by local id."""
    if not reader.has_column(name):
        return [""] * reader.doc_count_all()
    return [v.decode() if isinstance(v, bytes) else v for v in reader.column_reader(name)]


def read_lengths(reader):
    return np.fromiter((reader.doc_field_length(d, "content", 0)
                        for d in range(reader.doc_count_all())),
                       dtype=np.float32, count=reader.doc_count_all())


class SegmentCache:
    """Arrays read from segments, by ``(segment id, what)``, least recently
    used dropped beyond ``budget`` bytes.  Segments are immutable, so an
    entry is valid for the life of its segment; one cache per process."""

    def __init__(self, budget=256 << 20):
        self.budget, self.used = budget, 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, compute):
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found[0]
        value = compute()
        size = _nbytes(value)
        with self.lock:
            self.entries[key] = (value, size)
            self.used += size
            while self.used > self.budget and len(self.entries) > 1:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.used -= dropped
        return value


def _nbytes(value):
    if isinstance(value, tuple):
        return sum(_nbytes(v) for v in value) or 64
    return getattr(value, "nbytes", None) or 64 * max(len(value), 1)


SEGMENTS = SegmentCache()


# -- what one searcher sees -------------------------------------------------
class Snapshot:
    """A searcher's documents as numpy arrays over global document numbers
    (segment offset + local id), deleted documents masked out by ``live``.
    Per-term arrays are assembled from :data:`SEGMENTS`; what is assembled
    is memoised here, for the life of the searcher."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.leaves = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            segment = reader.segment()
            key = segment.segment_id() if segment is not None else None
            self.leaves.append((reader, offset, key))
        self.size = searcher.doc_count_all()
        self.live = self._live()
        self._memos = {}

    def _live(self):
        live = np.ones(self.size, dtype=bool)
        for reader, offset, _ in self.leaves:
            deleted = getattr(reader, "deleted_docs_set", None)
            if deleted:
                live[np.fromiter(deleted, dtype=np.int64) + offset] = False
        return live

    def memo(self, key, compute):
        """``compute()``, once per snapshot for ``key``."""
        found = self._memos.get(key)
        if found is None:
            if len(self._memos) > 1024:
                self._memos.clear()
            found = self._memos[key] = compute()
        return found

    def _per_segment(self, what, read):
        """``read(reader)`` of every segment, cached by segment id."""
        return [(SEGMENTS.get((key, what), lambda r=reader: read(r)) if key
                 else read(reader), offset)
                for reader, offset, key in self.leaves]

    # -- postings ----------------------------------------------------------
    def postings(self, field, text):
        """``(ids, weights)`` of live documents holding ``text``."""
        def assemble():
            parts = self._per_segment(("p", field, text),
                                      lambda r: read_postings(r, field, text))
            ids = np.concatenate([p[0] + off for p, off in parts] or [scoring.EMPTY_IDS])
            weights = np.concatenate([p[1] for p, _ in parts] or [scoring.EMPTY_WEIGHTS])
            keep = self.live[ids]
            return ids[keep], weights[keep]
        return self.memo(("p", field, text), assemble)

    def ids(self, field, text):
        return self.postings(field, text)[0]

    def positions(self, field, text, docs):
        """``(docs, positions)``: one pair per occurrence of ``text`` in the
        global ``docs``.  Each segment's positions of ``text`` are decoded
        once (SEGMENTS) — phrases keep meeting the same common runs."""
        found_docs, found_positions = [], []
        parts = self._per_segment(("pos", field, text), lambda r: read_positions(r, field, text))
        bounds = np.searchsorted(docs, [offset for _, offset in parts] + [self.size])
        for i, ((at, positions), offset) in enumerate(parts):
            local = docs[bounds[i]:bounds[i + 1]] - offset
            if not len(local) or not len(at):
                continue
            # ``at`` is sorted: each candidate's occurrences are one slice,
            # so the cost follows the candidates, not the term's frequency
            keep = scoring.ranges(np.searchsorted(at, local, "left"),
                                  np.searchsorted(at, local, "right"))
            found_docs.append(at[keep] + offset)
            found_positions.append(positions[keep])
        if not found_docs:
            return scoring.EMPTY_IDS, scoring.EMPTY_IDS
        return np.concatenate(found_docs), np.concatenate(found_positions)

    def expand(self, prefix):
        """The ``content`` words starting with ``prefix``."""
        return self.memo(("x", prefix), lambda: [
            t.decode() if isinstance(t, bytes) else t
            for t in self.searcher.reader().expand_prefix("content", prefix)])

    # -- columns -----------------------------------------------------------
    def column(self, name):
        """``(codes int32 by doc, values)``: the column as codes into its
        distinct values, built from each segment's own codes."""
        def assemble():
            parts = self._per_segment(("c", name), lambda r: scoring.encode(read_column(r, name)))
            return scoring.merge_codes([(codes, values) for (codes, values), _ in parts])
        return self.memo(("c", name), assemble)

    def dates(self):
        """``issued_on`` by doc (ISO dates, ``-`` when unknown)."""
        def assemble():
            codes, values = self.column("issued_on")
            return np.asarray(values, dtype="U10")[codes]
        return self.memo(("dates",), assemble)

    def lengths(self):
        return self.memo(("lengths",), lambda: np.concatenate(
            [part for part, _ in self._per_segment(("lengths",), read_lengths)]
            or [scoring.EMPTY_WEIGHTS]))

    def all_docs(self):
        return self.memo(("all",), lambda: np.flatnonzero(self.live).astype(np.int32))


# -- merging ---------------------------------------------------------------
def _tier(segment):
    count = segment.doc_count_all()
    tier = 0
    while count >= MERGE_FACTOR:
        count //= MERGE_FACTOR
        tier += 1
    return tier


def tiered_merge(writer, segments):
    """Whoosh ``mergetype``: merge the smallest tier that holds
    MERGE_FACTOR segments, if that stays within MERGE_MAX_DOCS; one tier per
    commit.  Whoosh's MERGE_SMALL merges "the smallest segments whose total
    is below fib(n)", which at 100 000 records made one single-record commit
    rewrite most of the index (63 s, bench/search.py): the index worker
    stalls that long and a deposit is not found for a minute.  Here a
    commit's merge work is bounded; segments of about MERGE_MAX_DOCS then
    accumulate (20 at 100 000 records, which search handles: its arrays are
    per segment) until ``archive-repo reindex --compact``
    (:meth:`FullText.compact`)."""
    from whoosh.reading import SegmentReader
    by_tier = defaultdict(list)
    for segment in segments:
        by_tier[_tier(segment)].append(segment)
    for tier in sorted(by_tier):
        group = by_tier[tier][:MERGE_FACTOR]
        if len(group) < MERGE_FACTOR or \
                sum(s.doc_count_all() for s in group) > MERGE_MAX_DOCS:
            continue
        for segment in group:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        return [s for s in segments if s not in group]
    return segments


def keep_segments(writer, segments):
    """Whoosh ``mergetype``: merge nothing."""
    return segments


# -- the index ---------------------------------------------------------------
MP_BATCH = 250          # documents a writer process takes at a time


def _write(writer, documents, deletions, commit=True):
    """Deletions, then documents (replacing by path), into ``writer``;
    cancelled on any error, committed with the tiered merge unless the
    caller commits itself (returns the writer)."""
    try:
        for path in deletions:
            writer.delete_by_term("path", path)
        for doc in documents:
            writer.update_document(**doc)
    except BaseException:
        writer.cancel()
        raise
    if commit:
        writer.commit(mergetype=tiered_merge)
    return writer


class IndexIncomplete(RuntimeError):
    """A parallel write lost a writer process's segment."""


def _set_aside(directory, why):
    """Move ``directory`` out of the way (kept for a post-mortem) and start
    an empty index in its place."""
    aside = "%s.set-aside-%s" % (directory.rstrip(os.sep), time.strftime("%Y%m%d-%H%M%S"))
    os.rename(directory, aside)
    os.makedirs(directory)
    log.error("full-text index set aside (%s) to %s; rebuilding it from the database",
              why, aside)
    return index.create_in(directory, make_schema())


def same_schema(found, wanted):
    """Whether an index on disk was written with this release's fields *and
    postings formats*.  A change of either (issue 17: the ``shingles``
    field dropped, ``content`` given :class:`ContentFormat`) sets the old
    index aside; the start-up then rebuilds it from the database
    (``indexing.prepare``: the change feed from its start, or every record
    queued) — the self-healing path, no evolve step."""
    if sorted(found.names()) != sorted(wanted.names()):
        return False
    return all(type(found[name]) is type(wanted[name]) and
               type(found[name].format) is type(wanted[name].format)
               for name in wanted.names())


# What a search or a write raises when the folder was taken away or damaged
# under the running server (measured: EmptyIndexError on every /search once
# the folder was deleted, until a restart).
INDEX_LOST = (OSError, index.IndexError, EOFError)


class FullText:
    """An on-disk Whoosh index with per-thread long-lived searchers.

    ``reopen`` replaces a lost or unreadable folder by a new, empty index
    (the worker then queues every record again); ``rebuilding`` is True
    from then until the worker has applied that queue."""

    def __init__(self, directory):
        self.directory = directory
        self.ix = self._open(directory)
        self.generation = 0             # bumped by this process's writes
        self.epoch = 0                  # bumped when the index is opened anew
        self.rebuilding = False
        self._local = threading.local()

    def available(self):
        """Whether the folder still holds an index (a table of contents):
        an operator, a script or a failed disk may take it away."""
        try:
            return any(name.endswith(".toc") for name in os.listdir(self.directory))
        except OSError:
            return False

    def reopen(self):
        """Open the folder again: a new, empty index where it is gone, the
        damaged one set aside (see ``_open``).  True when the new index is
        empty (every record must be queued again)."""
        self.ix = self._open(self.directory)
        self.epoch += 1
        self.generation += 1
        return self.doc_count() == 0

    @staticmethod
    def _open(directory):
        """The index in ``directory``; a fresh one where there is none, or
        where the one there cannot serve (damaged files, an older schema).
        ZODB is the truth: the start-up sees an empty index beside a full
        catalog and queues every record (``indexing.prepare``)."""
        if os.path.exists(directory) and not os.path.isdir(directory):
            return _set_aside(directory, "not a folder")
        os.makedirs(directory, exist_ok=True)
        try:
            ix = index.open_dir(directory) if index.exists_in(directory) else None
            if ix is not None:
                ix.searcher().close()           # opens every segment
        except Exception:
            log.exception("full-text index in %s is unreadable", directory)
            return _set_aside(directory, "unreadable")
        if ix is None:
            return index.create_in(directory, make_schema())
        if not same_schema(ix.schema, make_schema()):
            ix.close()
            return _set_aside(directory, "another schema")
        return ix

    # -- writing ---------------------------------------------------------
    def _writer(self, timeout, **kw):
        return self.ix.writer(timeout=timeout, limitmb=WRITER_MB, **kw,
                              codec=compact_codec(BLOCK_LIMIT, COMPRESSION))

    def apply(self, documents, deletions=(), timeout=30.0, procs=1):
        """Write ``documents`` (dicts, replacing by path) and delete
        ``deletions`` (paths) in one Whoosh commit.  Idempotent.

        ``procs`` > 1 (rebuilds, not the server's worker: it forks) spreads
        the documents over that many writer processes, one segment each
        (Whoosh's ``MpWriter``): 2 processes write 2 000 records 1.8× as
        fast as one (bench/search.py)."""
        if procs > 1 and len(documents) >= 2 * MP_BATCH:
            return self._apply_parallel(documents, deletions, timeout, procs)
        _write(self._writer(timeout), documents, deletions)
        self.generation += 1

    def _apply_parallel(self, documents, deletions, timeout, procs):
        before = self.ix.doc_count_all()
        writer = _write(self._writer(timeout, procs=procs, multisegment=True,
                                     batchsize=MP_BATCH), documents, deletions, commit=False)
        # no merge in this commit: the documents written can then be counted
        writer.commit(mergetype=keep_segments)
        self.generation += 1
        written = self.ix.doc_count_all() - before
        if written != len(documents):
            # MpWriter waits one second for each sub-writer's result and
            # drops the segment of one that is late or died: never silently
            raise IndexIncomplete("%d of %d documents written" % (written, len(documents)))
        self._writer(timeout).commit(mergetype=tiered_merge)

    def compact(self, timeout=30.0):
        """Merge every segment into one (deleted documents dropped): the
        end of a rebuild, which can afford to rewrite the whole index."""
        self._writer(timeout).commit(optimize=True)
        self.generation += 1

    def digests(self, paths):
        """path → the ``digest`` its live document was made from ("" for a
        document written without one), for the indexed ``paths``."""
        snap = self.snapshot()
        codes, values = snap.column("digest")
        found = {}
        for path in paths:
            for docnum in snap.searcher.document_numbers(path=path):
                if snap.live[docnum]:
                    found[path] = values[codes[docnum]]
        return found

    def segment_sizes(self):
        return [s.doc_count_all() for s in segments(self.ix)]

    # -- reading ---------------------------------------------------------
    def snapshot(self):
        """This thread's snapshot, replaced when the index changed."""
        local = self._local
        snap = getattr(local, "snapshot", None)
        now = time.monotonic()
        if snap is not None and local.epoch != self.epoch:
            snap = None                 # of an index since replaced: its files may be gone
        if snap is not None and local.generation == self.generation and \
                now - local.checked <= REFRESH_EVERY:
            return snap
        if snap is None or not snap.searcher.up_to_date():
            if snap is not None:
                snap.searcher.close()
            # Never Searcher.refresh(): whoosh3's reader reuse keeps a
            # segment's reader when only its deletions changed (an updated
            # record then matches twice, old and new) and keeps segments a
            # merge removed.  Opening readers anew is cheap; the costly
            # arrays are cached by segment id (SEGMENTS).
            snap = local.snapshot = Snapshot(self.ix.searcher())
        local.generation, local.checked, local.epoch = self.generation, now, self.epoch
        return snap

    def searcher(self):
        return self.snapshot().searcher

    def paths(self):
        """The set of indexed paths."""
        snap = self.snapshot()
        codes, values = snap.column("path")
        return {values[c] for c in codes[snap.all_docs()]}

    def doc_count(self):
        return self.searcher().doc_count()

    def search(self, text, filters=None, principals=None, sort=None, start=0,
               size=20, facets=FACETS):
        """``{"total", "hits": [{…stored fields, "score", "snippet"}],
        "facets": {name: {value: count}}}``; ``sort`` None (relevance),
        ``"date"`` or ``"date_asc"``."""
        from .analysis import parse_query
        snap = self.snapshot()
        clauses = parse_query(text)
        docs = self.matching_docs(snap, clauses, filters or {}, principals)
        limit = start + size
        if sort in ("date", "date_asc"):
            ranked = [(0.0, d) for d in scoring.by_date(snap.dates(), docs, limit,
                                                        newest_first=sort == "date")]
        else:
            ranked = scoring.top(self.scores(snap, clauses, docs), docs, limit)
        hits = [self._hit(snap.searcher, d, score, clauses) for score, d in ranked[start:limit]]
        return {"total": int(len(docs)), "hits": hits,
                "facets": self.facet_counts(snap, docs, facets) if facets else {}}

    @staticmethod
    def _hit(s, docnum, score, clauses):
        from .analysis import snippet
        fields = dict(s.stored_fields(int(docnum)))
        fields["snippet"] = snippet(fields.pop("content", "") or "", clauses,
                                    body_at=fields.pop("body_at", 0) or 0)
        fields["score"] = round(float(score), 4)
        return fields

    # -- matching and ranking --------------------------------------------
    def matching_docs(self, snap, clauses, filters, principals):
        """The sorted array of document numbers matching every clause and
        filter."""
        parts = [self._clause_ids(snap, kind, arg) for kind, arg in clauses]
        parts += [snap.ids(name, str(value)) for name, value in filters.items()
                  if name in FACETS + ("recalled",) and value not in (None, "")]
        lo, hi = filters.get("from"), filters.get("to")
        if lo or hi:
            parts.append(snap.memo(("range", lo, hi), lambda: scoring.in_range(
                snap.dates(), lo, hi)))
        if principals is not None:
            key = ("allowed",) + tuple(sorted(principals))
            parts.append(snap.memo(key, lambda: scoring.union(
                [snap.ids("allowed", p) for p in principals])))
        docs = scoring.intersect(parts, snap.size) if parts else snap.all_docs()
        for kind, arg in clauses:
            if kind == "phrase":
                docs = self._side_by_side(snap, arg, docs)
        return docs

    def _clause_ids(self, snap, kind, arg):
        if kind == "term":      # the folded form is indexed wherever the exact one is
            return snap.ids("content", fold(arg))
        if kind == "prefix":
            return snap.memo(("prefix", fold(arg)), lambda: scoring.union(
                [snap.ids("content", t) for t in snap.expand(fold(arg))]))
        return scoring.intersect([snap.ids("content", s) for _, s in phrase_syllables(arg)],
                                 snap.size)

    @staticmethod
    def _side_by_side(snap, tokens, docs):
        """The ``docs`` where a phrase stands whole: its folded syllables
        at their offsets from one start.  A start is the pair (doc,
        position − offset) packed in one int64, so each syllable narrows
        the starts with one array intersection."""
        # rarest syllable first: the candidates shrink before the common
        # syllables' positions are read
        cover = sorted(phrase_syllables(tokens),
                       key=lambda pair: len(snap.ids("content", pair[1])))
        starts = None
        for off, syllable in cover:
            if not len(docs):
                break
            at, positions = snap.positions("content", syllable, docs)
            keep = positions >= off
            # (doc, start) pairs are distinct: a position occurs once per doc
            keys = (at[keep].astype(np.int64) << 32) | (positions[keep] - off)
            starts = np.sort(keys) if starts is None else \
                np.intersect1d(starts, keys, assume_unique=True)
            docs = scoring.distinct_sorted(starts >> 32).astype(np.int32)
        return docs

    def scores(self, snap, clauses, docs):
        """BM25 of ``docs``: each word folded, plus its exact form boosted
        when typed with diacritics; a prefix scores the words it expands to."""
        bm25 = snap.memo(("bm25",), lambda: scoring.BM25(snap.lengths(), snap.live))
        scores = np.zeros(len(docs), dtype=np.float32)
        for kind, arg in clauses:
            words = arg if kind == "phrase" else [arg]
            for word in words:
                if kind == "prefix":
                    for term in snap.expand(fold(word))[:PREFIX_TERMS]:
                        bm25.add(scores, docs, *snap.postings("content", term))
                    continue
                bm25.add(scores, docs, *snap.postings("content", fold(word)))
                if has_marks(word):
                    bm25.add(scores, docs, *snap.postings("content", word),
                             boost=scoring.EXACT_BOOST)
        return scores

    @staticmethod
    def facet_counts(snap, docs, names):
        """Counts per value of each facet over every matching document."""
        counts = {}
        for name in names:
            codes, values = snap.column(name)
            counts[name] = scoring.count_values(codes, values, docs, ignore=("", "-"))
        return counts

    def close(self):
        snap = getattr(self._local, "snapshot", None)
        if snap is not None:
            snap.searcher.close()
        self.ix.close()


def document(values):
    """Whoosh fields for one record from plain ``values`` (see
    :func:`archive_repo.indexing.documents.document_values`)."""
    doc = dict(values)
    content = doc.get("content", "")
    doc["content"] = normalize_stored(content)
    doc["body_at"] = len(normalize_stored(content[:doc.get("body_at", 0)]))
    for name in FACETS + ("issued_on", "recalled"):
        doc[name] = str(doc.get(name) if doc.get(name) is not None else "-")
    doc["allowed"] = ",".join(doc.get("allowed") or ())
    doc["digest"] = (doc.get("digest") or "").encode("ascii")
    return doc


def normalize_stored(text):
    """NFC (the analyser lower-cases on the fly, offsets stay valid)."""
    import unicodedata
    return unicodedata.normalize("NFC", text)


__all__ = ["FullText", "normalize", "document", "make_schema"]
