"""The full-text index on disk — the only module that imports Whoosh.

One Whoosh document per record, keyed by its path.  ``content`` holds the
subject, the number and notation, and the text of every version, analysed
by :mod:`.analysis` (each syllable exact and folded at the same position).
Filter and facet fields are copies of catalog values; the catalog (in ZODB)
stays the authority for who may read what (see :mod:`.search`).

Searching uses one long-lived searcher per thread, refreshed only when the
index changed (opening a searcher per request costs more than the query).
"""
import logging
import os
import threading
import time
from collections import Counter

from whoosh import index, query
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from . import scoring
from .analysis import fold, has_marks, index_terms, normalize

log = logging.getLogger(__name__)
FACETS = ("agency", "year", "doctype", "legal_status", "urgency")
REFRESH_EVERY = 1.0         # seconds between checks for other processes' writes


class VietnameseTokenizer(Tokenizer):
    """Whoosh face of :func:`analysis.index_terms`."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, mode="", **kw):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kw)
        for pos, text, start, end in index_terms(value):
            token.text, token.boost, token.stopped = text, 1.0, False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def make_schema():
    tag = dict(stored=True, sortable=True)
    return Schema(
        path=ID(stored=True, unique=True, sortable=True),
        content=TEXT(analyzer=VietnameseTokenizer(), stored=True, phrase=True),
        subject=STORED, notation=STORED, number=STORED, text_source=STORED, body_at=STORED,
        agency=ID(**tag), year=ID(**tag), doctype=ID(**tag), legal_status=ID(**tag),
        urgency=ID(**tag), issued_on=ID(**tag), recalled=ID(stored=True),
        allowed=KEYWORD(stored=True, commas=True),
    )


# -- reading postings ----------------------------------------------------------
def _weights(s, field, text):
    """``{docnum: term frequency}`` of live documents holding ``text``.

    Reads the postings block by block (whoosh3 codec: ids and weights come
    as arrays) instead of one posting at a time; other codecs fall back to
    the generic matcher walk."""
    out = {}
    for sub, offset in s.leaf_searchers():
        reader = sub.reader()
        if (field, text) not in reader:
            continue
        matcher, deleted = _unwrap(reader.postings(field, text))
        block = _blocks(matcher) if hasattr(matcher, "_read_weights") else _walk(matcher)
        for ids, weights in block:
            if offset or deleted:
                out.update((i + offset, w) for i, w in zip(ids, weights) if i not in deleted)
            else:
                out.update(zip(ids, weights))
    return out


def _unwrap(matcher):
    """A segment with deletions wraps its postings to exclude them."""
    child = getattr(matcher, "child", None)
    if child is not None and getattr(matcher, "_exclude", False):
        return child, matcher._ids
    return matcher, ()


def _blocks(m):
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        yield m._ids, m._weights
        m._next_block()


def _walk(m):
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    yield ids, weights


_SEGMENTS = {}          # (segment id, what) → list; segments are immutable
_SEGMENTS_MAX = 256


def _by_segment(s, what, read):
    """``read(segment reader)`` for each segment, concatenated in document
    number order; each segment's list is computed once per process."""
    out = []
    for sub, _ in s.leaf_searchers():
        reader = sub.reader()
        segment = reader.segment()
        key = (segment.segment_id(), what) if segment is not None else None
        part = _SEGMENTS.get(key) if key else None
        if part is None:
            part = read(reader)
            if key:
                if len(_SEGMENTS) > _SEGMENTS_MAX:
                    _SEGMENTS.clear()
                _SEGMENTS[key] = part
        out.extend(part)
    return out


def _positions(s, token, docs):
    """``{doc: positions of token}`` for the (sorted) ``docs``."""
    out = {}
    matcher = s.reader().postings("content", token)
    for doc in docs:
        if not matcher.is_active():
            break
        if matcher.id() < doc:
            matcher.skip_to(doc)
            if not matcher.is_active():
                break
        if matcher.id() == doc:
            out[doc] = matcher.value_as("positions")
    return out


def phrase_filter(s, tokens, candidates):
    """The ``candidates`` where the folded ``tokens`` stand side by side."""
    starts = None
    docs = sorted(candidates)
    for offset, token in enumerate(tokens):
        positions = _positions(s, token, docs)
        shifted = {d: {p - offset for p in ps} for d, ps in positions.items()}
        starts = shifted if starts is None else \
            {d: starts[d] & shifted.get(d, set()) for d in starts}
        starts = {d: ps for d, ps in starts.items() if ps}
        docs = sorted(starts)
        if not docs:
            return set()
    return set(starts)


# -- the index ---------------------------------------------------------------
def _set_aside(directory, why):
    """Move ``directory`` out of the way (kept for a post-mortem) and start
    an empty index in its place."""
    aside = "%s.set-aside-%s" % (directory.rstrip(os.sep), time.strftime("%Y%m%d-%H%M%S"))
    os.rename(directory, aside)
    os.makedirs(directory)
    log.error("full-text index set aside (%s) to %s; rebuilding it from the database",
              why, aside)
    return index.create_in(directory, make_schema())


class FullText:
    """An on-disk Whoosh index with per-thread long-lived searchers."""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.ix = self._open(directory)
        self.generation = 0             # bumped by this process's writes
        self._local = threading.local()

    @staticmethod
    def _open(directory):
        """The index in ``directory``; a fresh one where there is none, or
        where the one there cannot serve (damaged files, an older schema).
        ZODB is the truth: the start-up sees an empty index beside a full
        catalog and queues every record (``indexing.prepare``)."""
        try:
            ix = index.open_dir(directory) if index.exists_in(directory) else None
            if ix is not None:
                ix.searcher().close()           # opens every segment
        except Exception:
            log.exception("full-text index in %s is unreadable", directory)
            return _set_aside(directory, "unreadable")
        if ix is None:
            return index.create_in(directory, make_schema())
        if sorted(ix.schema.names()) != sorted(make_schema().names()):
            ix.close()
            return _set_aside(directory, "another schema")
        return ix

    # -- writing ---------------------------------------------------------
    def apply(self, documents, deletions=(), timeout=30.0):
        """Write ``documents`` (dicts, replacing by path) and delete
        ``deletions`` (paths) in one Whoosh commit.  Idempotent."""
        writer = self.ix.writer(timeout=timeout)
        try:
            for path in deletions:
                writer.delete_by_term("path", path)
            for doc in documents:
                writer.update_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self.generation += 1

    def clear(self):
        self.ix = index.create_in(self.directory, make_schema())
        self.generation += 1

    # -- reading ---------------------------------------------------------
    def searcher(self):
        """This thread's searcher, refreshed when the index changed."""
        local = self._local
        s = getattr(local, "searcher", None)
        now = time.monotonic()
        if s is None:
            s = local.searcher = self.ix.searcher()
        elif local.generation != self.generation or now - local.checked > REFRESH_EVERY:
            s = local.searcher = self._refreshed(s)
        else:
            return s
        local.generation, local.checked = self.generation, now
        return s

    def _refreshed(self, s):
        """A searcher over the index as committed now.  Never
        ``Searcher.refresh()``: whoosh3's reader reuse keeps a segment's
        reader when only its deletions changed (an updated record then
        matches twice, old and new) and keeps segments a merge removed.
        Opening readers anew is cheap; the costly per-segment lists are
        cached by segment id (:func:`_by_segment`)."""
        if s.up_to_date():
            return s
        s.close()
        return self.ix.searcher()

    def paths(self):
        """The set of indexed paths."""
        s = self.searcher()
        column = self._column(s, "path")
        return {column[d] for d in s.reader().all_doc_ids()}

    def doc_count(self):
        return self.searcher().doc_count()

    def search(self, text, filters=None, principals=None, sort=None, start=0,
               size=20, facets=FACETS):
        """``{"total", "hits": [{…stored fields, "score", "snippet"}],
        "facets": {name: {value: count}}}``.

        Whoosh stores the postings, the columns and the documents; matching,
        counting and ranking are set and dict operations (:mod:`.scoring`)
        over postings cached per searcher — Whoosh's own collectors walk
        every match in Python and cost ten times more (bench/search.py)."""
        from .analysis import parse_query
        s = self.searcher()
        clauses = parse_query(text)
        docs = self.matching_docs(s, clauses, filters or {}, principals)
        if sort in ("date", "date_asc"):
            ranked = [(0.0, d) for d in scoring.newest(
                self._column(s, "issued_on"), docs, start + size, sort == "date")]
        else:
            scores = self.scores(s, clauses, docs)
            ranked = [(score, -neg) for score, neg in scoring.top(scores, docs, start + size)]
        hits = [self._hit(s, d, score, clauses) for score, d in ranked[start:start + size]]
        return {"total": len(docs), "hits": hits,
                "facets": self.facet_counts(s, docs, facets) if facets else {}}

    @staticmethod
    def _hit(s, docnum, score, clauses):
        from .analysis import snippet
        fields = dict(s.stored_fields(docnum))
        fields["snippet"] = snippet(fields.pop("content", "") or "", clauses,
                                    body_at=fields.pop("body_at", 0) or 0)
        fields["score"] = round(score, 4)
        return fields

    # -- matching and ranking --------------------------------------------
    def weights(self, s, text):
        return self._cached(s, ("w", text), lambda: _weights(s, "content", text))

    def matching_docs(self, s, clauses, filters, principals):
        """The set of document numbers matching every clause and filter."""
        parts = [self._clause_docs(s, kind, arg) for kind, arg in clauses
                 if kind != "phrase"]
        parts += [self._cached(s, ("term", name, str(value)),
                               lambda n=name, v=str(value): set(_weights(s, n, v)))
                  for name, value in filters.items()
                  if name in FACETS + ("recalled",) and value not in (None, "")]
        lo, hi = filters.get("from"), filters.get("to")
        if lo or hi:
            parts.append(self._cached(s, ("range", lo, hi), lambda: self._range(s, lo, hi)))
        if principals is not None:
            parts.append(self._cached(s, ("allowed",) + tuple(sorted(principals)),
                                      lambda: scoring.union(_weights(s, "allowed", p)
                                                            for p in principals)))
        phrases = [arg for kind, arg in clauses if kind == "phrase"]
        parts += [self.weights(s, fold(t)) for tokens in phrases for t in tokens]
        if not parts:
            return set(self._cached(s, ("all",), lambda: set(s.reader().all_doc_ids())))
        docs = scoring.intersect(parts)
        for tokens in phrases:
            docs = phrase_filter(s, [fold(t) for t in tokens], docs)
        return docs

    def _clause_docs(self, s, kind, arg):
        if kind == "term":      # the folded form is indexed wherever the exact one is
            return self.weights(s, fold(arg))
        return self._cached(s, ("prefix", fold(arg)), lambda: scoring.union(
            self.weights(s, t) for t in self._expand(s, fold(arg))))

    @staticmethod
    def _expand(s, prefix):
        return [t.decode() if isinstance(t, bytes) else t
                for t in s.reader().expand_prefix("content", prefix)]

    def _range(self, s, lo, hi):
        column = self._column(s, "issued_on")
        return {d for d in s.reader().all_doc_ids()
                if (not lo or column[d] >= lo) and (not hi or column[d] <= hi)}

    def scores(self, s, clauses, docs):
        """BM25 of ``docs``: each word folded, plus its exact form boosted
        when typed with diacritics; a prefix scores the words it expands to."""
        bm25 = self._cached(s, ("bm25",), lambda: scoring.BM25(
            self._lengths(s), s.doc_count_all()))
        scores = {}
        for kind, arg in clauses:
            words = arg if kind == "phrase" else [arg]
            for word in words:
                if kind == "prefix":
                    for term in self._expand(s, fold(word))[:50]:
                        bm25.add(scores, docs, self.weights(s, term))
                    continue
                bm25.add(scores, docs, self.weights(s, fold(word)))
                if has_marks(word):
                    bm25.add(scores, docs, self.weights(s, word), scoring.EXACT_BOOST)
        return scores

    @staticmethod
    def _lengths(s):
        def read(reader):
            return [reader.doc_field_length(d, "content", 0)
                    for d in range(reader.doc_count_all())]
        return _by_segment(s, "#lengths", read)

    @staticmethod
    def _cached(s, key, compute):
        """Per-searcher memo: a refresh makes a new searcher, so nothing
        cached outlives the segments it was read from."""
        cache = s.__dict__.setdefault("_archive_cache", {})
        found = cache.get(key)
        if found is None:
            if len(cache) > 512:
                cache.clear()
            found = cache[key] = compute()
        return found

    def facet_counts(self, s, docs, names):
        """Counts per value of each facet over every matching document."""
        counts = {}
        for name in names:
            column = self._column(s, name)
            counter = Counter(column[d] for d in docs)
            counter.pop("", None)
            counter.pop("-", None)
            counts[name] = dict(counter.most_common())
        return counts

    @staticmethod
    def _column(s, name):
        """The column ``name`` as a list by document number, cached per
        searcher and built from per-segment lists (segments never change,
        so after a write only the new segment is read)."""
        def read(reader):
            if not reader.has_column(name):
                return [""] * reader.doc_count_all()
            return [v.decode() if isinstance(v, bytes) else v
                    for v in reader.column_reader(name)]
        return FullText._cached(s, ("column", name), lambda: _by_segment(s, name, read))

    def close(self):
        s = getattr(self._local, "searcher", None)
        if s is not None:
            s.close()
        self.ix.close()


# -- the same queries as Whoosh query objects ---------------------------------
# Not used to answer /search: bench/search.py runs them on the bare index to
# measure what the app adds or saves.
def whoosh_query(clauses, filters=None, principals=None):
    """Clauses and filters as one Whoosh query."""
    parts = [_BUILDERS[kind](arg) for kind, arg in clauses]
    parts += [query.Term(name, str(value)) for name, value in (filters or {}).items()
              if name in FACETS + ("recalled",) and value not in (None, "")]
    lo, hi = (filters or {}).get("from"), (filters or {}).get("to")
    if lo or hi:
        parts.append(query.TermRange("issued_on", lo or None, hi or None))
    if principals is not None:
        parts.append(query.Or([query.Term("allowed", p) for p in principals]))
    if not parts:
        return query.Every()
    return parts[0] if len(parts) == 1 else query.And(parts)


def _exact_or_folded(make, token):
    if not has_marks(token):
        return make(token)
    return query.Or([make(token, boost=scoring.EXACT_BOOST), make(fold(token))])


_BUILDERS = {
    "term": lambda t: _exact_or_folded(lambda x, **kw: query.Term("content", x, **kw), t),
    "prefix": lambda t: _exact_or_folded(lambda x, **kw: query.Prefix("content", x, **kw), t),
    "phrase": lambda ts: query.Phrase("content", [fold(t) for t in ts]),
}


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
    return doc


def normalize_stored(text):
    """NFC (the analyser lower-cases on the fly, offsets stay valid)."""
    import unicodedata
    return unicodedata.normalize("NFC", text)


__all__ = ["FullText", "normalize", "document"]
