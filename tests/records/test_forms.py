"""The records screens' forms, as a signed-in person in a browser would use
them (WebTest with the session cookie): each form carries its CSRF token,
posting it does the step and lands back on the page (303), posting without
the token is refused with 400 and changes nothing."""
import re

import pytest
from webtest import TestApp

from tests.conftest import H38, build_env, close_env
from tests.people.test_people import HTML, add, csrf_of, sign_in

from .conftest import get, open_dossier, path_of, post


@pytest.fixture(scope="module")
def fenv(tmp_path_factory):
    env = build_env(tmp_path_factory.mktemp("forms"))
    add(env, "hoa")
    add(env, "lan", roles=("archivist",), agency=None, name="Trần Thị Lan",
        position="Lưu trữ viên")
    yield env
    close_env(env)


def form_action(page, form_id):
    found = re.search(r'<form method="post" action="([^"]+)"[^>]*id="%s"' % form_id, page.text)
    assert found, form_id
    return path_of(found.group(1))


def test_dossier_page_adds_a_record_and_closes(fenv):
    env = fenv
    record = env.deposit().json
    dossier = path_of(open_dossier(env).json["url"])
    browser = TestApp(env.app)
    sign_in(browser, "hoa")
    page = browser.get(dossier, headers=HTML)
    token = csrf_of(page)
    add_url, close_url = form_action(page, "add-record-form"), form_action(page, "close-form")
    assert (add_url, close_url) == (dossier + "/records", dossier + "/close")

    refused = browser.post(add_url, {"record": path_of(record["url"])}, headers=HTML,
                           status=400)
    assert "csrf_failed" in refused.text
    assert get(env, dossier).json["documents"] == []
    done = browser.post(add_url, {"record": path_of(record["url"]), "csrf_token": token},
                        headers=HTML, status=303)
    assert path_of(done.location) == dossier
    assert [path_of(d["url"]) for d in get(env, dossier).json["documents"]] == [
        path_of(record["url"])]
    assert record["url"] in done.follow(headers=HTML).text or \
        path_of(record["url"]) in done.follow(headers=HTML).text

    browser.post(close_url, {}, headers=HTML, status=400)
    assert get(env, dossier).json["state"] == "open"
    done = browser.post(close_url, {"csrf_token": token}, headers=HTML, status=303)
    assert get(env, dossier).json["state"] == "closed"
    page = done.follow(headers=HTML)
    assert 'id="close-form"' not in page.text and 'id="add-record-form"' not in page.text


def test_file_plan_page_approves_and_opens_a_dossier(fenv):
    env = fenv
    from .test_fileplan import PLAN
    plan = path_of(post(env, "/%s/fileplans/" % H38, dict(PLAN, year=2025), status=201)
                   .json["url"])
    browser = TestApp(env.app)
    sign_in(browser, "hoa")
    page = browser.get(plan, headers=HTML)
    token, approve = csrf_of(page), form_action(page, "approve-form")
    assert "Lập hồ sơ" not in page.text           # only from an approved plan
    fields = {"approved_by": "Trịnh Văn B", "decision": "15/QĐ-UBND",
              "approved_on": "2025-01-05", "position": "Giám đốc"}
    browser.post(approve, fields, headers=HTML, status=400)
    assert get(env, plan).json["state"] == "draft"
    done = browser.post(approve, dict(fields, csrf_token=token), headers=HTML, status=303)
    assert path_of(done.location) == plan
    assert get(env, plan).json["approval"]["decision"] == "15/QĐ-UBND"

    page = done.follow(headers=HTML)
    assert 'id="approve-form"' not in page.text
    opens = re.findall(r'action="([^"]+/dossiers)".*?name="number" value="([^"]+)"', page.text)
    assert sorted(n for _, n in opens) == sorted(e["number"] for e in PLAN["entries"])
    action = path_of(opens[0][0])
    browser.post(action, {"number": "01.TCCB"}, headers=HTML, status=400)
    done = browser.post(action, {"number": "01.TCCB", "csrf_token": csrf_of(page)},
                        headers=HTML, status=303)
    dossier = get(env, path_of(done.location)).json
    assert dossier["number"] == "01.TCCB" and dossier["state"] == "open"
    page = browser.get(plan, headers=HTML)
    assert [n for _, n in re.findall(r'action="([^"]+/dossiers)".*?name="number" '
                                     r'value="([^"]+)"', page.text)] == ["02.TCCB", "01.VP"]


def test_holds_page_places_and_lifts(fenv):
    env = fenv
    records = [env.deposit().json, env.deposit().json]
    dossier = path_of(open_dossier(env).json["url"])
    browser = TestApp(env.app)
    sign_in(browser, "lan")
    holds = "/%s/holds/" % H38
    page = browser.get(holds, headers=HTML)
    place = form_action(page, "place-form")
    scope = "\n".join([path_of(records[0]["url"]), dossier])
    fields = {"scope": scope, "reason": "Khiếu nại", "reference": "12/TTr"}
    browser.post(place, fields, headers=HTML, status=400)
    assert get(env, holds).json["results"] == []
    done = browser.post(place, dict(fields, csrf_token=csrf_of(page)), headers=HTML,
                        status=303)
    assert path_of(done.location) == holds
    [hold] = get(env, holds).json["results"]
    assert sorted(hold["scope"]) == sorted([path_of(records[0]["url"]), dossier])

    page = done.follow(headers=HTML)
    [lift] = re.findall(r'action="([^"]+/lift)"', page.text)
    browser.post(path_of(lift), {"reason": "Đã giải quyết"}, headers=HTML, status=400)
    assert get(env, holds).json["results"][0]["active"]
    browser.post(path_of(lift), {"reason": "Đã giải quyết", "csrf_token": csrf_of(page)},
                 headers=HTML, status=303)
    assert get(env, holds).json["results"] == []
    assert "/lift" not in browser.get(holds, headers=HTML).text


def test_deposit_wizard_checks_submits_and_the_archive_accepts_or_returns(fenv):
    env = fenv
    from .test_deposit import closed_dossier
    one = closed_dossier(env, title="Hồ sơ nộp lưu một")
    two = closed_dossier(env, title="Hồ sơ nộp lưu hai")
    clerk, archivist = TestApp(env.app), TestApp(env.app)
    sign_in(clerk, "hoa")
    sign_in(archivist, "lan")
    deposits = "/%s/deposits/" % H38
    page = clerk.get(deposits, headers=HTML)
    submit = form_action(page, "deposit-form")
    check = path_of(re.search(r'formaction="([^"]+)" id="check-button"', page.text).group(1))
    assert 'value="%s"' % one["url"] in page.text and 'value="%s"' % two["url"] in page.text

    chosen = {"dossiers": one["url"], "handed_by": "Nguyễn Thị C, văn thư"}
    clerk.post(check, chosen, headers=HTML, status=400)
    checked = clerk.post(check, dict(chosen, csrf_token=csrf_of(page)), headers=HTML)
    assert "Kiểm tra đạt: 1 hồ sơ" in checked.text
    assert 'value="%s" checked' % one["url"] in checked.text

    clerk.post(submit, chosen, headers=HTML, status=400)
    assert get(env, path_of(one["url"])).json["state"] == "closed"
    done = clerk.post(submit, dict(chosen, csrf_token=csrf_of(page)), headers=HTML, status=303)
    deposit = path_of(done.location)
    assert get(env, deposit).json["state"] == "submitted"
    assert get(env, path_of(one["url"])).json["state"] == "submitted"
    assert 'id="accept-form"' not in clerk.get(deposit, headers=HTML).text    # a clerk

    page = archivist.get(deposit, headers=HTML)
    accept = form_action(page, "accept-form")
    archivist.post(accept, {"received_by": "Lê Văn D"}, headers=HTML, status=400)
    assert get(env, deposit).json["state"] == "submitted"
    done = archivist.post(accept, {"received_by": "Lê Văn D", "csrf_token": csrf_of(page)},
                          headers=HTML, status=303)
    assert path_of(done.location) == deposit
    assert get(env, deposit).json["state"] == "accepted"
    assert get(env, path_of(one["url"])).json["state"] == "deposited"
    assert 'id="accept-form"' not in done.follow(headers=HTML).text

    token = csrf_of(clerk.get(deposits, headers=HTML))
    second = path_of(clerk.post(submit, {"dossiers": two["url"], "handed_by": "Nguyễn Thị C",
                                         "csrf_token": token}, headers=HTML,
                                status=303).location)
    page = archivist.get(second, headers=HTML)
    back = form_action(page, "return-form")
    fields = {"received_by": "Lê Văn D", "reason": "Thiếu văn bản"}
    archivist.post(back, fields, headers=HTML, status=400)
    archivist.post(back, dict(fields, csrf_token=csrf_of(page)), headers=HTML, status=303)
    assert get(env, second).json["state"] == "returned"
    assert get(env, path_of(two["url"])).json["state"] == "closed"


def test_disposal_batch_page_retains_a_dossier(fenv):
    env = fenv
    from .test_disposal import closed
    expired = dict(retention_code="07", retention_years=5, start_date="2014-01-01",
                   end_date="2014-12-31")
    gone, kept = (closed(env, [env.deposit().json], **expired) for _ in range(2))
    batch = path_of(post(env, "/%s/disposals/" % H38, {
        "dossiers": [gone["url"], kept["url"]], "note": "Hết thời hạn bảo quản"},
        who="archivist", status=201).headers["Location"])
    browser = TestApp(env.app)
    sign_in(browser, "lan")
    page = browser.get(batch, headers=HTML)
    retain = form_action(page, "retain-form")
    assert form_action(page, "execute-form") == batch + "/execute"
    fields = {"dossiers": kept["url"], "reason": "Còn giá trị tham khảo"}
    browser.post(retain, fields, headers=HTML, status=400)
    assert get(env, path_of(kept["url"])).json["state"] == "proposed"
    done = browser.post(retain, dict(fields, csrf_token=csrf_of(page)), headers=HTML,
                        status=303)
    assert path_of(done.location) == batch
    assert get(env, path_of(kept["url"])).json["state"] == "retained"
    assert [d["url"] for d in get(env, batch).json["dossiers"]] == [gone["url"]]
    # without the council's record and the decision, executing is refused
    refused = browser.post(batch + "/execute", {"csrf_token": csrf_of(page)}, headers=HTML,
                           status=409)
    assert "Chưa đủ hồ sơ phê duyệt" in refused.text
    assert get(env, batch).json["state"] == "proposed"
