"""The record page in a real browser (headless Chromium)."""
from tests.support.browser import browser_page
from tests.support.server import serving


def test_record_page_renders_in_chromium(env, tmp_path):
    url = env.deposit(meta={"urgency": "Khẩn"}).headers["Location"]
    path = url.replace("http://localhost", "")
    with serving(env.app) as base, browser_page(env.auth("archivist")) as page:
        response = page.goto(base + path)
        assert response.status == 200
        assert page.title().startswith("1/QĐ-UBND")
        heading = page.locator("h1").inner_text()
        assert heading == "Văn bản số 1/QĐ-UBND"
        body = page.locator("main").inner_text()
        assert "05/03/2026" in body and "Khẩn" in body
        assert "Chỉ có giá trị để biết, tham khảo" in body
        page.screenshot(path=str(tmp_path / "record.png"), full_page=True)
        assert (tmp_path / "record.png").stat().st_size > 5000
        # the agency link, by the agency's name, leads to the agency page
        page.click("main a:has-text('Ủy ban nhân dân tỉnh Lào Cai')")
        assert "Sổ văn bản đi theo năm" in page.locator("main").inner_text()


def test_anonymous_browser_is_sent_to_the_sign_in_page(env):
    url = env.deposit().headers["Location"].replace("http://localhost", "")
    with serving(env.app) as base, browser_page() as page:
        response = page.goto(base + url)
        assert response.status == 200 and "/login?came_from=" in page.url
        assert "Cần đăng nhập" in page.locator("main").inner_text()
        assert page.locator("label[for=password]").inner_text() == "Mật khẩu"
