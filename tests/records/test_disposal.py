"""Disposal end to end on real storage: a hold and a permanent dossier keep
a batch out; the council's record and the head's decision are real signed
PDFs checked by the rule engine; execution deletes the blob files and
leaves tombstones answering 410 on every endpoint (JSON, HTML, PDF, DAV,
search, change feed); the destruction minute is kept."""
import io
import os

import pytest
import transaction
from lxml import etree
from pdfminer.high_level import extract_text

from archive_repo.dav.summaries import get_index
from archive_repo.indexing import worker_of
from tests.conftest import H38, STTTT, build_env, close_env
from tests.support.pdfs import make_pdf
from tests.support.pki import build_pki
from tests.support.signing import signed_document

from .conftest import get, open_dossier, path_of, post

DAV_NS = {"D": "DAV:", "A": "urn:x-archive-repo:lao-cai:dav:1"}
OLD = {"start_date": "2014-01-01", "end_date": "2014-12-31"}


@pytest.fixture(scope="module")
def denv(tmp_path_factory):
    pki = build_pki(tmp_path_factory.mktemp("pki"))
    env = build_env(tmp_path_factory.mktemp("disposal"),
                    **{"archive_repo.trust_roots": pki.trust_roots_dir,
                       "archive_repo.crl_dir": pki.crl_dir})
    env.pki = pki
    yield env
    close_env(env)


def closed(env, records, **fields):
    dossier = open_dossier(env, **dict(OLD, **fields)).json
    for record in records:
        post(env, path_of(dossier["url"]) + "/records", {"record": record["url"]})
    return post(env, path_of(dossier["url"]) + "/close").json


def upload(env, url, pdf, status=200, **fields):
    return env.testapp.post(url, params=fields, upload_files=[("file", "ky.pdf", pdf)],
                            headers=dict(env.auth("archivist"), Accept="application/json"),
                            status=status)


def blob_folders(env, paths):
    conn = env.conn()
    try:
        root = env.root(conn)
        found = []
        for path in paths:
            _, agency, year, number = path.split("/")
            record = root.agencies[agency][year][number]
            found += [os.path.dirname(v.blob.committed()) for v in record.versions]
        return found
    finally:
        conn.close()


def dav_lists_only(env, gone, kept):
    """The year's Depth 1 PROPFIND and HTML index name ``kept`` but not the
    destroyed ``gone`` (its entry answers 410) and count only what they
    list: from the stored summaries (the destroyed one's was dropped), then
    for a year whose summaries were never written (read from the pickles)."""
    _, agency, year, number = gone.split("/")
    base = "/dav/%s/%s/" % (agency, year)
    conn = env.conn()
    try:
        stored = get_index(conn)[(agency, int(year))]
        assert int(number) not in stored and int(kept.rsplit("/", 1)[1]) in stored
    finally:
        conn.close()
    for _ in range(2):
        tree = etree.fromstring(env.testapp.request(
            base, method="PROPFIND", headers=dict(env.auth("connector"), Depth="1"),
            status=207).body)
        listed = [h.text for h in tree.iterfind("D:response/D:href", DAV_NS)][1:]
        assert "/dav%s/" % kept in listed and "/dav%s/" % gone not in listed
        count = tree.find("D:response/D:propstat/D:prop/A:record-count", DAV_NS).text
        assert int(count) == len(listed)
        index = env.testapp.get(base, headers=env.auth("connector")).text
        assert 'href="/dav%s/"' % kept in index and 'href="/dav%s/"' % gone not in index
        drop_summaries(env, agency, int(year))


def drop_summaries(env, agency, year):
    tm = transaction.TransactionManager()
    conn = env.registry._zodb_databases[""].open(transaction_manager=tm)
    try:
        with tm:
            get_index(conn).pop((agency, year), None)
    finally:
        conn.close()


def execute_from_the_page(env, burl):
    """The batch page's execute form, as a signed-in archivist: refused
    without its CSRF token (nothing destroyed), then done, back on the page."""
    from webtest import TestApp
    from tests.people.test_people import HTML, add, csrf_of, sign_in
    add(env, "lan", roles=("archivist",), agency=None, name="Trần Thị Lan",
        position="Lưu trữ viên")
    browser = TestApp(env.app)
    sign_in(browser, "lan")
    page = browser.get(burl, headers=HTML)
    assert 'action="http://localhost%s/execute"' % burl in page.text
    browser.post(burl + "/execute", {}, headers=HTML, status=400)
    assert get(env, burl).json["state"] == "proposed"
    done = browser.post(burl + "/execute", {"csrf_token": csrf_of(page)}, headers=HTML,
                        status=303)
    assert path_of(done.location) == burl
    assert 'id="execute-form"' not in done.follow(headers=HTML).text
    return get(env, burl).json


def test_disposal(denv):
    env = denv
    subject = "Công văn trao đổi lịch họp giao ban tuần"
    gone = [env.deposit(meta={"subject": subject}).json, env.deposit().json]
    keep = env.deposit().json
    received = env.deposit(agency=STTTT, meta={"receivers": [H38]}).json
    dossier = closed(env, gone + [received], retention_code="07", retention_years=5)
    permanent = closed(env, [keep], retention_code="01")
    # a record also kept in another (open) dossier keeps its dossier out
    twice = env.deposit().json
    blocked = closed(env, [twice], retention_code="06")
    shared = open_dossier(env).json
    post(env, path_of(shared["url"]) + "/records", {"record": twice["url"]})

    def propose(urls, status):
        return post(env, "/%s/disposals/" % H38, {"dossiers": urls,
                                                   "note": "Hết thời hạn bảo quản"},
                    who="archivist", status=status)
    assert "vĩnh viễn" in propose([permanent["url"]], 409).json["error"]["message"]
    assert "còn thuộc hồ sơ" in propose([blocked["url"]], 409).json["error"]["message"]

    hold = post(env, "/%s/holds/" % H38, {"scope": [dossier["url"]], "reason": "Khiếu nại"},
                who="archivist", status=201)
    candidates = get(env, "/%s/disposals/candidates" % H38).json["results"]
    assert dossier["url"] not in [c["url"] for c in candidates]
    assert "phong tỏa" in propose([dossier["url"]], 409).json["error"]["message"]
    post(env, path_of(hold.headers["Location"]) + "/lift", {"reason": "Đã giải quyết"},
         who="archivist")
    candidates = [c["url"] for c in get(env, "/%s/disposals/candidates" % H38).json["results"]]
    assert dossier["url"] in candidates and permanent["url"] not in candidates

    kept = closed(env, [env.deposit().json], retention_code="06")
    answer = propose([dossier["url"], kept["url"]], 201)
    burl = path_of(answer.headers["Location"])
    post(env, burl + "/retain", {"dossiers": [kept["url"]]}, who="archivist", status=400)
    retained = post(env, burl + "/retain", {"dossiers": [kept["url"]],
                                            "reason": "Còn giá trị tham khảo"},
                    who="archivist").json
    assert [d["url"] for d in retained["dossiers"]] == [dossier["url"]]
    assert get(env, path_of(kept["url"])).json["state"] == "retained"
    assert get(env, path_of(dossier["url"])).json["state"] == "proposed"
    list_text = extract_text(io.BytesIO(env.testapp.get(burl + "/list.pdf",
                                                        headers=env.auth("archivist")).body))
    assert "Hết thời hạn bảo quản" in list_text
    assert post(env, burl + "/execute", who="archivist", status=409).json["error"]["code"] \
        == "approval_missing"

    assert upload(env, burl + "/council", make_pdf(), status=422).json["error"]["code"] \
        == "unsigned_attachment"
    signed = signed_document(env.pki)
    upload(env, burl + "/council", signed)
    upload(env, burl + "/decision", signed, status=400)         # number, date, signer
    batch = upload(env, burl + "/decision", signed, number="45/QĐ-UBND", date="2026-11-20",
                   signer="Chủ tịch UBND tỉnh").json
    assert batch["attachments"]["decision"]["signatures"][0]["trusted"]

    late = post(env, "/%s/holds/" % H38, {"scope": [gone[0]["url"]], "reason": "Thanh tra"},
                who="archivist", status=201)
    assert post(env, burl + "/execute", who="archivist", status=409).json["error"]["code"] \
        == "held"
    post(env, path_of(late.headers["Location"]) + "/lift", {"reason": "Xong"}, who="archivist")

    paths = [path_of(r["url"]) for r in gone]
    json_headers = dict(env.auth("archivist"), Accept="application/json")
    assert worker_of(env.registry).wait_idle(60)
    found = env.testapp.get("/search", params={"q": "lich hop giao ban"},
                            headers=json_headers).json
    assert paths[0] in [path_of(r["url"]) for r in found["results"]]     # before
    folders = blob_folders(env, paths)
    assert folders and all(os.path.isdir(f) for f in folders)
    done = execute_from_the_page(env, burl)
    assert done["state"] == "executed" and len(done["destroyed"]) == 2
    assert not any(os.path.exists(f) for f in folders)          # the bytes are gone
    stone = done["destroyed"][0]
    assert stone["decision_number"] == "45/QĐ-UBND"
    assert stone["versions"][0]["sha256"] in (gone[0]["sha256"], gone[1]["sha256"])
    assert get(env, path_of(dossier["url"])).json["state"] == "destroyed"

    for path in (paths[0], paths[0] + "/document.pdf", paths[0] + "/versions/1"):
        error = env.testapp.get(path, headers=json_headers, status=410).json["error"]
        assert error["code"] == "destroyed" and "45/QĐ-UBND" in error["message"]
        assert error["details"][0]["versions"][0]["sha256"] == gone[0]["sha256"]
    page = env.testapp.get(paths[0], headers=dict(env.auth("archivist"), Accept="text/html"),
                           status=410)
    assert "45/QĐ-UBND" in page.text
    env.testapp.get(paths[0] + "/document.pdf", headers=env.auth("archivist"), status=410)
    env.testapp.get("/dav" + paths[0] + "/", headers=env.auth("connector"), status=410)
    env.testapp.get("/dav" + paths[0] + "/document.pdf", headers=env.auth("connector"),
                    status=410)
    dav_lists_only(env, paths[0], path_of(keep["url"]))
    assert get(env, path_of(keep["url"])).json["sha256"] == keep["sha256"]   # untouched
    # another agency's document was in the dossier by reference: its original stays
    assert get(env, path_of(received["url"])).json["sha256"] == received["sha256"]

    assert worker_of(env.registry).wait_idle(60)
    found = env.testapp.get("/search", params={"q": "lich hop giao ban"},
                            headers=json_headers).json
    assert paths[0] not in [path_of(r["url"]) for r in found["results"]]
    from archive_repo.indexing import fulltext_of
    from archive_repo.indexing.rebuild import differences
    conn = env.conn()
    try:        # catalog and full text agree with the tree (check-index would pass)
        assert not any(differences(env.root(conn), fulltext_of(env.registry)).values())
    finally:
        conn.close()
    feed = env.testapp.get("/dav/changes", headers=env.auth("connector")).json["changes"]
    last = [c for c in feed if c["path"] == paths[0]][-1]
    assert last["what"] == "destroyed"
    env.testapp.get(path_of(last["url"]), headers=json_headers, status=410)

    minute = extract_text(io.BytesIO(env.testapp.get(burl + "/minute.pdf",
                                                     headers=env.auth("archivist")).body))
    assert "tiêu hủy tài liệu hết giá trị" in minute and "45/QĐ-UBND" in minute
    assert gone[0]["sha256"][:20] in minute.replace("\n", "")
    assert post(env, burl + "/execute", who="archivist", status=409)
    page = env.testapp.get(burl, headers=env.auth("archivist")).text
    assert "Đã tiêu hủy" in page and gone[0]["sha256"] in page and "45/QĐ-UBND" in page
    listing = env.testapp.get("/%s/disposals/" % H38, headers=env.auth("archivist")).text
    assert "Đã tiêu hủy" in listing

    # preservation: a PREMIS deletion event per destroyed record, and fixity
    # reports it as destroyed by the decision, not missing, and no failure
    from archive_repo.preservation import fixity
    from archive_repo.preservation.events import events_of
    conn = env.conn()
    try:
        deletion = [e for e in events_of(conn, paths[0]) if e["action"] == "deletion"]
    finally:
        conn.close()
    assert len(deletion) == 1 and deletion[0]["detail"]["detail"]["decision"] == "45/QĐ-UBND"
    _, summary = fixity.run_fixity(env.registry, agency=H38)
    assert fixity.all_ok(summary) and summary["checked"] > 0
    assert summary["counts"]["missing"] == 0
    reported = [d for d in summary["destroyed"] if d["path"] == paths[0]]
    assert [(d["status"], d["decision"], d["sha256"]) for d in reported] == [
        ("destroyed", "45/QĐ-UBND", gone[0]["sha256"])]
    assert summary["counts"]["destroyed"] == len(summary["destroyed"]) >= 1
    conn = env.conn()
    try:        # restore's and upgrade's checks read only what has bytes
        assert paths[0] not in [r.path for _, r, _ in fixity.select(env.root(conn), H38)]
    finally:
        conn.close()
