"""Every use of Whoosh's private internals, in one place, with a self-test.

Search reads postings block by block as whole arrays (``_read_ids``,
``_read_weights``, ``_next_block``, ``block._values``) instead of one
posting at a time through the public matcher API — the difference between
12 ms and 120 ms at p50 on 100 000 records (bench/search.py).  Those names
are whoosh3's, not its API: a release may change them.  So they are read
here only, and :func:`self_test` (run at start-up by ``indexing.startup``)
indexes three documents and checks that matching, BM25 order and phrases
give the known answers; if whoosh3 changed underneath, the app refuses to
start with a clear message instead of answering searches wrongly.

Tested with whoosh3 3.54 (the range pinned in pyproject.toml).
"""
import shutil
import tempfile
from functools import cache


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


class WhooshChanged(RuntimeError):
    """whoosh3's internals no longer behave as archive_repo reads them."""


SELF_TEST = [
    {"path": "/t/1", "content": "Quyết định phê duyệt kế hoạch chuyển đổi số kế hoạch"},
    {"path": "/t/2", "content": "Công văn về hoạch định kế toán và quyết định khác của sở"},
    {"path": "/t/3", "content": "Báo cáo tình hình chuyển đổi số"},
]
# query → the paths expected, in rank order
EXPECTED = {
    # typed without marks, folded: /t/2 has "định" twice (hoạch định, quyết định)
    "quyet dinh": ["/t/2", "/t/1"],
    # every word required; BM25 puts the twice-exact /t/1 first
    "kế hoạch": ["/t/1", "/t/2"],
    # a phrase: only where the syllables stand side by side
    '"ke hoach"': ["/t/1"],
    # a three-syllable phrase; the shorter text first
    '"chuyen doi so"': ["/t/3", "/t/1"],
    # the syllables exist, never in this order
    '"hoach ke"': [],
}


def self_test():
    """Index SELF_TEST in a throw-away folder and check EXPECTED; raise
    WhooshChanged naming the first wrong answer.  Once per process: the
    installed whoosh3 does not change under a running process."""
    _self_test()


@cache
def _self_test():
    from .fulltext import FullText, document
    folder = tempfile.mkdtemp(prefix="archive-repo-whoosh-")
    fulltext = FullText(folder)
    try:
        fulltext.apply([document(dict(_blank(), **doc)) for doc in SELF_TEST])
        for text, expected in EXPECTED.items():
            found = [hit["path"] for hit in fulltext.search(text, facets=())["hits"]]
            if found != expected:
                raise WhooshChanged(
                    "whoosh3 không còn hoạt động như archive_repo đọc nó (truy vấn %r: %r, "
                    "cần %r); hãy cài bản whoosh3 trong khoảng pyproject.toml cho phép"
                    % (text, found, expected))
    finally:
        fulltext.close()
        shutil.rmtree(folder, ignore_errors=True)


def _blank():
    return {"subject": "", "notation": "", "number": 0, "text_source": "none", "body_at": 0,
            "agency": "x", "year": "2026", "doctype": "CV", "legal_status": "-",
            "urgency": "-", "issued_on": "2026-01-01", "recalled": "false", "allowed": ()}
