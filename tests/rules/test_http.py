"""The rule engine through HTTP: deposit real signed PDFs into the real app
(tests/conftest.py), read the verdict in the record JSON and the HTML page;
revalidate from the command line and read the new reports back."""
import contextlib
import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from archive_repo.rules import rule_policy  # noqa: E402
from archive_repo import db, timeutil
from tests.conftest import H38, build_env, close_env
from tests.support.pdfs import (append_page_incrementally, make_pdf,
                                remove_page_incrementally)
from tests.support.scans import make_scan_pdf
from tests.support.signing import VN, add_signature_fields, sign, signed_document
from archive_repo.indexing import worker_of  # noqa: E402

YEAR = timeutil.now().year
ORDINARY = "Về việc phê duyệt kế hoạch chuyển đổi số"
APPOINTMENT = "Quyết định bổ nhiệm ông Trần Văn Bình giữ chức Phó Giám đốc Sở"


def _settings(pki):
    return {"archive_repo.trust_roots": pki.trust_roots_dir,
            "archive_repo.crl_dir": pki.crl_dir}


@pytest.fixture(scope="module")
def shared_env(tmp_path_factory, pki):
    """One app for the deposit tests: each reads back only its own record."""
    env = build_env(tmp_path_factory.mktemp("http"), **_settings(pki))
    yield env
    close_env(env)


@pytest.fixture
def signed_env(tmp_path, pki):
    env = build_env(tmp_path, **_settings(pki))
    yield env
    close_env(env)


def _recent():
    return timeutil.now() - timedelta(minutes=20)


def _meta(**extra):
    return dict({"issued_on": timeutil.now().date().isoformat(), "subject": ORDINARY}, **extra)


def _deposit(env, pdf, status=201, **meta):
    return env.deposit(year=YEAR, pdf=pdf, meta=_meta(**meta), status=status)


def _page(env, record):
    return env.testapp.get(record["url"].replace("http://localhost", ""),
                           headers=env.auth("archivist")).text


def _row(html, code):
    """The result cell of check ``code`` in the page's table of checks."""
    found = re.search(r"<td><code>%s</code></td>\s*<td>(.*?)</td>" % code, html, re.S)
    assert found, code
    return found.group(1)


def _total(env):
    return env.testapp.get("/%s/%d" % (H38, YEAR), headers=dict(
        env.auth("archivist"), Accept="application/json")).json["total"]


def _failed(record, code):
    checks = {c["code"]: c for c in record["checks"]}
    assert checks[code]["passed"] is False, checks[code]
    assert record["legal_status"] == "reference_only"
    assert checks[code]["message"] in record["legal_status_reasons"]
    return checks[code]


# -- a correct document, and what the page shows of it ------------------------------

def test_correct_document_is_equivalent_to_paper_over_http(shared_env, pki):
    res = _deposit(shared_env, signed_document(pki, org_time=_recent()))
    record = res.json
    assert record["legal_status"] == "equivalent_to_paper", record["legal_status_reasons"]
    codes = {c["code"]: c for c in record["checks"]}
    assert codes["organisation_signature"]["passed"] is True
    assert codes["sent_in_time"]["article"] == "6.1b" and codes["sent_in_time"]["passed"]
    assert {s["role"] for s in record["signatures"]} == {"personal", "organisation"}
    assert record["report"]["trust_roots"]
    page = shared_env.testapp.get(res.headers["Location"], headers=shared_env.auth("archivist"))
    assert "Có giá trị pháp lý tương đương văn bản giấy" in page.text
    assert "Nguyễn Văn An" in page.text


def test_record_page_shows_the_evidence(shared_env, pki):
    """Issuer, serial, validity and chain of each signature; when the report
    was made (dd/mm/yyyy, +07:00), by which engine, against which roots."""
    record = _deposit(shared_env, signed_document(pki, org_time=_recent())).json
    html = _page(shared_env, record)
    personal = record["signatures"][0]["certificate"]
    assert "Cấp bởi: %s" % personal["issuer"] in html
    assert "<code>%s</code>" % personal["serial"] in html
    assert "Hiệu lực: 01/01/2015 – 01/01/2045" in html
    assert re.search(r'<ol class="chain"><li>TEST Co quan chung thuc so chuyen dung Chinh phu '
                     r'\(RootCA\)</li><li>TEST Co quan chung thuc so Chinh phu</li>'
                     r'<li>Nguyễn Văn An</li></ol>', html)
    made = timeutil.to_vn(datetime.fromisoformat(record["report"]["made_at"]))
    assert "Kiểm tra lúc %s (giờ Việt Nam, +07:00), phiên bản bộ quy tắc %s" % (
        made.strftime("%H:%M:%S %d/%m/%Y"), record["report"]["engine_version"]) in html
    assert pki.root.cert.fingerprint(hashes.SHA256()).hex() in html
    assert "(thời điểm nộp lưu)" in html                # when each certificate was judged
    assert "Chưa bị thu hồi" in html


# -- Art. 6.1a: who vouches for the certificate -------------------------------------

BACKDATED_REVOKED = datetime(2015, 6, 1, 9, 0, tzinfo=VN)    # revoked 1/1/2016
BACKDATED_EXPIRED = datetime(2016, 5, 2, 9, 0, tzinfo=VN)    # expired 1/1/2017


@pytest.mark.parametrize("signers,code,words", [
    ({"personal": "revoked"}, "revocation", "đã bị thu hồi"),
    ({"personal": "revoked", "personal_time": BACKDATED_REVOKED}, "revocation",
     "trước ngày thu hồi, chỉ do người ký tự khai"),
    ({"personal": "expired"}, "cert_valid_at_signing", "đã hết hiệu lực"),
    ({"personal": "expired", "personal_time": BACKDATED_EXPIRED}, "cert_valid_at_signing",
     "chỉ do người ký tự khai, không có dấu thời gian tin cậy"),
    ({"organisation": "commercial"}, "gov_ca_chain", "không phải chữ ký số chuyên dùng"),
], ids=["revoked", "revoked-backdated", "expired", "expired-backdated", "commercial-ca"])
def test_certificate_problems_make_it_reference_only(shared_env, pki, signers, code, words):
    record = _deposit(shared_env, signed_document(pki, org_time=_recent(), **signers)).json
    check = _failed(record, code)
    assert words in check["message"] and "(Điều 6, khoản 1, điểm a)" in check["message"]
    assert _row(_page(shared_env, record), code) == '<span class="fail">Không đạt</span>'


# -- Art. 6.1b: sent in time ----------------------------------------------------------

def test_signed_days_before_the_deposit_is_late(shared_env, pki):
    """Signed ten days ago — always more than the next working day's noon —
    and deposited now: no fake clock needed."""
    signed = timeutil.now().replace(microsecond=0) - timedelta(days=10)
    record = _deposit(shared_env, signed_document(pki, org_time=signed)).json
    check = _failed(record, "sent_in_time")
    assert "quá 12h00 ngày làm việc tiếp theo" in check["message"]
    assert check["details"]["signed_at"] == timeutil.isoformat(signed)


# -- Art. 6.1c, 8.1a: format and scans ----------------------------------------------

def test_pdf_older_than_1_4_is_reference_only(shared_env):
    # pyHanko raises the catalogue /Version to 1.7 when it signs, so the
    # old file is an unsigned one
    record = _deposit(shared_env, make_pdf(version="1.3")).json
    check = _failed(record, "pdf_version")
    assert check["details"]["version"] == "1.3" and "1.4 trở lên" in check["message"]
    html = _page(shared_env, record)
    assert _row(html, "pdf_version") == '<span class="fail">Không đạt</span>'
    assert "Không có chữ ký số." in html


@pytest.mark.parametrize("scan,code,words", [
    ({"mode": "L"}, "scan_colour", "không phải ảnh màu"),
    ({"dpi": 150}, "scan_resolution", "150 dpi"),
], ids=["greyscale", "150-dpi"])
def test_poor_signed_scans_are_reference_only(shared_env, pki, scan, code, words):
    pdf = signed_document(pki, kind="digitized", pdf=make_scan_pdf(**scan), org_time=_recent())
    record = _deposit(shared_env, pdf, digitized=True).json
    assert record["digitized"] is True
    assert words in _failed(record, code)["message"]
    assert {c["code"] for c in record["checks"]
            if c["passed"] is False and c["severity"] != "flag"} == {code}


def test_good_signed_scan_is_equivalent_to_paper(shared_env, pki):
    pdf = signed_document(pki, kind="digitized", pdf=make_scan_pdf(), org_time=_recent())
    record = _deposit(shared_env, pdf, digitized=True).json
    assert record["legal_status"] == "equivalent_to_paper", record["legal_status_reasons"]


# -- Art. 9.2c: where the seal sits ----------------------------------------------------

def test_misplaced_seal_is_reference_only(shared_env, pki):
    pdf = signed_document(pki, seal_box=(60, 600, 160, 700), org_time=_recent())
    check = _failed(_deposit(shared_env, pdf).json, "organisation_seal_position")
    assert "Điều 9, khoản 2, điểm c" in check["message"]


# -- flags: information, never pass/fail ---------------------------------------------

def test_urgent_document_is_flagged_priority(shared_env, pki):
    record = _deposit(shared_env, signed_document(pki, urgent=True, org_time=_recent()),
                      urgency="Khẩn").json
    assert record["flags"]["priority"] is True and record["flags"]["urgency"] == "Khẩn"
    checks = {c["code"]: c for c in record["checks"]}
    assert checks["urgency_signature"]["passed"] is True
    assert record["legal_status"] == "equivalent_to_paper", record["legal_status_reasons"]
    html = _page(shared_env, record)
    assert _row(html, "urgency_marked") == '<span class="info">Xử lý ưu tiên</span>'
    assert "Văn bản Khẩn: xử lý ưu tiên (Điều 6, khoản 4)." in html


@pytest.mark.parametrize("subject,required,shown", [
    (APPOINTMENT, True, "Cần gửi kèm bản giấy"),
    (ORDINARY, False, "Không cần"),
], ids=["appointment", "ordinary"])
def test_paper_copy_flag_is_shown_as_information(shared_env, pki, subject, required, shown):
    record = _deposit(shared_env, signed_document(pki, org_time=_recent()),
                      subject=subject).json
    assert record["flags"]["paper_copy_required"] is required
    assert record["flags"]["paper_copy_reasons"] == (["organisation_personnel"] if required
                                                     else [])
    assert record["legal_status"] == "equivalent_to_paper"      # a flag, not a rule
    cell = _row(_page(shared_env, record), "paper_copy_required")
    assert cell == '<span class="info">%s</span>' % shown
    assert "Đạt" not in cell and "Không đạt" not in cell


# -- Art. 7.1a: changed after signing → 422, nothing kept ----------------------------

def _docmdp_violation(pki):
    prepared = add_signature_fields(make_pdf(), {"ChungThuc": (350, 100, 450, 200),
                                                 "ChuKyThem": (100, 100, 200, 200)})
    certified = sign(prepared, pki.signer("organisation"), "ChungThuc", certify="NO_CHANGES")
    return sign(certified, pki.signer("personal"), "ChuKyThem", ignore_locks=True)


@pytest.mark.parametrize("change", [
    lambda pki: append_page_incrementally(signed_document(pki, org_time=_recent())),
    lambda pki: remove_page_incrementally(signed_document(pki, org_time=_recent(),
                                                          pdf=make_pdf(pages=2))),
    _docmdp_violation,
], ids=["page-added", "page-removed", "docmdp-no-changes"])
def test_modified_after_signing_is_refused_and_nothing_kept(shared_env, pki, change):
    before = _total(shared_env)
    res = _deposit(shared_env, change(pki), status=422)
    error = res.json["error"]
    assert error["code"] == "rejected"
    refusal, *also = error["details"]
    assert refusal["code"] == "no_modification_after_signing"
    assert "Văn bản bị thay đổi sau khi ký" in refusal["message"]
    # a page added after signing is also a page the signer never saw
    assert [c["code"] for c in also] in ([], ["signed_view_unchanged"])
    assert _total(shared_env) == before


def test_tampered_document_is_refused_and_nothing_kept(shared_env, pki):
    pdf = bytearray(signed_document(pki, org_time=_recent()))
    index = pdf.find(b"stream", 2000)
    pdf[index + 20] ^= 0x01
    before = _total(shared_env)
    res = _deposit(shared_env, bytes(pdf), status=422)
    assert res.json["error"]["code"] == "rejected"
    assert "signatures_intact" in [d["code"] for d in res.json["error"]["details"]]
    assert _total(shared_env) == before


def test_missing_personal_signature_is_reference_only_with_reason(shared_env, pki):
    record = _deposit(shared_env, signed_document(pki, with_personal=False,
                                                  org_time=_recent())).json
    assert record["legal_status"] == "reference_only"
    assert any("người có thẩm quyền" in m for m in record["legal_status_reasons"])
    assert "Chỉ có giá trị để biết, tham khảo" in _page(shared_env, record)


# -- revalidation: reports beside the original, in the JSON and on the page ----------

def _revalidate_in_process(env, **options):
    import transaction
    from archive_repo.rules.revalidate import revalidate
    tm = transaction.TransactionManager()
    conn = env.registry._zodb_databases[""].open(transaction_manager=tm)
    try:
        tm.begin()
        counts = revalidate(env.root(conn), rule_policy(env.registry), tm.commit,
                            registry=env.registry, **options)
        tm.commit()
    finally:
        conn.close()
    return counts


def test_revalidation_reports_reach_the_json_and_the_page(signed_env, pki):
    from archive_repo.dav import changes
    url = _deposit(signed_env, signed_document(pki, org_time=_recent())).json["url"]
    from archive_repo.events import RecordEvent
    events = []
    # beside the app's subscribers, a note of what the operation fired
    signed_env.registry.registerHandler(events.append, (RecordEvent,))
    _revalidate_in_process(signed_env)
    signed_env.registry.unregisterHandler(events.append, (RecordEvent,))
    assert [(e.record.path, e.info) for e in events] == [
        (url.replace("http://localhost", ""), {"what": "revalidation"})]
    changes.sequence_now(db.database(signed_env.registry))     # as a feed reader does
    conn = signed_env.conn()
    assert [c.what for c in changes.get_log(conn).since(0, 10)[0]] == ["added", "revalidation"]
    conn.close()
    record = signed_env.testapp.get(url.replace("http://localhost", ""), headers=dict(
        signed_env.auth("archivist"), Accept="application/json")).json
    [version] = record["versions"]
    assert version["revalidations"] == 1                # the count stays
    [report] = version["reports"]
    assert report["kind"] == "revalidation" and report["legal_status"] == "equivalent_to_paper"
    assert report["made_at"].endswith("+07:00") and report["failed_checks"] == []
    assert report["trust_roots"] == record["report"]["trust_roots"]
    html = _page(signed_env, record)
    assert "Kiểm tra lại (phiên bản 1)" in html and "Tương đương văn bản giấy" in html


# -- the revalidate command ----------------------------------------------------------------

def _hand_over(env, tmp_path):
    """The app's config as an ini file, and the app closed: the CLI opens the
    FileStorage itself.  The app's index worker finishes first — else the
    CLI's start-up finds the full-text index behind and queues work, a
    write of its own."""
    ini = tmp_path / "app.ini"
    ini.write_text("[app:main]\nuse = egg:archive_repo\n" + "".join(
        "%s = %s\n" % item for item in env.settings.items()), encoding="utf-8")
    assert worker_of(env.registry).wait_idle()
    close_env(env)
    return ini


def _cli(ini, *args, subprocess_run=False):
    from tests.support.cli import cli
    return cli(ini, "revalidate", *args, subprocess_run=subprocess_run).stdout


@contextlib.contextmanager
def _database(env):
    """A connection to the records' FileStorage, opened directly (the app
    is closed: the CLI and this test take turns)."""
    import ZODB
    from ZODB.FileStorage import FileStorage

    from archive_repo.db import opened
    path = env.settings["zodbconn.uri"][len("file://"):].split("?")[0]
    db = ZODB.DB(FileStorage(path, blob_dir=os.path.join(os.path.dirname(path), "blobs")))
    try:
        with opened(db) as conn:
            yield conn
    finally:
        db.close()


def _versions(conn):
    from archive_repo.resources import get_root
    year = get_root(conn).agencies[H38][str(YEAR)]
    return [(record.path, record.current) for record in year.values()]


def _feed(conn):
    from archive_repo.dav import changes
    changes.sequence_now(conn.db())         # number what waits, as a feed reader does
    with db.opened(conn.db()) as fresh:
        fresh.transaction_manager.begin()
        return [(c.path, c.what) for c in changes.get_log(fresh).since(0, 100)[0]]


def _two_records(env, pki):
    for _ in range(2):
        _deposit(env, signed_document(pki, org_time=_recent()))


def test_two_runs_keep_two_reports_beside_the_original(signed_env, pki, tmp_path):
    _deposit(signed_env, signed_document(pki, org_time=_recent()))
    ini = _hand_over(signed_env, tmp_path)
    for _ in range(2):
        assert "Tương đương văn bản giấy: 1; chỉ tham khảo: 0" in _cli(ini, "--agency", H38,
                                                                     subprocess_run=True)
    with _database(signed_env) as conn:
        [(path, version)] = _versions(conn)
        assert version.report["legal_status"] == "equivalent_to_paper"
        first, second = version.reports
        root = pki.root.cert.fingerprint(hashes.SHA256()).hex()
        for again in (first, second):
            assert again["kind"] == "revalidation" and again["made_at"].endswith("+07:00")
            assert [r["sha256"] for r in again["trust_roots"]] == [root]
            # reports are stamped to the second: a quick run can share the deposit's second
            assert again["made_at"] >= version.report["made_at"]
        assert first["run_id"] != second["run_id"] and second["made_at"] >= first["made_at"]
        # each run told the change feed (and the indexes) about the record
        assert _feed(conn)[-2:] == [(path, "revalidation")] * 2


def test_dry_run_and_another_year_write_nothing(signed_env, pki, tmp_path):
    _deposit(signed_env, signed_document(pki, org_time=_recent()))
    ini = _hand_over(signed_env, tmp_path)
    data = Path(signed_env.settings["zodbconn.uri"][len("file://"):].split("?")[0])
    size = data.stat().st_size
    assert "Tương đương văn bản giấy: 1" in _cli(ini, "--dry-run")
    assert data.stat().st_size == size                  # not one transaction committed
    assert "Tương đương văn bản giấy: 0; chỉ tham khảo: 0" in _cli(ini, "--year", str(YEAR - 1))
    with _database(signed_env) as conn:
        assert [len(v.reports) for _, v in _versions(conn)] == [0]
        assert "revalidation" not in {what for _, what in _feed(conn)}


def test_resume_finishes_an_interrupted_run(signed_env, pki, tmp_path):
    _two_records(signed_env, pki)
    ini = _hand_over(signed_env, tmp_path)
    from archive_repo.resources import get_root
    from archive_repo.rules import policy_from_settings
    from archive_repo.rules.revalidate import revalidate

    class Interrupted(Exception):
        pass

    def stop(record):
        raise Interrupted(record.path)
    with _database(signed_env) as conn:
        tm = conn.transaction_manager
        tm.begin()
        with pytest.raises(Interrupted):       # committed after each record, then stopped
            revalidate(get_root(conn), policy_from_settings(signed_env.settings),
                       tm.commit, every=1, progress=lambda r: (tm.commit(), stop(r)))
        assert [len(v.reports) for _, v in _versions(conn)] == [1, 0]
    out = _cli(ini, "--resume")
    assert "Tương đương văn bản giấy: 1; chỉ tham khảo: 0; bỏ qua (đã kiểm tra): 1" in out
    with _database(signed_env) as conn:
        reports = [v.reports for _, v in _versions(conn)]
        assert [len(r) for r in reports] == [1, 1]
        assert reports[0][0]["run_id"] == reports[1][0]["run_id"]    # one run ...
        assert get_root(conn).job_state["revalidate"]["finished"] is True     # ... finished
