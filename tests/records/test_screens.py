"""The records screens' remaining forms as a signed-in person uses them
(WebTest with the session cookie): making a file plan from rows, proposing a
disposal batch from today's candidates, attaching the council's record and
the head's decision (signed PDFs, multipart, the CSRF token checked as the
body streams), and downloading a deposited dossier's AIP.  Each form without
its token is refused and changes nothing."""
import hashlib
import io
import zipfile

from webtest import TestApp

from tests.conftest import H38
from tests.people.test_people import HTML, csrf_of, sign_in
from tests.support.signing import signed_document

from .conftest import get, open_dossier, path_of, post
from .test_forms import form_action

OLD = {"start_date": "2014-01-01", "end_date": "2014-12-31"}


def browser_of(env, login):
    browser = TestApp(env.app)
    sign_in(browser, login)
    return browser


def closed(env, records, **fields):
    dossier = open_dossier(env, **fields).json
    for record in records:
        post(env, path_of(dossier["url"]) + "/records", {"record": record["url"]})
    return post(env, path_of(dossier["url"]) + "/close").json


PLAN_FORM = [
    ("year", "2027"),
    ("heading_code", "I"), ("heading_title", "Tổ chức, cán bộ"),
    ("heading_code", "i.1"), ("heading_title", "Tuyển dụng"),
    ("heading_code", "II"), ("heading_title", "Tài chính"),
    ("heading_code", ""), ("heading_title", ""),          # a spare row of the form
    ("entry_heading", "I"), ("entry_number", "01.TCCB"),
    ("entry_title", "Hồ sơ quy hoạch cán bộ"), ("entry_retention", "code:01"),
    ("entry_owner", "Phòng TCCB"), ("entry_notes", ""),
    ("entry_heading", "I.1"), ("entry_number", "02.TCCB"),
    ("entry_title", "Hồ sơ tuyển dụng công chức năm 2027"), ("entry_retention", "code:04"),
    ("entry_owner", ""), ("entry_notes", "Kỳ thi tháng 6"),
    ("entry_heading", ""), ("entry_number", ""), ("entry_title", ""),
    ("entry_retention", ""), ("entry_owner", ""), ("entry_notes", ""),
]


def test_file_plan_made_from_the_form(senv):
    browser = browser_of(senv, "hoa")
    page = browser.get("/%s/fileplans/" % H38, headers=HTML)
    action = form_action(page, "make-plan-form")
    assert 'name="entry_retention"' in page.text and "Mã 01: Vĩnh viễn" in page.text
    assert 'data-add-row="plan-entries"' in page.text

    browser.post(action, PLAN_FORM, headers=HTML, status=400)
    assert get(senv, "/%s/fileplans/" % H38).json["results"] == []
    bad = [(k, "IIII" if (k, v) == ("heading_code", "II") else v) for k, v in PLAN_FORM]
    refused = browser.post(action, bad + [("csrf_token", csrf_of(page))], headers=HTML,
                           status=400)
    assert "La Mã" in refused.text
    assert get(senv, "/%s/fileplans/" % H38).json["results"] == []

    done = browser.post(action, PLAN_FORM + [("csrf_token", csrf_of(page))], headers=HTML,
                        status=303)
    plan = get(senv, path_of(done.location)).json
    assert plan["year"] == 2027
    assert [(h["code"], h["title"], [(s["code"], s["title"]) for s in h["sections"]])
            for h in plan["headings"]] == [("I", "Tổ chức, cán bộ", [("1", "Tuyển dụng")]),
                                           ("II", "Tài chính", [])]
    entries = {e["number"]: e for e in plan["entries"]}
    assert set(entries) == {"01.TCCB", "02.TCCB"}
    assert entries["01.TCCB"]["retention"]["permanent"]
    assert entries["02.TCCB"]["heading"] == "I.1"
    assert entries["02.TCCB"]["retention"]["years"] == 30
    assert plan["totals"] == {"total": 2, "permanent": 1, "limited": 1}
    page = done.follow(headers=HTML)
    assert "Tuyển dụng" in page.text

    # the draft revised from its own page: its rows come back filled in
    revise = form_action(page, "revise-form")
    assert 'value="Hồ sơ tuyển dụng công chức năm 2027"' in page.text
    assert '<option value="code:04" selected>' in page.text
    rows = [(k, "Hồ sơ quy hoạch cán bộ giai đoạn 2026–2031"
             if v == "Hồ sơ quy hoạch cán bộ" else v) for k, v in PLAN_FORM if k != "year"]
    rows += [("entry_heading", "II"), ("entry_number", "01.TC"),
             ("entry_title", "Hồ sơ dự toán ngân sách"), ("entry_retention", "code:05"),
             ("entry_owner", ""), ("entry_notes", "")]
    browser.post(revise, rows, headers=HTML, status=400)
    assert len(get(senv, path_of(done.location)).json["entries"]) == 2
    browser.post(revise, rows + [("csrf_token", csrf_of(page))], headers=HTML, status=303)
    plan = get(senv, path_of(done.location)).json
    assert [e["title"] for e in plan["entries"]] == [
        "Hồ sơ quy hoạch cán bộ giai đoạn 2026–2031", "Hồ sơ tuyển dụng công chức năm 2027",
        "Hồ sơ dự toán ngân sách"]
    assert plan["totals"] == {"total": 3, "permanent": 1, "limited": 2}
    assert [h["action"] for h in plan["history"]][-1] == "revise_file_plan"
    post(senv, path_of(done.location) + "/approve",
         {"approved_by": "Trịnh Văn B", "decision": "3/QĐ-UBND", "approved_on": "2027-01-04"})
    assert post(senv, path_of(done.location) + "/revise", {"headings": plan["headings"]},
                status=409).json["error"]["code"] == "file_plan_approved"
    assert 'id="revise-form"' not in browser.get(path_of(done.location), headers=HTML).text


def test_disposal_proposed_and_approved_from_the_forms(senv):
    env = senv
    old = closed(env, [env.deposit().json], retention_code="06", **OLD)
    young = closed(env, [env.deposit().json], retention_code="06")
    # clerks see the batches; proposing one is the archivists' (Batches ACL)
    assert 'id="propose-form"' not in browser_of(env, "hoa").get(
        "/%s/disposals/" % H38, headers=HTML).text
    archivist = browser_of(env, "lan")
    page = archivist.get("/%s/disposals/" % H38, headers=HTML)
    action = form_action(page, "propose-form")
    assert old["url"] in page.text and young["url"] not in page.text
    fields = {"dossiers": old["url"], "note": "Hết thời hạn bảo quản 10 năm"}
    archivist.post(action, fields, headers=HTML, status=400)
    assert get(env, "/%s/disposals/" % H38).json["results"] == []
    done = archivist.post(action, dict(fields, csrf_token=csrf_of(page)), headers=HTML,
                      status=303)
    batch_url = path_of(done.location)
    batch = get(env, batch_url).json
    assert [d["url"] for d in batch["dossiers"]] == [old["url"]]
    assert batch["note"] == "Hết thời hạn bảo quản 10 năm"

    page = archivist.get(batch_url, headers=HTML)
    council, decision = form_action(page, "council-form"), form_action(page, "decision-form")
    assert (council, decision) == (batch_url + "/council", batch_url + "/decision")
    signed = signed_document(env.pki)
    upload = [("file", "quyet-dinh.pdf", signed)]
    meta = {"number": "45/QĐ-UBND", "date": "2026-11-20", "signer": "Chủ tịch UBND tỉnh"}
    archivist.post(decision, meta, upload_files=upload, headers=HTML, status=400)
    assert "decision" not in get(env, batch_url).json["attachments"]
    token = csrf_of(page)
    archivist.post(council, {"csrf_token": token}, upload_files=upload, headers=HTML,
                   status=303)
    done = archivist.post(decision, dict(meta, csrf_token=token), upload_files=upload,
                          headers=HTML, status=303)
    assert path_of(done.location) == batch_url
    attached = get(env, batch_url).json["attachments"]
    assert attached["council"]["sha256"] == hashlib.sha256(signed).hexdigest()
    assert attached["decision"]["meta"]["number"] == "45/QĐ-UBND"
    assert attached["decision"]["signatures"][0]["trusted"]
    assert "45/QĐ-UBND" in done.follow(headers=HTML).text


def test_deposited_dossier_exported_as_an_aip(senv):
    env = senv
    record = env.deposit().json
    dossier = closed(env, [record], retention_code="04", title="Hồ sơ xuất gói")
    url = path_of(dossier["url"])
    archivist = browser_of(env, "lan")
    assert 'id="aip-link"' not in archivist.get(url, headers=HTML).text
    assert archivist.get(url + "/aip.zip", status=409).json["error"]["code"] \
        == "dossier_not_deposited"
    answer = post(env, "/%s/deposits/" % H38, {"dossiers": [dossier["url"]],
                                               "handed_by": "Nguyễn Thị Hoa, văn thư",
                                               "archive": "Lưu trữ cơ quan"}, status=201)
    post(env, path_of(answer.headers["Location"]) + "/accept",
         {"received_by": "Trần Thị Lan, lưu trữ viên"}, who="archivist")

    page = archivist.get(url, headers=HTML)
    assert 'id="aip-link"' in page.text
    assert 'id="aip-link"' not in browser_of(env, "hoa").get(url, headers=HTML).text
    browser_of(env, "hoa").get(url + "/aip.zip", status=403)
    download = archivist.get(url + "/aip.zip")
    assert download.content_type == "application/zip"
    assert "attachment" in download.headers["Content-Disposition"]
    pdf = env.testapp.get(path_of(record["url"]) + "/document.pdf",
                          headers=env.auth("archivist")).body
    with zipfile.ZipFile(io.BytesIO(download.body)) as z:
        names = z.namelist()
        data = [n for n in names if n.endswith("/v1.pdf")]
        assert len(data) == 1 and z.read(data[0]) == pdf
        assert any(n.endswith("bagit.txt") for n in names)
        assert any(n.endswith("METS.xml") for n in names)
