"""GET /search over real PDFs: Vietnamese queries with and without
diacritics, phrases, prefixes, notations as written, filters, facets,
sorting, pagination, ACL filtering — through the whole app."""
import pytest

from tests.support.pdfs import make_pdf

from .conftest import H38, STTTT, SYT, paths, search, settle

PLAN = "/%s/2026/1" % H38
EPIDEMIC = "/%s/2026/2" % H38
VACCINE = "/%s/2026/1" % SYT
OLD = "/%s/2025/7" % H38

DOCS = [
    (H38, 2026, {"number": 1, "doctype": "QĐ", "notation": "QĐ-UBND",
                 "subject": "Về việc phê duyệt kế hoạch chuyển đổi số năm 2026",
                 "issued_on": "2026-03-05", "receivers": [STTTT]},
     ["ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "QUYẾT ĐỊNH",
      "Phê duyệt kế hoạch chuyển đổi số của tỉnh Lào Cai.",
      "Bà Nguyễn Thị Hoa chịu trách nhiệm tổ chức thực hiện."]),
    (H38, 2026, {"number": 2, "doctype": "CV", "notation": "UBND-VP", "urgency": "Khẩn",
                 "subject": "Về việc tăng cường phòng, chống dịch bệnh",
                 "issued_on": "2026-04-10", "receivers": [SYT]},
     ["ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
      "Đề nghị Sở Y tế tăng cường phòng, chống dịch bệnh trong ba tháng tới.",
      "Thực hiện Quyết định số 05/QĐ-UBND."]),
    (SYT, 2026, {"number": 1, "doctype": "KH", "notation": "KH-SYT",
                 "subject": "Kế hoạch tiêm chủng mở rộng",
                 "issued_on": "2026-02-01", "receivers": [H38]},
     ["SỞ Y TẾ TỈNH LÀO CAI", "KẾ HOẠCH",
      "Chuyển giao công nghệ, đổi mới quy trình, số liệu tiêm chủng."]),
    (H38, 2025, {"number": 7, "doctype": "QĐ", "notation": "QĐ-UBND",
                 "subject": "Ban hành quy chế làm việc", "issued_on": "2025-11-20",
                 "receivers": []},
     ["ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "QUYẾT ĐỊNH", "Ban hành quy chế làm việc."]),
]


@pytest.fixture
def corpus(ienv):
    for agency, year, meta, lines in DOCS:
        ienv.deposit(agency=agency, year=year, meta=meta, pdf=make_pdf(lines=lines))
    settle(ienv)
    return ienv


def found_paths(env, **params):
    return set(paths(search(env, **params)))


def test_query_without_diacritics_finds_quyet_dinh(corpus):
    assert found_paths(corpus, q="quyet dinh") == {PLAN, EPIDEMIC, OLD}


def test_query_with_diacritics_finds_the_same(corpus):
    assert found_paths(corpus, q="Quyết định") == {PLAN, EPIDEMIC, OLD}


def test_d_stroke_folds_to_d_and_eth_lookalike_reads_as_d_stroke(corpus):
    assert found_paths(corpus, q="de nghi") == {EPIDEMIC}
    assert found_paths(corpus, q="đề nghị") == {EPIDEMIC}
    assert found_paths(corpus, q="\u00d0Ề NGHỊ") == {EPIDEMIC}


def test_exact_diacritics_rank_first(corpus):
    # "bà" (PLAN) and "ba" (EPIDEMIC) fold alike; typed with its mark,
    # the exact form comes first, the folded one still matches.
    ranked = paths(search(corpus, q="bà"))
    assert ranked == [PLAN, EPIDEMIC]
    assert paths(search(corpus, q="ba tháng"))[0] == EPIDEMIC


def test_phrase_requires_adjacent_syllables(corpus):
    # VACCINE has chuyển, đổi, số — but not side by side
    assert found_paths(corpus, q="chuyen doi so") == {PLAN, VACCINE}
    assert found_paths(corpus, q='"chuyển đổi số"') == {PLAN}
    assert found_paths(corpus, q='"chuyen doi so"') == {PLAN}


def test_prefix(corpus):
    assert found_paths(corpus, q="tiem chu*") == {VACCINE}
    assert found_paths(corpus, q="dịc*") == {EPIDEMIC}


def test_notation_as_written(corpus):
    assert found_paths(corpus, q="05/QĐ-UBND") == {EPIDEMIC}
    assert found_paths(corpus, q="QĐ-UBND") == {PLAN, EPIDEMIC, OLD}
    assert found_paths(corpus, q="qd-ubnd") == {PLAN, EPIDEMIC, OLD}
    assert found_paths(corpus, q="1/QĐ-UBND") == {PLAN}
    assert found_paths(corpus, q="KH-SYT") == {VACCINE}


def test_result_shape_snippet_and_score(corpus):
    found = search(corpus, q="chuyển đổi số")
    first = found["results"][0]
    assert set(first) >= {"url", "subject", "notation", "agency", "issued_on", "snippet",
                          "score"}
    assert first["url"] == "http://localhost" + PLAN
    assert first["notation"] == "QĐ-UBND" and first["issued_on"] == "2026-03-05"
    assert "<mark" in first["snippet"] and first["score"] > 0


def test_filters(corpus):
    assert found_paths(corpus, q="quyet dinh", agency=H38, year="2026") == {PLAN, EPIDEMIC}
    assert found_paths(corpus, q="quyet dinh", doctype="CV") == {EPIDEMIC}
    assert found_paths(corpus, q="", urgency="Khẩn") == {EPIDEMIC}
    assert found_paths(corpus, **{"from": "2026-01-01", "to": "2026-03-31"}) == {PLAN, VACCINE}
    assert found_paths(corpus, q="lao cai", legal_status="equivalent_to_paper") == set()
    assert found_paths(corpus, q="lao cai", recalled="false") == {PLAN, EPIDEMIC, VACCINE, OLD}


def test_facets_count_every_match(corpus):
    facets = search(corpus, q="lao cai", size="1")["facets"]
    assert facets["agency"] == {H38: 3, SYT: 1}
    assert facets["year"] == {"2026": 3, "2025": 1}
    assert facets["doctype"] == {"QĐ": 2, "CV": 1, "KH": 1}
    assert facets["urgency"] == {"Khẩn": 1}


def test_sort_by_date_and_pagination(corpus):
    newest = paths(search(corpus, q="lao cai", sort="date"))
    assert newest == [EPIDEMIC, PLAN, VACCINE, OLD]
    assert paths(search(corpus, q="lao cai", sort="date_asc")) == newest[::-1]
    page2 = search(corpus, q="lao cai", sort="date", size="3", page="2")
    assert page2["total"] == 4 and paths(page2) == [OLD]


def test_clerk_sees_only_what_it_may_read(corpus):
    # STTTT received only PLAN; SYT issued VACCINE and received EPIDEMIC
    assert found_paths(corpus, who=("clerk", STTTT), q="lao cai") == {PLAN}
    assert found_paths(corpus, who=("clerk", SYT), q="lao cai") == {EPIDEMIC, VACCINE}
    facets = search(corpus, who=("clerk", STTTT), q="lao cai")["facets"]
    assert facets["agency"] == {H38: 1}


def test_search_needs_a_token_and_the_right(corpus):
    corpus.testapp.get("/search", params={"q": "lao cai"}, status=401)
    corpus.testapp.get("/search", params={"q": "lao cai"}, headers=corpus.auth("connector"),
                       status=403)


def test_bad_parameters_answer_400(corpus):
    error = search(corpus, q="x", sort="size", status=400)["error"]
    assert error["code"] == "invalid_parameter"
    search(corpus, q="x", page="0", status=400)
    search(corpus, **{"from": "31/02/2026", "status": 400})
    search(corpus, **{"from": "hôm qua", "status": 400})
    # dd/mm/yyyy, as people type it (and the page's form sends it), is a date
    assert search(corpus, **{"from": "05/03/2026"})["total"] == \
        search(corpus, **{"from": "2026-03-05"})["total"]


def test_html_page(corpus):
    page = corpus.testapp.get("/search", params={"q": "chuyen doi so"},
                              headers=corpus.auth("archivist"), status=200)
    assert page.content_type == "text/html"
    assert "Tìm kiếm văn bản" in page.text and "05/03/2026" in page.text
    assert "1/QĐ-UBND" in page.text and "<mark" in page.text
