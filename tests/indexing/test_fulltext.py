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


PHRASES = {
    1: "Người sử dụng lao động phải trả lương đúng hạn cho người lao động.",
    # every overlapping run of "người sử dụng lao động", never side by side
    2: "Người sử dụng đất nộp thuế; việc sử dụng lao động chưa thành niên bị cấm.",
    3: "Ký hợp đồng lao vụ với cộng đồng lao động địa phương.",
    4: "Hai bên giao kết hợp đồng lao động bằng văn bản.",
    5: "Lao vào công việc, vận động quần chúng.",
    6: "Ủy ban nhân dân tỉnh Lào Cai ban hành kế hoạch chuyển đổi số năm 2026.",
}


@pytest.fixture
def phrases(fulltext):
    fulltext.apply([_doc(n, text) for n, text in PHRASES.items()])
    return fulltext


def _found(fulltext, text):
    hits = fulltext.search(text, principals=["role:archivist"], size=50)["hits"]
    return sorted(int(h["path"].rsplit("/", 1)[1]) for h in hits)


@pytest.mark.parametrize("text,numbers", [
    ('"lao động"', [1, 2, 3, 4]),                        # two syllables side by side
    ('"lao dong"', [1, 2, 3, 4]),                        # (5 has both, apart)
    ('"hợp đồng lao động"', [4]),                         # four: 3 has both runs apart
    ('"người sử dụng lao động"', [1]),                    # five: 2 has every run apart
    ('"nguoi su dung lao dong phai tra"', [1]),           # seven: three runs to check
    ('"ủy ban nhân dân tỉnh lào cai"', [6]),
    ('"lao động phải trả lương sai hạn"', []),
])
def test_phrases_of_any_length_match_only_side_by_side(phrases, text, numbers):
    assert _found(phrases, text) == numbers


def test_phrases_stay_right_after_updates_and_deletions(phrases):
    assert _found(phrases, '"người sử dụng lao động"') == [1]
    phrases.apply([_doc(2, PHRASES[1]), _doc(1, PHRASES[2])])      # swapped texts
    assert _found(phrases, '"người sử dụng lao động"') == [2]
    phrases.apply([], ["/000.00.00.H38/2026/2"])
    assert _found(phrases, '"người sử dụng lao động"') == []
    assert _found(phrases, '"lao động"') == [1, 3, 4]            # 2 is gone


@pytest.mark.parametrize("text", ['"lao động"', '"hợp đồng lao động"', '"người sử dụng lao động"',
                                  '"nguoi su dung lao dong phai tra"', '"sử dụng đất"'])
def test_whoosh_own_phrase_query_agrees_on_the_packed_positions(phrases, text):
    from archive_repo.indexing.analysis import parse_query
    from tests.support.whoosh_queries import whoosh_query
    with phrases.ix.searcher() as s:
        hits = s.search(whoosh_query(parse_query(text)), limit=None)
        theirs = sorted(int(h["path"].rsplit("/", 1)[1]) for h in hits)
    assert theirs == _found(phrases, text) and theirs


def test_merges_stay_bounded_and_lose_nothing(fulltext, monkeypatch):
    from archive_repo.indexing import fulltext as module
    monkeypatch.setattr(module, "MERGE_FACTOR", 3)
    monkeypatch.setattr(module, "MERGE_MAX_DOCS", 9)
    for n in range(1, 41):                        # one record per commit, as deposits come
        fulltext.apply([_doc(n)])
    sizes = fulltext.segment_sizes()
    assert max(sizes) <= 9                        # never merged past the cap...
    assert len(sizes) < 12                        # ...but merged: not 40 segments
    assert _total(fulltext) == 40
    fulltext.compact()                            # what reindex ends with
    assert fulltext.segment_sizes() == [40] and _total(fulltext) == 40


def test_the_whoosh_self_test_knows_the_answers_and_notices_a_change(monkeypatch):
    """Start-up runs it; a whoosh3 whose block reading changed fails it."""
    from archive_repo.indexing import whoosh_internals, whoosh_selftest
    whoosh_selftest._self_test.__wrapped__()
    # a release whose blocks no longer expose their weights as we read them
    monkeypatch.setattr(whoosh_internals, "posting_blocks",
                        lambda m: iter([([0], [1.0], None)]))
    import archive_repo.indexing.fulltext as fulltext
    monkeypatch.setattr(fulltext, "posting_blocks", whoosh_internals.posting_blocks)
    with pytest.raises(whoosh_selftest.WhooshChanged):
        whoosh_selftest._self_test.__wrapped__()


def test_a_parallel_write_finds_every_document_once(fulltext):
    """What reindex writes with (``procs=2``): one segment per writer
    process, every document found once, replacing by path as one writer does."""
    from archive_repo.indexing.fulltext import MP_BATCH
    n = 2 * MP_BATCH + 7
    fulltext.apply([_doc(k) for k in range(1, 11)])
    fulltext.apply([_doc(k, PHRASES[k % 6 + 1]) for k in range(1, n + 1)], procs=2)
    assert len(fulltext.segment_sizes()) >= 3 and fulltext.doc_count() == n
    assert _total(fulltext, '"người sử dụng lao động"') == len(
        [k for k in range(1, n + 1) if k % 6 + 1 == 1])
    assert _total(fulltext, "chuyển đổi số") == len([k for k in range(1, n + 1) if k % 6 + 1 == 6])


def test_an_index_of_the_former_format_is_set_aside_for_a_rebuild(tmp_path):
    """Same field names, another postings format (content without
    positions, as before issue 17): not read as if it were current."""
    from whoosh import fields, index
    from archive_repo.indexing.fulltext import FullText, make_schema
    folder = tmp_path / "index"
    folder.mkdir()
    old = make_schema()
    old.remove("content")
    old.add("content", fields.TEXT(stored=True))
    writer = index.create_in(str(folder), old).writer()
    writer.add_document(path="/000.00.00.H38/2026/1", content="chuyển đổi số")
    writer.commit()
    fulltext = FullText(str(folder))
    try:
        assert fulltext.doc_count() == 0
        assert len(list(tmp_path.glob("index.set-aside-*"))) == 1
    finally:
        fulltext.close()


def test_positions_round_trip_narrow_and_wide():
    """Gaps in 16 bits, and the wide form where one does not fit: a block
    of both decodes to the positions written."""
    from archive_repo.indexing.fulltext import (_block_positions, decode_positions,
                                                encode_positions)
    lists = [[0, 3, 70000], [5], [1, 2, 3], [65535, 65536 + 65535], [200_000]]
    values = [encode_positions(p) for p in lists]
    assert [decode_positions(v) for v in values] == lists
    assert len(values[2]) == 6 and len(values[0]) % 2 == 1
    for block in (values, values[1:3]):
        counts, found = _block_positions(block)
        expected = [p for v in block for p in decode_positions(v)]
        assert found.tolist() == expected and counts.sum() == len(expected)
