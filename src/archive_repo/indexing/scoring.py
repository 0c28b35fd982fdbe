"""Ranking and matching over posting dictionaries — no search engine here.

The full-text module hands over, per term, ``{docnum: term frequency}``
(read block by block from the index and cached per searcher) and the field
length of every document; this module intersects, unites and ranks them.
Sets and dicts do the work at C speed, which is what makes a pure-Python
index answer in milliseconds (bench/search.py).

Ranking is BM25 (k1 = 1.2, b = 0.75, Whoosh's defaults), summed over the
query's words.  A word typed with its diacritics scores its exact form
twice on top of its folded form, so exact matches come first while folded
ones still match.
"""
import heapq
import math

K1, B = 1.2, 0.75
EXACT_BOOST = 2.0


def intersect(collections):
    """Members common to every collection (sets or dicts), smallest first."""
    collections = sorted(collections, key=len)
    if not collections:
        return set()
    first, rest = collections[0], collections[1:]
    return {d for d in first if all(d in other for other in rest)}


def union(collections):
    out = set()
    for c in collections:
        out.update(c)
    return out


class BM25:
    """Scores for documents of one searcher: ``lengths[docnum]`` is the
    field length, ``total`` the number of documents."""

    def __init__(self, lengths, total):
        self.lengths = lengths
        self.total = max(total, 1)
        self.avg = (sum(lengths) / len(lengths)) if lengths else 1.0
        self.avg = self.avg or 1.0

    def idf(self, df):
        return math.log(self.total / (df + 1)) + 1.0

    def add(self, scores, docs, weights, boost=1.0):
        """Add the BM25 of one term (``weights``: docnum → tf) to ``scores``
        for every doc in ``docs``."""
        if not weights:
            return
        idf = self.idf(len(weights)) * boost
        lengths, avg = self.lengths, self.avg
        # walk the smaller side
        if len(weights) < len(docs):
            pairs = ((d, tf) for d, tf in weights.items() if d in docs)
        else:
            pairs = ((d, weights.get(d)) for d in docs)
        for d, tf in pairs:
            if tf:
                norm = K1 * ((1 - B) + B * lengths[d] / avg)
                scores[d] = scores.get(d, 0.0) + idf * tf * (K1 + 1) / (tf + norm)


def top(scores, docs, limit):
    """``[(score, docnum)]``, best first, ties by docnum."""
    return heapq.nlargest(limit, ((scores.get(d, 0.0), -d) for d in docs))


def newest(keys, docs, limit, reverse=True):
    """``[docnum]`` ordered by ``keys[docnum]`` (ISO dates)."""
    pick = heapq.nlargest if reverse else heapq.nsmallest
    return [d for _, d in pick(limit, ((keys[d], d) for d in docs))]
