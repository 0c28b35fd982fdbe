"""Records management end to end in headless Chromium over a real server, as
a clerk and an archivist sign in and work through the screens: a file plan
made and approved, its dossiers opened, a record kept in two dossiers
(stored once), closed, deposited through the wizard and accepted, a hold
that keeps them from disposal, lifted, a disposal batch proposed, the
decision attached as a signed PDF, executed, and the destroyed record's
page answering 410 with the decision.

The documents are a back-file issued in 2014 (a 10-year retention ends on
1 January 2025), so the flow runs on today's clock."""
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest

from tests.conftest import H38
from tests.people.test_people import PASSWORD
from tests.support.browser import CHROMIUM_ARGS, chromium_path
from tests.support.server import serving
from tests.support.signing import signed_document

from .conftest import get, path_of, post

PORT = 7152         # this range (7150–7159)


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def person(chromium, base, login):
    page = chromium.new_context(locale="vi-VN").new_page()
    page.goto(base + "/login")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    assert "/login" not in page.url
    return page


def main_text(page):
    return page.locator("main").inner_text()


def test_records_management_in_chromium(senv, chromium, tmp_path):
    env = senv
    old = {"issued_on": "2014-03-05", "subject": "Kế hoạch công tác văn phòng năm 2014"}
    first = env.deposit(year=2014, meta=old).json
    shared = env.deposit(year=2014, meta=dict(old, issued_on="2014-06-20",
                                   subject="Báo cáo sơ kết 6 tháng")).json
    with serving(env.app, port=PORT) as base:
        clerk = person(chromium, base, "hoa")

        # the year's file plan, made from rows and approved by the head
        clerk.goto(base + "/%s/fileplans/" % H38)
        clerk.fill("#make-plan-form input[name=year]", "2014")
        clerk.locator("input[name=heading_code]").nth(0).fill("I")
        clerk.locator("input[name=heading_title]").nth(0).fill("Văn phòng")
        for row, (number, title) in enumerate((("01.VP", "Hồ sơ kế hoạch công tác"),
                                               ("02.VP", "Hồ sơ báo cáo định kỳ"))):
            clerk.locator("input[name=entry_heading]").nth(row).fill("I")
            clerk.locator("input[name=entry_number]").nth(row).fill(number)
            clerk.locator("input[name=entry_title]").nth(row).fill(title)
            clerk.locator("select[name=entry_retention]").nth(row).select_option("code:06")
        rows = clerk.locator("#plan-entries tr").count()
        clerk.click("button[data-add-row=plan-entries]")       # the form grows a row
        assert clerk.locator("#plan-entries tr").count() == rows + 1
        clerk.click("#make-plan-form button[type=submit]")
        assert clerk.url.endswith("/%s/fileplans/2014" % H38)
        assert "Hồ sơ báo cáo định kỳ" in main_text(clerk)
        clerk.fill("#approve-form input[name=approved_by]", "Trịnh Văn B")
        clerk.fill("#approve-form input[name=decision]", "02/QĐ-UBND")
        clerk.fill("#approve-form input[name=approved_on]", "2014-01-06")
        clerk.click("#approve-form button[type=submit]")
        assert "02/QĐ-UBND" in main_text(clerk)

        # dossiers opened from the plan; one record in both
        dossiers = {}
        for number, records in (("01.VP", (first, shared)), ("02.VP", (shared,))):
            clerk.goto(base + "/%s/fileplans/2014" % H38)
            clerk.locator("form.open-form:has(input[value='%s']) button" % number).click()
            dossiers[number] = urlparse(clerk.url).path
            assert clerk.locator("h1").inner_text().startswith("Hồ sơ %s" % number)
            for record in records:
                clerk.fill("#add-record-form input[name=record]", path_of(record["url"]))
                clerk.click("#add-record-form button")
            clerk.click("#close-form button")
            assert "Đã kết thúc" in main_text(clerk)
        rows = clerk.locator("h2:has-text('Mục lục văn bản') + table tr").all_inner_texts()
        assert len(rows) == 2 and "20/06/2014" in rows[1]
        listed = [[urlparse(d["url"]).path for d in get(env, d).json["documents"]]
                  for d in dossiers.values()]
        assert listed == [[path_of(first["url"]), path_of(shared["url"])],
                          [path_of(shared["url"])]]

        # the deposit wizard, then the archive side accepts
        clerk.goto(base + "/%s/deposits/" % H38)
        for url in dossiers.values():
            clerk.check("#deposit-form input[value$='%s']" % url)
        clerk.click("#check-button")
        for url in dossiers.values():
            clerk.check("#deposit-form input[value$='%s']" % url)
        clerk.fill("#deposit-form input[name=handed_by]", "Nguyễn Thị Hoa, văn thư")
        clerk.fill("#deposit-form input[name=archive]", "Lưu trữ cơ quan UBND tỉnh")
        clerk.click("#deposit-form button:has-text('Nộp lưu')")
        deposit_url = clerk.url
        archivist = person(chromium, base, "lan")
        archivist.goto(deposit_url)
        archivist.fill("#accept-form input[name=received_by]", "Trần Thị Lan, lưu trữ viên")
        archivist.click("#accept-form button")
        archivist.goto(base + dossiers["01.VP"])
        assert "Đã nộp lưu vào Lưu trữ cơ quan" in main_text(archivist)
        assert archivist.locator("#aip-link").is_visible()

        # a hold keeps both out of disposal (02.VP shares a record with 01.VP)
        archivist.goto(base + "/%s/holds/" % H38)
        archivist.fill("#place-form textarea[name=scope]", dossiers["01.VP"])
        archivist.fill("#place-form input[name=reason]", "Đang giải quyết khiếu nại")
        archivist.click("#place-form button")
        archivist.goto(base + "/%s/disposals/" % H38)
        assert archivist.locator("#propose-form input[value$='%s']"
                                 % dossiers["01.VP"]).count() == 0
        archivist.goto(base + "/%s/holds/" % H38)
        archivist.fill(".lift-form input[name=reason]", "Đã giải quyết xong")
        archivist.click(".lift-form button")

        # the batch: the two dossiers sharing a record go together, not alone
        alone = post(env, "/%s/disposals/" % H38, {"dossiers": [dossiers["01.VP"]],
                                                   "note": "x"}, who="archivist", status=409)
        assert "còn thuộc hồ sơ" in alone.json["error"]["message"]
        archivist.goto(base + "/%s/disposals/" % H38)
        for url in dossiers.values():
            archivist.check("#propose-form input[value$='%s']" % url)
        archivist.fill("#propose-form textarea[name=note]", "Hết thời hạn bảo quản 10 năm")
        archivist.click("#propose-form button")
        assert "Chờ thẩm định, phê duyệt" in main_text(archivist)
        pdf = tmp_path / "quyet-dinh.pdf"
        # pyHanko signs through asyncio.run, which Playwright's running loop
        # forbids in this thread
        with ThreadPoolExecutor(1) as pool:
            pdf.write_bytes(pool.submit(signed_document, env.pki).result())
        archivist.set_input_files("#council-form input[name=file]", str(pdf))
        archivist.click("#council-form button")
        archivist.fill("#decision-form input[name=number]", "45/QĐ-UBND")
        archivist.fill("#decision-form input[name=date]", "2026-11-20")
        archivist.fill("#decision-form input[name=signer]", "Chủ tịch UBND tỉnh")
        archivist.set_input_files("#decision-form input[name=file]", str(pdf))
        archivist.click("#decision-form button")
        assert "45/QĐ-UBND" in main_text(archivist) and "hợp lệ" in main_text(archivist)
        archivist.click("#execute-form button")
        assert "Đã tiêu hủy" in main_text(archivist)

        answer = archivist.goto(base + path_of(first["url"]))
        assert answer.status == 410
        assert "45/QĐ-UBND" in archivist.locator("body").inner_text()
