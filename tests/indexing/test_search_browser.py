"""The search page in a real browser (headless Chromium): a query typed
without diacritics, highlighted snippets, a facet link, the way to the
record."""
from tests.support.browser import browser_page
from tests.support.pdfs import make_pdf
from tests.support.server import serving

from .conftest import H38, SYT, settle

DOCS = [
    (H38, {"doctype": "QĐ", "subject": "Về việc phê duyệt kế hoạch chuyển đổi số năm 2026"},
     ["QUYẾT ĐỊNH", "Phê duyệt kế hoạch chuyển đổi số của tỉnh Lào Cai."]),
    (H38, {"doctype": "CV", "notation": "UBND-VP", "subject": "Về việc đôn đốc chuyển đổi số"},
     ["Đề nghị các sở đẩy nhanh chuyển đổi số."]),
    (SYT, {"doctype": "KH", "notation": "KH-SYT", "subject": "Kế hoạch tiêm chủng mở rộng",
           "receivers": [H38]},
     ["Tiêm chủng mở rộng năm 2026."]),
]


def test_search_page_in_chromium(ienv, tmp_path):
    for agency, meta, lines in DOCS:
        ienv.deposit(agency=agency, meta=meta, pdf=make_pdf(lines=lines))
    settle(ienv)
    with serving(ienv.app) as base, browser_page(ienv.auth("archivist")) as page:
        assert page.goto(base + "/search").status == 200
        assert page.title().startswith("Tìm kiếm văn bản")
        page.fill("input[name=q]", "chuyen doi so")
        page.click("button[type=submit]")
        page.wait_for_url("**/search?q=chuyen+doi+so*")
        main = page.locator("main")
        assert "2 văn bản." in main.inner_text()
        marks = page.locator("tbody mark").all_inner_texts()
        assert {m.lower() for m in marks} >= {"chuyển", "đổi", "số"}
        assert "Ủy ban nhân dân tỉnh Lào Cai" in page.locator("tbody").inner_text()
        # the doctype facet, by its name, narrows to the one công văn...
        page.locator("aside a", has_text="Công văn").click()
        page.wait_for_url("**doctype=CV*")
        assert "1 văn bản." in main.inner_text()
        assert page.locator("tbody tr").count() == 1
        assert "Đang lọc: Loại văn bản: Công văn" in page.locator("p.filters").inner_text()
        page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
        assert (tmp_path / "search.png").stat().st_size > 5000
        # ...and its × takes the filter off again
        page.locator("p.filters a").click()
        page.wait_for_function("!location.search.includes('doctype')")
        assert "2 văn bản." in main.inner_text()
        page.locator("aside a", has_text="Công văn").click()
        page.wait_for_url("**doctype=CV*")
        page.locator("tbody a").first.click()
        assert page.locator("h1").inner_text() == "Văn bản số 2/UBND-VP"
