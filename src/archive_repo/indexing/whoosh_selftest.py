"""The start-up check that whoosh3's internals (whoosh_internals.py) still
behave as archive_repo reads them: three documents, known answers."""
import shutil
import tempfile
from functools import cache

from .fulltext import FullText, document


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
