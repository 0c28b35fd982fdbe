"""Matching, BM25 ranking and counting over arrays."""
import numpy as np


def _scoring():
    from archive_repo.indexing import scoring
    return scoring


def _ids(*docs):
    return np.array(docs, dtype=np.int32)


def test_intersect_and_union_of_sorted_document_arrays():
    s = _scoring()
    both = s.intersect([_ids(1, 2, 5), _ids(2, 5, 9), _ids(0, 2, 5, 7)], size=10)
    assert both.tolist() == [2, 5]
    assert s.intersect([_ids(1, 2), _ids()], size=10).tolist() == []
    assert s.union([_ids(1), _ids(2, 3), _ids(3)]).tolist() == [1, 2, 3]
    assert s.union([]).tolist() == []


def _bm25(lengths):
    s = _scoring()
    lengths = np.array(lengths, dtype=np.float32)
    return s.BM25(lengths, np.ones(len(lengths), dtype=bool))


def test_more_occurrences_and_shorter_documents_rank_higher():
    s = _scoring()
    bm25 = _bm25([100, 100, 20, 100])
    docs = _ids(0, 1, 2)
    scores = np.zeros(3, dtype=np.float32)
    bm25.add(scores, docs, _ids(0, 1, 2), np.array([1.0, 4.0, 1.0], dtype=np.float32))
    assert scores[1] > scores[0]          # same length, more occurrences
    assert scores[2] > scores[0]          # same occurrences, shorter
    assert s.top(scores, docs, 1)[0][1] in (1, 2)


def test_rare_words_weigh_more_and_boost_multiplies():
    bm25 = _bm25([50] * 10)
    docs = _ids(0)
    common, rare, boosted = (np.zeros(1, dtype=np.float32) for _ in range(3))
    bm25.add(common, docs, np.arange(9, dtype=np.int32), np.ones(9, dtype=np.float32))
    bm25.add(rare, docs, _ids(0), np.ones(1, dtype=np.float32))
    assert rare[0] > common[0]
    bm25.add(boosted, docs, _ids(0), np.ones(1, dtype=np.float32), boost=2.0)
    assert abs(boosted[0] - 2 * rare[0]) < 1e-5


def test_documents_without_the_term_score_nothing_for_it():
    bm25 = _bm25([10] * 5)
    docs = _ids(1, 2, 3)
    scores = np.zeros(3, dtype=np.float32)
    bm25.add(scores, docs, _ids(0, 1, 3, 4), np.array([1, 1, 2, 1], dtype=np.float32))
    assert scores[1] == 0 and scores[0] > 0 and scores[2] > scores[0]


def test_top_is_best_first_with_ties_by_document_number():
    s = _scoring()
    docs = _ids(3, 5, 8, 9, 12)
    scores = np.array([1.0, 2.0, 2.0, 0.5, 2.0], dtype=np.float32)
    assert s.top(scores, docs, 2) == [(2.0, 5), (2.0, 8)]
    assert [d for _, d in s.top(scores, docs, 10)] == [5, 8, 12, 3, 9]


def test_by_date_orders_by_iso_date_then_document():
    s = _scoring()
    dates = np.array(["2024-01-01", "2026-05-01", "2025-03-03", "2026-05-01"], dtype="U10")
    docs = _ids(0, 1, 2, 3)
    assert s.by_date(dates, docs, 3) == [3, 1, 2]
    assert s.by_date(dates, docs, 4, newest_first=False) == [0, 2, 1, 3]


def test_codes_merge_across_segments_and_count():
    s = _scoring()
    first = s.encode(["QĐ", "CV", "QĐ"])
    second = s.encode(["TB", "QĐ"])
    codes, values = s.merge_codes([first, second])
    assert [values[c] for c in codes] == ["QĐ", "CV", "QĐ", "TB", "QĐ"]
    assert s.count_values(codes, values, _ids(0, 1, 2, 4)) == {"QĐ": 3, "CV": 1}
    assert s.count_values(codes, values, _ids(3), ignore=("TB",)) == {}


def test_in_range_keeps_known_dates_within_bounds():
    s = _scoring()
    dates = np.array(["2026-01-05", "-", "2026-03-31", "2026-04-01"], dtype="U10")
    assert s.in_range(dates, "2026-01-01", "2026-03-31").tolist() == [0, 2]
    assert s.in_range(dates, None, "2026-02-01").tolist() == [0]
    assert s.in_range(dates, "2026-03-01", None).tolist() == [2, 3]


def test_ranges_gathers_every_slice_in_order():
    import numpy as np
    from archive_repo.indexing.scoring import ranges
    starts, ends = np.array([0, 3, 3, 7]), np.array([2, 3, 5, 8])
    assert ranges(starts, ends).tolist() == [0, 1, 3, 4, 7]
    assert ranges(np.array([4]), np.array([4])).tolist() == []
