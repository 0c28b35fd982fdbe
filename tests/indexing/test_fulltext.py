"""The on-disk full-text index as the app's long-lived searchers see it:
after an update or a merge a record matches once, in its new state."""
import pytest


def _doc(number, content="Điều khoản chuyển đổi số", recalled="0"):
    from archive_repo.indexing.fulltext import document
    return document({"path": "/000.00.00.H38/2026/%d" % number, "content": content,
                     "agency": "000.00.00.H38", "year": 2026, "issued_on": "2026-03-05",
                     "recalled": recalled, "allowed": ["role:archivist"]})


@pytest.fixture
def fulltext(tmp_path):
    from archive_repo.indexing.fulltext import FullText
    index = FullText(str(tmp_path / "index"))
    yield index
    index.close()


def _total(fulltext, text="chuyển đổi số", **filters):
    return fulltext.search(text, filters=filters, principals=["role:archivist"])["total"]


def test_an_updated_record_matches_once_in_its_new_state(fulltext):
    fulltext.apply([_doc(n) for n in range(1, 11)])
    assert _total(fulltext) == 10                  # this thread now holds a searcher
    fulltext.apply([_doc(1, recalled="1")])
    assert _total(fulltext) == 10
    assert fulltext.doc_count() == 10
    assert _total(fulltext, recalled="1") == 1 and _total(fulltext, recalled="0") == 9


def test_after_a_merge_nothing_is_counted_twice(fulltext):
    for n in range(1, 13):                         # one segment per commit...
        fulltext.apply([_doc(n)])
        assert _total(fulltext) == n
    writer = fulltext.ix.writer()                  # ...then merged into one
    writer.commit(optimize=True)
    fulltext.generation += 1
    assert _total(fulltext) == 12
    fulltext.apply([], ["/000.00.00.H38/2026/5"])
    assert _total(fulltext) == 11
