"""Matching and BM25 ranking over posting dictionaries."""


def _scoring():
    from archive_repo.indexing import scoring
    return scoring


def test_intersect_and_union_accept_sets_and_dicts():
    s = _scoring()
    assert s.intersect([{1: 2.0, 2: 1.0, 5: 1.0}, {2, 5, 9}, {5: 3.0, 2: 1.0}]) == {2, 5}
    assert s.intersect([]) == set()
    assert s.union([{1: 1.0}, {2, 3}]) == {1, 2, 3}


def test_more_occurrences_and_shorter_documents_rank_higher():
    s = _scoring()
    bm25 = s.BM25(lengths=[100, 100, 20, 100], total=4)
    scores = {}
    bm25.add(scores, {0, 1, 2}, {0: 1.0, 1: 4.0, 2: 1.0})
    assert scores[1] > scores[0]          # same length, more occurrences
    assert scores[2] > scores[0]          # same occurrences, shorter
    assert [d for _, d in ((sc, -neg) for sc, neg in s.top(scores, {0, 1, 2}, 3))][0] in (1, 2)


def test_rare_words_weigh_more_and_boost_multiplies():
    s = _scoring()
    bm25 = s.BM25(lengths=[50] * 10, total=10)
    common, rare = {}, {}
    bm25.add(common, {0}, {d: 1.0 for d in range(9)})
    bm25.add(rare, {0}, {0: 1.0})
    assert rare[0] > common[0]
    boosted = {}
    bm25.add(boosted, {0}, {0: 1.0}, boost=2.0)
    assert abs(boosted[0] - 2 * rare[0]) < 1e-9


def test_only_given_documents_are_scored():
    s = _scoring()
    bm25 = s.BM25(lengths=[10] * 5, total=5)
    scores = {}
    bm25.add(scores, {1, 3}, {0: 1.0, 1: 1.0, 2: 1.0, 3: 2.0, 4: 1.0})
    assert set(scores) == {1, 3}


def test_newest_orders_by_date_key():
    s = _scoring()
    keys = ["2024-01-01", "2026-05-01", "2025-03-03"]
    assert s.newest(keys, {0, 1, 2}, 2) == [1, 2]
    assert s.newest(keys, {0, 1, 2}, 3, reverse=False) == [0, 2, 1]
