"""Matching, ranking and counting over arrays — no search engine here.

The full-text module hands over, per term, sorted document numbers with
their term frequencies, and per column an array of codes into the
column's distinct values; this module intersects, ranks and counts them
with numpy, so a query touching 50 000 documents costs milliseconds, not a
Python loop per document (bench/search.py).

Ranking is BM25 (k1 = 1.2, b = 0.75, Whoosh's defaults), summed over the
query's words.  A word typed with its diacritics scores its exact form
twice on top of its folded form, so exact matches come first while folded
ones still match.  Ties are broken by document number, so a page never
depends on the order sets happen to iterate in.
"""
import numpy as np

K1, B = 1.2, 0.75
EXACT_BOOST = 2.0
EMPTY_IDS = np.zeros(0, dtype=np.int32)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


# -- sets of documents (sorted int32 arrays) -----------------------------------
def intersect(parts, size):
    """Documents in every one of ``parts``, sorted; smallest part first, each
    further part a boolean lookup of the survivors."""
    parts = sorted(parts, key=len)
    docs = parts[0]
    for other in parts[1:]:
        if not len(docs):
            break
        present = np.zeros(size, dtype=bool)
        present[other] = True
        docs = docs[present[docs]]
    return docs


def union(parts):
    parts = [p for p in parts if len(p)]
    if not parts:
        return EMPTY_IDS
    return np.unique(np.concatenate(parts)).astype(np.int32)


def distinct_sorted(values):
    """The distinct values of a sorted array (no second sort)."""
    if not len(values):
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def ranges(starts, ends):
    """The indices of every slice ``[starts[i], ends[i])``, in order."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


def in_range(dates, lo, hi):
    """Documents whose ISO date lies in [lo, hi] (either end open)."""
    keep = dates != "-"
    if lo:
        keep &= dates >= lo
    if hi:
        keep &= dates <= hi
    return np.flatnonzero(keep).astype(np.int32)


# -- columns as codes -------------------------------------------------------------
def encode(values):
    """``(codes int32, distinct values)`` of a list of strings."""
    distinct, codes = np.unique(np.asarray(values, dtype=object).astype(str),
                                return_inverse=True)
    return codes.astype(np.int32).ravel(), [str(v) for v in distinct]


def merge_codes(parts):
    """One ``(codes, values)`` from each segment's own, in segment order."""
    values, index = [], {}
    merged = []
    for codes, local in parts:
        remap = np.empty(len(local), dtype=np.int32)
        for i, value in enumerate(local):
            if value not in index:
                index[value] = len(values)
                values.append(value)
            remap[i] = index[value]
        merged.append(remap[codes] if len(codes) else EMPTY_IDS)
    return (np.concatenate(merged) if merged else EMPTY_IDS), values


def count_values(codes, values, docs, ignore=()):
    """``{value: count}`` over ``docs``, most frequent first (then by value)."""
    if not len(docs):
        return {}
    counts = np.bincount(codes[docs], minlength=len(values))
    found = [(values[i], int(counts[i])) for i in np.flatnonzero(counts)
             if values[i] not in ignore]
    return dict(sorted(found, key=lambda pair: (-pair[1], pair[0])))


# -- ranking ------------------------------------------------------------------------
class BM25:
    """Scores over one snapshot: ``lengths[doc]`` is the field length,
    averaged over the live documents."""

    def __init__(self, lengths, live):
        self.lengths = lengths
        self.total = max(int(live.sum()), 1)
        self.avg = float(lengths[live].mean()) if live.any() else 1.0
        self.avg = self.avg or 1.0

    def idf(self, df):
        return float(np.log(self.total / (df + 1)) + 1.0)

    def add(self, scores, docs, ids, weights, boost=1.0):
        """Add one term's BM25 (``ids``/``weights``: its postings) to
        ``scores``, aligned with the sorted ``docs``."""
        if not len(ids) or not len(docs):
            return
        at = np.searchsorted(ids, docs)
        at[at == len(ids)] = 0
        tf = np.where(ids[at] == docs, weights[at], 0.0).astype(np.float32)
        norm = K1 * ((1 - B) + B * self.lengths[docs] / self.avg)
        scores += (self.idf(len(ids)) * boost) * tf * (K1 + 1) / (tf + norm)


def top(scores, docs, limit):
    """``[(score, doc)]`` of the ``limit`` best, best first, ties by doc."""
    if not len(docs) or limit <= 0:
        return []
    if len(docs) > limit:
        # everything scoring at least the limit-th best, ties included
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        chosen = np.flatnonzero(scores >= kth)
    else:
        chosen = np.arange(len(docs))
    order = chosen[np.lexsort((docs[chosen], -scores[chosen]))][:limit]
    return [(float(scores[i]), int(docs[i])) for i in order]


def by_date(dates, docs, limit, newest_first=True):
    """``[doc]`` ordered by date (ISO strings), ties by doc in the same
    direction."""
    if not len(docs):
        return []
    order = np.lexsort((docs, dates[docs]))
    if newest_first:
        order = order[::-1]
    return [int(d) for d in docs[order[:limit]]]
