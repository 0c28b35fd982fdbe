"""Decree 30 App. VI: the same bytes, or the same number and notation of the
same issuer in a year, are answered 409 ``duplicate_document`` naming the
existing record, unless the clerk sends ``allow_duplicate: true``; audited
either way; the digest index is filled for older databases; two identical
deposits at once register exactly one."""
from collections import Counter

import pytest

from tests.conftest import H38, STTTT, build_env, close_env
from tests.foundation.test_deposit_http import assert_refusal_audited, latest_audit
from tests.support.pdfs import make_pdf
from tests.support.threads import race


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    env = build_env(tmp_path_factory.mktemp("duplicates"))
    yield env
    close_env(env)


def test_the_same_bytes_again_are_refused_naming_the_record(env):
    pdf = make_pdf()
    first = env.deposit(pdf=pdf).json
    res = env.deposit(pdf=pdf, status=409)
    error = res.json["error"]
    assert error["code"] == "duplicate_document"
    [detail] = error["details"]
    assert detail["url"] == first["url"] and detail["reason"] == "same_bytes"
    assert first["url"].replace("http://localhost", "") in error["message"]
    assert_refusal_audited(env, "duplicate_document", 409, "/%s/2026/" % H38)
    # another agency depositing the very same file is warned alike
    other = env.deposit(agency=STTTT, pdf=pdf, status=409).json["error"]
    assert other["details"][0]["url"] == first["url"]


def test_an_allowed_duplicate_is_kept_and_its_audit_entry_says_so(env):
    pdf = make_pdf()
    first = env.deposit(pdf=pdf).json
    second = env.deposit(pdf=pdf, meta={"allow_duplicate": True}).json
    assert second["url"] != first["url"]
    assert "allow_duplicate" not in second
    [entry] = latest_audit(env)
    assert entry["action"] == "deposit" and entry["outcome"] == "ok"
    assert entry["detail"]["duplicate_of"] == first["url"].replace("http://localhost", "")


def test_the_same_number_and_notation_in_the_year_is_a_duplicate(env):
    first = env.deposit(meta={"number": 501}).json
    error = env.deposit(meta={"number": 501}, status=409).json["error"]
    assert error["code"] == "duplicate_document"
    assert error["details"][0] == dict(error["details"][0], reason="same_number",
                                       url=first["url"], field="number")
    # another notation under a taken number is the old refusal, not a duplicate
    taken = env.deposit(meta={"number": 501, "notation": "KH-UBND"}, status=409).json
    assert taken["error"]["code"] == "number_taken"


def test_two_identical_deposits_at_once_register_one(env):
    pdf = make_pdf()
    results, errors = race(2, lambda _: env.deposit(pdf=pdf, status="*").status_int)
    assert errors == [] and Counter(results) == {201: 1, 409: 1}, (results, errors)


def test_start_up_fills_the_digest_index_of_an_older_database(tmp_path):
    step = "2026-12-digest-index"
    env = build_env(tmp_path)
    pdf = make_pdf()
    url = env.deposit(pdf=pdf).json["url"]
    conn = env.conn()
    with conn.transaction_manager:
        root = env.root(conn)
        del root.evolved[step]
        del root.digests                        # the shape before this release
    conn.close()
    close_env(env)
    env = build_env(tmp_path)                   # start-up runs the step
    try:
        error = env.deposit(pdf=pdf, status=409).json["error"]
        assert error["details"][0]["url"] == url
    finally:
        close_env(env)


def test_the_browser_form_shows_the_duplicate_and_its_checkbox_allows_it(env):
    pdf = make_pdf()
    env.deposit(pdf=pdf)
    fields = {"notation": "QĐ-UBND", "doctype": "QĐ", "issued_on": "05/03/2026",
              "subject": "Về việc nộp lưu qua biểu mẫu", "signer": "Nguyễn Văn An"}

    def post(status, **more):
        return env.testapp.post("/%s/deposit" % H38, params=dict(fields, **more),
                                upload_files=[("file", "vanban.pdf", pdf)],
                                headers=dict(env.auth(("clerk", H38)), Accept="text/html"),
                                status=status)
    page = post(409).text
    assert "đã được lưu trữ" in page and 'name="allow_duplicate"' in page
    assert "deposited=1" in post(303, allow_duplicate="on").location
