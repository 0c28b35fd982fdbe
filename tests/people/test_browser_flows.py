"""People at work in a real headless Chromium, against one real waitress
server and one browser for the whole module: a clerk deposits a signed PDF
through the form and reads its report; the receiver accepts it into the
incoming register; the sender recalls, the receiver acknowledges, its PDF
links are gone.  Screenshots go to ``/tmp/h13/screens`` (or
``$ARCHIVE_SCREENSHOTS``), never into the repository."""
import os
from pathlib import Path

import pytest

from tests.conftest import H38, STTTT, build_env, close_env
from tests.people.test_people import PASSWORD, add
from tests.support.browser import CHROMIUM_ARGS, chromium_path
from tests.support.pki import build_pki
from tests.support.server import serving
from tests.support.signing import signed_document

SHOTS = Path(os.environ.get("ARCHIVE_SCREENSHOTS", "/tmp/h13/screens"))
PORT = 7132


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pki = build_pki(tmp_path_factory.mktemp("pki"))
    env = build_env(tmp_path_factory.mktemp("site"),
                    **{"archive_repo.trust_roots": pki.trust_roots_dir,
                       "archive_repo.crl_dir": pki.crl_dir})
    add(env, "hoa")
    add(env, "minh", agency=STTTT, name="Phạm Văn Minh", position="Văn thư")
    add(env, "lan", roles=("archivist",), agency=None, name="Trần Thị Lan",
        position="Lưu trữ viên")
    pdf = signed_document(pki)      # pyHanko's asyncio before Playwright's loop
    from playwright.sync_api import sync_playwright
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serving(env.app, port=PORT) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield env, base, browser, pdf
        finally:
            browser.close()
    close_env(env)


class Person:
    """One person's browser context (their own cookies)."""

    def __init__(self, site, login, width=1280):
        env, self.base, browser, self.pdf = site
        self.context = browser.new_context(locale="vi-VN",
                                           viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.login = login

    def __enter__(self):
        page = self.page
        page.goto(self.base + "/login")
        page.fill("#login", self.login)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    def __exit__(self, *exc):
        self.context.close()


def shot(page, name):
    page.screenshot(path=str(SHOTS / ("%s.png" % name)), full_page=True)
    assert (SHOTS / ("%s.png" % name)).stat().st_size > 5000


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= "
                         "document.documentElement.clientWidth")


def deposit_through_the_form(page, base, pdf, tmp_path, subject):
    from archive_repo import timeutil
    page.goto(base + "/%s/deposit" % H38)
    page.fill("#notation", "QĐ-UBND")
    page.select_option("#doctype", "QĐ")
    page.fill("#issued_on", timeutil.show_date(timeutil.now()))
    page.fill("#subject", subject)
    page.fill("#signer", "Nguyễn Văn An")
    page.fill("#receiver-filter", "thong tin")       # folded, no diacritics
    assert page.locator("#receivers .choice:visible").count() == 1
    page.check("#receivers .choice:visible input")
    path = tmp_path / "vanban.pdf"
    path.write_bytes(pdf)
    page.set_input_files("#file", str(path))
    page.click("#deposit-form button[type=submit]")
    page.wait_for_url("**deposited=1")
    return page.url.split("?")[0]


def test_clerk_deposits_receiver_accepts_sender_recalls(site, tmp_path):
    base = site[1]
    with Person(site, "hoa") as page:
        assert "Nguyễn Thị Hoa, Văn thư, Ủy ban nhân dân tỉnh Lào Cai" in \
            page.locator("header .person").inner_text()
        shot(page, "home-clerk")
        # a field left wrong is shown beside itself, nothing stored
        page.goto(base + "/%s/deposit" % H38)
        page.fill("#notation", "QĐ-UBND")
        page.select_option("#doctype", "QĐ")
        page.fill("#issued_on", "31/02/2026")
        page.fill("#subject", "Thử")
        page.fill("#signer", "Nguyễn Văn An")
        (tmp_path / "x.pdf").write_bytes(site[3])
        page.set_input_files("#file", str(tmp_path / "x.pdf"))
        page.click("#deposit-form button[type=submit]")
        assert "dd/mm/yyyy" in page.locator("#issued_on-error").inner_text()
        assert page.locator("#issued_on").input_value() == "31/02/2026"
        shot(page, "deposit-form-errors")
        url = deposit_through_the_form(page, base, site[3], tmp_path,
                                       "Về việc phê duyệt kế hoạch chuyển đổi số")
        main = page.locator("main")
        assert "Đã nộp lưu" in main.inner_text()
        rows = page.locator("table.checks tbody tr")
        assert rows.count() >= 5
        assert rows.first.evaluate("e => getComputedStyle(e).display") == "table-row"
        assert "Sở Thông tin và Truyền thông" in main.inner_text()
        history = page.locator("table.history").inner_text()
        assert "Nộp lưu" in history and "Nguyễn Thị Hoa, Văn thư" in history
        assert "deposit" not in history
        shot(page, "record-after-deposit")
        page.click("header button:has-text('Đăng xuất')")
        page.wait_for_url("**/login")
    path = url.replace(base, "")
    with Person(site, "minh") as page:
        page.goto(base + "/%s/inbox" % STTTT)
        row = page.locator("table.inbox tbody tr").first
        assert "Ủy ban nhân dân tỉnh Lào Cai" in row.inner_text()
        shot(page, "inbox")
        row.locator("input[name=handler]").fill("Phòng Công nghệ thông tin")
        row.locator("button:has-text('Tiếp nhận')").click()
        page.wait_for_url("**/%s/inbox" % STTTT)
        page.goto(base + "/%s/incoming" % STTTT)
        page.locator("main a", has_text="2026").first.click()
        register = page.locator("main").inner_text()
        assert "Phòng Công nghệ thông tin" in register and "chuyển đổi số" in register
        shot(page, "incoming-register")
    with Person(site, "hoa") as page:
        page.goto(url)
        page.fill("#recall-reason", "Ban hành nhầm")
        page.click("#recall-form button")
        page.wait_for_url(url)
        assert "đã bị thu hồi" in page.locator("main").inner_text()
    with Person(site, "minh") as page:
        page.goto(base + "/%s/inbox" % STTTT)
        page.locator("table.inbox button:has-text('Xác nhận thu hồi')").first.click()
        page.wait_for_url("**/%s/inbox" % STTTT)
        response = page.goto(base + path)
        assert response.status == 200
        assert page.locator("a[href$='document.pdf']").count() == 0
        assert "không còn quyền đọc tệp" in page.locator("main").inner_text()
        shot(page, "record-destroyed-copy")


def test_pages_fit_a_phone(site, tmp_path):
    env, base = site[0], site[1]
    env.deposit(meta={"receivers": [STTTT]})
    with Person(site, "minh", width=390) as page:
        for path in ("/%s/inbox" % STTTT, "/%s/2026/1" % H38, "/%s/incoming" % STTTT):
            page.goto(base + path)
            assert no_horizontal_scroll(page), path
        shot(page, "phone-record")
    with Person(site, "hoa", width=390) as page:
        page.goto(base + "/%s/deposit" % H38)
        assert no_horizontal_scroll(page)
        # every field has its label
        for field in page.locator("#deposit-form input:not([type=hidden]), "
                                  "#deposit-form select, #deposit-form textarea").all():
            ident = field.get_attribute("id")
            assert page.locator("label[for='%s']" % ident).count() == 1, ident
        shot(page, "phone-deposit-form")


def settle(env):
    from archive_repo.indexing import worker_of
    assert worker_of(env.registry).wait_idle(60)


def test_archivist_searches_saves_and_exports(site, tmp_path):
    from openpyxl import load_workbook
    env, base = site[0], site[1]
    env.deposit(meta={"subject": "Kế hoạch đào tạo kỹ năng số cho cán bộ",
                      "urgency": "Khẩn", "issued_on": "2026-04-10"})
    env.deposit(agency=STTTT, meta={"subject": "Báo cáo đào tạo kỹ năng số", "doctype": "BC",
                                    "notation": "BC-STTTT", "receivers": [H38],
                                    "issued_on": "2026-05-20"})
    settle(env)
    with Person(site, "lan") as page:
        assert "Trần Thị Lan, Lưu trữ viên" in page.locator("header .person").inner_text()
        page.goto(base + "/search")
        page.fill("#q", "đào tạo kỹ năng số")
        page.click(".search-form button[type=submit]")
        page.wait_for_url("**/search?q=*")
        assert "2 văn bản." in page.locator("main").inner_text()
        page.fill("#q", "dao tao ky nang so")       # the same without diacritics
        page.fill("#from", "01/04/2026")
        page.fill("#to", "30/04/2026")
        page.click(".search-form button[type=submit]")
        page.wait_for_url("**from=01%2F04%2F2026*")
        assert "1 văn bản." in page.locator("main").inner_text()
        assert page.locator("#from").input_value() == "01/04/2026"
        row = page.locator("table.results tbody tr").first.inner_text()
        assert "Khẩn" in row and "Chỉ để tham khảo" in row
        # a facet, then save the search and come back to it
        page.goto(base + "/search?q=dao+tao")
        page.locator("aside a", has_text="Báo cáo").click()
        page.wait_for_url("**doctype=BC*")
        assert "1 văn bản." in page.locator("main").inner_text()
        page.fill("#saved-name", "Báo cáo đào tạo")
        page.click("#save-search button")
        page.wait_for_url("**doctype=BC*")
        page.goto(base + "/search")
        page.locator("details.saved a", has_text="Báo cáo đào tạo").click()
        page.wait_for_url("**doctype=BC*")
        shot(page, "search-saved")
        with page.expect_download() as download:
            page.click("#export-xlsx")
        path = tmp_path / "export.xlsx"
        download.value.save_as(str(path))
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành")
    assert len(rows) == 3
    assert rows[2][0] == "1/BC-STTTT" and rows[2][1] == "20/05/2026"
    assert rows[2][2] == "Sở Thông tin và Truyền thông" and rows[2][3] == "Báo cáo"
    csv = env.testapp.get("/search.csv", params={"q": "dao tao"},
                          headers=env.auth("archivist")).body.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Số, ký hiệu") or csv.startswith('"Số, ký hiệu"')
    assert len(csv.strip().splitlines()) == 3
