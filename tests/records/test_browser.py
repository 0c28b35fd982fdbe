"""The dossier page, the main records-management screen, in headless
Chromium over a real server: fields, the document list in time order, a
document's link to its record page."""
from tests.support.browser import browser_page
from tests.support.server import serving

from .conftest import open_dossier, path_of, post

PORT = 7151         # this range (7150–7159)


def test_dossier_page_in_chromium(renv, tmp_path):
    later = renv.deposit(meta={"issued_on": "2026-05-02", "subject": "Báo cáo kết quả"}).json
    earlier = renv.deposit(meta={"issued_on": "2026-02-10", "subject": "Kế hoạch thực hiện"}).json
    dossier = open_dossier(renv, title="Hồ sơ chuyển đổi số năm 2026", number="05.VP",
                           keywords=["chuyển đổi số"]).json
    url = path_of(dossier["url"])
    for record in (later, earlier):
        post(renv, url + "/records", {"record": record["url"]})
    post(renv, url + "/close")
    with serving(renv.app, port=PORT) as base, \
            browser_page(renv.auth(("clerk", dossier["agency"]))) as page:
        response = page.goto(base + url)
        assert response.status == 200
        assert page.locator("h1").inner_text() == "Hồ sơ 05.VP: Hồ sơ chuyển đổi số năm 2026"
        main = page.locator("main").inner_text()
        assert "Đã kết thúc" in main and "10 năm" in main and "chuyển đổi số" in main
        rows = page.locator("h2:has-text('Mục lục văn bản') + table tr").all_inner_texts()
        assert len(rows) == 3
        assert "10/02/2026" in rows[1] and "Kế hoạch thực hiện" in rows[1]
        assert "02/05/2026" in rows[2] and "Báo cáo kết quả" in rows[2]
        page.screenshot(path=str(tmp_path / "dossier.png"), full_page=True)
        assert (tmp_path / "dossier.png").stat().st_size > 5000
        page.click("text=%d/QĐ-UBND" % earlier["number"])
        assert "Kế hoạch thực hiện" in page.locator("main").inner_text()
        assert page.url.endswith(path_of(earlier["url"]))
