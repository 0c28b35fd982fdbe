"""Persons: accounts, sign-in, sessions, CSRF, lock-out, the challenges, the
CLI — over the real WSGI stack (WebTest) and the real console command."""
import re
import time

from tests.conftest import H38, STTTT, default_metadata
from tests.foundation.test_cli_and_server import write_ini
from tests.support.cli import cli
from tests.support.pdfs import make_pdf

PASSWORD = "mật-khẩu-đủ-dài"
HTML = {"Accept": "text/html"}


def add(env, login, roles=("clerk",), agency=H38, name="Nguyễn Thị Hoa",
        position="Văn thư", password=PASSWORD):
    from archive_repo import db
    from archive_repo.people import add_person
    from archive_repo.resources import get_root
    with db.transaction(env.registry) as conn:
        _, setup = add_person(get_root(conn), login, name, list(roles), position, agency,
                              password, registry=env.registry)
    return setup


def csrf_of(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def sign_in(app, login, password=PASSWORD, came_from=""):
    form = app.get("/login", headers=HTML)
    return app.post("/login", {"login": login, "password": password,
                               "csrf_token": csrf_of(form), "came_from": came_from},
                    headers=HTML)


def fresh(env):
    from webtest import TestApp
    return TestApp(env.app)


def test_sign_in_sets_a_safe_cookie_and_pages_name_the_person(penv):
    app = fresh(penv)
    res = sign_in(app, "hoa", came_from="/%s/inbox" % H38)
    assert res.status_int == 303 and res.location.endswith("/%s/inbox" % H38)
    cookie = [v for k, v in res.headerlist if k == "Set-Cookie"
              and v.startswith("archive_repo_session=")][-1]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "secure" not in cookie.lower()
    page = app.get("/%s/inbox" % H38, headers=HTML)
    assert "Nguyễn Thị Hoa, Văn thư, Ủy ban nhân dân tỉnh Lào Cai" in page.text
    # the session cookie is Secure over HTTPS
    secure = fresh(penv)
    form = secure.get("/login", headers=HTML, extra_environ={"wsgi.url_scheme": "https"})
    res = secure.post("/login", {"login": "hoa", "password": PASSWORD,
                                 "csrf_token": csrf_of(form)}, headers=HTML,
                      extra_environ={"wsgi.url_scheme": "https"})
    assert res.status_int == 303
    assert any("; secure" in v.lower() for k, v in res.headerlist if k == "Set-Cookie")


def test_open_redirect_refused(penv):
    res = sign_in(fresh(penv), "hoa", came_from="//evil.example/x")
    assert res.location == "http://localhost/"


def test_anonymous_browser_is_sent_to_sign_in_and_machines_get_two_challenges(penv):
    app = fresh(penv)
    res = app.get("/%s/inbox" % H38, headers=HTML, status=303)
    assert "/login?came_from=" in res.location
    res = app.get("/%s/inbox" % H38, headers={"Accept": "application/json"}, status=401)
    challenges = res.headers.getall("WWW-Authenticate")
    assert [c.split()[0] for c in challenges] == ["Bearer", "Basic"]
    res = app.request("/dav/", method="PROPFIND", headers={"Depth": "0"}, status=401)
    assert len(res.headers.getall("WWW-Authenticate")) == 2


def test_form_without_csrf_token_is_refused(penv):
    app = fresh(penv)
    sign_in(app, "hoa")
    res = app.post("/logout", {}, headers=HTML, status=400)
    assert "CSRF" in res.text and "{'" not in res.text
    # still signed in: the forged sign-out did nothing
    assert "Nguyễn Thị Hoa" in app.get("/%s/inbox" % H38, headers=HTML).text
    # the sign-in form itself needs its token too
    res = fresh(penv).post("/login", {"login": "hoa", "password": PASSWORD},
                           headers=HTML, status=400)
    assert "csrf_failed" in res.text


def test_tokens_need_no_csrf_token(penv):
    penv.deposit()      # a bearer POST without any CSRF token still deposits


def test_sign_out_forgets_the_session(penv):
    app = fresh(penv)
    sign_in(app, "hoa")
    page = app.get("/%s/inbox" % H38, headers=HTML)
    res = app.post("/logout", {"csrf_token": csrf_of(page)}, headers=HTML, status=303)
    assert res.location.endswith("/login")
    app.get("/%s/inbox" % H38, headers=HTML, status=303)


def test_session_past_its_idle_timeout_is_sent_to_sign_in(penv):
    app = fresh(penv)
    sign_in(app, "hoa")
    app.get("/%s/inbox" % H38, headers=HTML, status=200)
    time.sleep(6)       # archive_repo.session_idle_seconds = 5
    res = app.get("/%s/inbox" % H38, headers=HTML, status=303)
    assert "/login" in res.location


def test_five_wrong_passwords_lock_the_account_with_back_off(penv):
    add(penv, "binh", name="Lê Văn Bình")
    app = fresh(penv)
    for attempt in range(4):
        res = sign_in(app, "binh", "sai-mat-khau")
        assert "không đúng" in res.text
    res = sign_in(app, "binh", "sai-mat-khau")
    assert "tạm khóa" in res.text
    # locked: even the right password is refused until the lock ends
    assert "tạm khóa" in sign_in(app, "binh").text
    time.sleep(1.2)         # archive_repo.lockout_seconds = 1
    # five more wrong ones: locked twice as long (back-off)
    for attempt in range(5):
        res = sign_in(app, "binh", "sai")
    from archive_repo import db
    from archive_repo.resources import get_root
    with db.reading(penv.registry) as conn:
        person = get_root(conn).people["binh"]
        assert person.lockouts == 2
    time.sleep(1.0)
    assert "tạm khóa" in sign_in(app, "binh").text      # a 2 s lock: still locked
    time.sleep(1.2)
    assert sign_in(app, "binh").status_int == 303
    with db.reading(penv.registry) as conn:
        from archive_repo.audit import get_log
        entries = get_log(conn.get_connection("audit")).for_target("/people/binh")
    outcomes = [(e["action"], e["outcome"]) for e in entries]
    assert outcomes.count(("lock_out", "locked")) == 2
    assert ("sign_in", "ok") in outcomes


def test_history_and_audit_name_the_person(penv):
    app = fresh(penv)
    sign_in(app, "hoa")
    import json
    page = app.get("/%s/inbox" % H38, headers=HTML)
    meta = dict(default_metadata(), receivers=[STTTT])
    res = app.post("/%s/2026/" % H38, {"metadata": json.dumps(meta),
                                       "csrf_token": csrf_of(page)},
                   upload_files=[("file", "vb.pdf", make_pdf())],
                   headers={"Accept": "application/json"}, status=201)
    record = app.get(res.headers["Location"], headers={"Accept": "application/json"}).json
    deposit = [h for h in record["history"] if h["action"] == "deposit"][0]
    assert deposit["actor"] == "user:hoa"
    assert deposit["detail"]["by"] == "Nguyễn Thị Hoa, Văn thư, Ủy ban nhân dân tỉnh Lào Cai"


def test_cli_users_and_their_tokens(tmp_path):
    ini = write_ini(tmp_path, 7131)
    cli(ini, "init")
    import io
    import sys
    sys.stdin, saved = io.StringIO(PASSWORD + "\n"), sys.stdin
    try:
        ran = cli(ini, "user", "add", "hoa", "--name", "Nguyễn Thị Hoa", "--position",
                  "Văn thư", "--agency", H38, "--role", "clerk", "--password-stdin")
    finally:
        sys.stdin = saved
    assert PASSWORD not in ran.stdout and "Nguyễn Thị Hoa, Văn thư" in ran.stdout
    ran = cli(ini, "user", "add", "lan", "--name", "Trần Thị Lan", "--role", "archivist")
    link = ran.stdout.strip().splitlines()[-1]
    assert "/setup?token=" in link
    listing = cli(ini, "user", "list").stdout
    assert "hoa\tNguyễn Thị Hoa" in listing and "lan\tTrần Thị Lan" in listing
    token = cli(ini, "token", "add", "--user", "hoa").stdout.strip().splitlines()[-1]
    cli(ini, "token", "add", "--role", "connector", "--system", "truc-lien-thong")
    tokens = cli(ini, "token", "list").stdout
    assert "người dùng hoa" in tokens and "hệ thống truc-lien-thong" in tokens
    bad = cli(ini, "token", "add", "--user", "nobody", check=False)
    assert bad.returncode == 2 and "nobody" in bad.stderr
    cli(ini, "user", "disable", "hoa")
    assert "đã khóa" in cli(ini, "user", "list").stdout
    assert token
