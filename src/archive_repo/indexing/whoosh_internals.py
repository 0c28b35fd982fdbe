"""Every use of Whoosh's private internals, in one place, with a self-test.

Search reads postings block by block as whole arrays (``_read_ids``,
``_read_weights``, ``_next_block``, ``block._values``) instead of one
posting at a time through the public matcher API — the difference between
12 ms and 120 ms at p50 on 100 000 records (bench/search.py).  Those names
are whoosh3's, not its API: a release may change them.  So they are read
here only, and ``whoosh_selftest.self_test`` (run at start-up by
``indexing.startup``) indexes three documents and checks that matching, BM25 order and phrases
give the known answers; if whoosh3 changed underneath, the app refuses to
start with a clear message instead of answering searches wrongly.

Tested with whoosh3 3.54 (the range pinned in pyproject.toml).
"""
from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter


def raw_matcher(reader, field, text):
    """The term's raw postings in one segment, deleted documents included
    (the snapshot's ``live`` mask removes them), or None."""
    if (field, text) not in reader:
        return None
    matcher = reader.postings(field, text)
    child = getattr(matcher, "child", None)
    # a segment with deletions wraps its matcher in an exclusion matcher
    return child if child is not None and getattr(matcher, "_exclude", False) else matcher


def posting_blocks(m):
    """``(ids, weights, block matcher)`` block by block.  The whoosh3 codec
    keeps ids and weights as arrays per block; read them whole instead of
    one posting at a time (other codecs: the generic walk)."""
    if not hasattr(m, "_read_weights"):
        ids, weights = [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        yield ids, weights, None
        return
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        yield m._ids, m._weights, m
        m._next_block()


def block_values(block):
    """The encoded values (positions) of a block's postings."""
    if block._values is None:
        block._read_values()
    return block._values


def segments(ix):
    """The index's segments (for their sizes)."""
    return ix._segments()


def compact_codec(blocklimit, compression):
    """whoosh3's codec, its posting blocks keeping whole-number weights
    (our term frequencies) as pickled ints, 2 bytes each for most, instead
    of 9-byte floats: 8 % smaller an index (bench/search.py).  The reader
    is whoosh3's own: it takes the weights tuple as it finds it."""
    return CompactCodec(blocklimit=blocklimit, compression=compression)


class _CompactPostingsWriter(W3PostingsWriter):
    def _mini_weights(self):
        found = super()._mini_weights()
        if isinstance(found, tuple) and all(w.is_integer() for w in found):
            return tuple(int(w) for w in found)
        return found


class CompactCodec(W3Codec):
    """Named in each segment's table of contents: keep it importable here."""

    def postings_writer(self, dbfile, byteids=False):
        return _CompactPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                      compression=self._compression,
                                      inlinelimit=self._inlinelimit)
