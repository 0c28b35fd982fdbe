"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright."""
import shutil
from contextlib import contextmanager

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("chromium not installed: `make system-deps` installs it")
    return path


@contextmanager
def browser_page(headers=None):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(extra_http_headers=headers or {},
                                          locale="vi-VN")
            yield context.new_page()
        finally:
            browser.close()
