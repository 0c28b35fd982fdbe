"""Vietnamese analysis: normalisation, folding, tokens, query parsing."""
import unicodedata


def _analysis():
    from archive_repo.indexing import analysis
    return analysis


def test_fold_removes_every_mark_and_d_stroke():
    a = _analysis()
    assert a.fold(a.normalize("Quyết định ĐỔI mới Ưu tiên Hỏa tốc")) == \
        "quyet dinh doi moi uu tien hoa toc"


def test_icelandic_eth_lookalike_is_read_as_d_stroke():
    a = _analysis()
    assert a.normalize("\u00d0ỔI") == "đổi"
    assert a.fold(a.normalize("\u00d0ỔI")) == "doi"


def test_decomposed_input_is_normalised_to_nfc():
    a = _analysis()
    decomposed = unicodedata.normalize("NFD", "Quyết định")
    assert decomposed != "Quyết định"
    assert a.normalize(decomposed) == "quyết định"


def test_folding_table_covers_all_vietnamese_vowels():
    a = _analysis()
    vowels = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    assert set(a.fold(vowels)) == set("aeiouy")
    assert a.fold(vowels.upper().lower()) == a.fold(vowels)


def test_index_terms_exact_and_folded_at_same_position():
    a = _analysis()
    terms = [(pos, term) for pos, term, _, _ in a.index_terms("Quyết định")]
    assert terms == [(0, "quyết"), (0, "quyet"), (1, "định"), (1, "dinh")]


def test_notation_is_one_token_as_written_plus_its_syllables():
    a = _analysis()
    terms = {term for _, term, _, _ in a.index_terms("Số: 123/QĐ-UBND ngày")}
    assert {"123/qđ-ubnd", "qđ-ubnd", "123/qd-ubnd", "qd-ubnd", "qđ", "ubnd", "123"} <= terms


def test_char_offsets_point_at_the_original_text():
    a = _analysis()
    text = "Kế hoạch chuyển đổi số"
    for _, term, start, end in a.index_terms(text):
        assert a.fold(a.normalize(text[start:end])) == a.fold(term)


def test_parse_query_kinds():
    a = _analysis()
    assert a.parse_query('quyet "chuyển đổi số" chuyen* 123/QĐ-UBND') == [
        ("term", "quyet"), ("phrase", ["chuyển", "đổi", "số"]), ("prefix", "chuyen"),
        ("term", "123/qđ-ubnd")]


def test_parse_query_empty_and_punctuation():
    a = _analysis()
    assert a.parse_query("") == []
    assert a.parse_query("  ,;  ") == []


def test_snippet_marks_folded_matches_and_prefers_the_body():
    from archive_repo.indexing.analysis import parse_query, snippet
    head = "Về việc chuyển đổi số\n1/QĐ-UBND\nQĐ\nNguyễn Văn An\n"
    text = head + "Điều 1. Phê duyệt kế hoạch Chuyển đổi số của tỉnh."
    out = snippet(text, parse_query("chuyen doi so"), body_at=len(head))
    assert out.startswith("Điều 1.")                      # not the header again
    assert "<mark>Chuyển</mark> <mark>đổi</mark> <mark>số</mark>" in out
    # no match in the body: the header's match is shown
    only_head = snippet(head + "Điều 1. Nội dung khác.", parse_query("Nguyễn"),
                        body_at=len(head))
    assert "<mark>Nguyễn</mark>" in only_head
    # text is escaped, marks are the only markup
    assert "&lt;b&gt;" in snippet("<b> chuyển", parse_query("chuyen"))


def test_snippet_marks_every_spelling_that_folds_to_the_query():
    """Upper case, marks, đ and the look-alike Ð, matched on the stored
    text itself (not a folded copy)."""
    from archive_repo.indexing.analysis import parse_query, snippet
    out = snippet("Quyết ĐỊNH về Ðiều 5; chuyển đổi; 12/QĐ-UBND; quyết", parse_query(
        "quyet dinh dieu chuyen* qd-ubnd"))
    assert out == ("<mark>Quyết</mark> <mark>ĐỊNH</mark> về <mark>Ðiều</mark> 5; "
                   "<mark>chuyển</mark> đổi; 12/<mark>QĐ-UBND</mark>; <mark>quyết</mark>")
    assert "<mark>" not in snippet("quyết định", parse_query("quyen"))
