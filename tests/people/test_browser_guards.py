"""The guards a person meets in a real headless Chromium: a form posted
without its CSRF token is refused, a session idle past its timeout goes back
to sign-in, and five wrong passwords lock the account (the right one is then
refused too, with the wait named)."""
import time

import pytest

from tests.conftest import H38, build_env, close_env
from tests.people.test_people import PASSWORD, add
from tests.support.browser import CHROMIUM_ARGS, chromium_path
from tests.support.server import serving

PORT = 7133
IDLE = 5


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    env = build_env(tmp_path_factory.mktemp("guards"), **{
        "archive_repo.session_idle_seconds": str(IDLE),
        "archive_repo.lockout_attempts": "5", "archive_repo.lockout_seconds": "600"})
    add(env, "hoa")
    add(env, "tuan", name="Lê Văn Tuấn")
    from playwright.sync_api import sync_playwright
    with serving(env.app, port=PORT) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield base, browser
        finally:
            browser.close()
    close_env(env)


@pytest.fixture
def page(guarded):
    """A fresh browser context (no cookies) for one person."""
    context = guarded[1].new_context(locale="vi-VN")
    yield context.new_page()
    context.close()


def sign_in(page, base, login, password=PASSWORD):
    page.goto(base + "/login")
    page.fill("#login", login)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_a_form_without_its_csrf_token_is_refused(guarded, page):
    base = guarded[0]
    sign_in(page, base, "hoa")
    assert "Nguyễn Thị Hoa" in page.content()
    # the sign-out form, as a forged page would post it: no token
    page.evaluate("document.querySelectorAll('input[name=csrf_token]')"
                  ".forEach(e => e.remove())")
    with page.expect_navigation() as nav:
        page.click("form[action$='/logout'] button")
    assert nav.value.status == 400
    assert "CSRF" in page.content() and "tải lại trang" in page.content()
    page.goto(base + "/%s/inbox" % H38)          # still signed in: nothing happened
    assert "/login" not in page.url and "Nguyễn Thị Hoa" in page.content()



def test_a_session_idle_past_its_timeout_goes_back_to_sign_in(guarded, page):
    base = guarded[0]
    sign_in(page, base, "hoa")
    page.goto(base + "/%s/inbox" % H38)
    assert "/login" not in page.url
    time.sleep(IDLE + 1.5)
    page.goto(base + "/%s/inbox" % H38)
    assert "/login" in page.url and "came_from" in page.url
    assert "Nguyễn Thị Hoa" not in page.content()



def test_five_wrong_passwords_lock_the_account(guarded, page):
    base = guarded[0]
    for _ in range(5):
        sign_in(page, base, "tuan", password="sai-mat-khau")
        assert "/login" in page.url
    sign_in(page, base, "tuan")                  # the right password, too late
    assert "/login" in page.url
    assert "tạm khóa" in page.content()
    assert "Lê Văn Tuấn" not in page.content()
