"""Deposit over HTTP: the happy path, and every kind of bad input leaving
nothing behind (no record, no blob, no number)."""
import json
import os
import re
import time
import unicodedata

import pytest

from tests.conftest import H38, STTTT, SYT, default_metadata
from tests.support.pdfs import make_pdf
from archive_repo.indexing import worker_of  # noqa: E402


# a letter only Vietnamese (of the languages an error could leak in) writes
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợ"
                        "ùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)


def blob_dir(env):
    return env.settings["zodbconn.uri"].split("blobstorage_dir=")[1]


def blob_files(env):
    """The committed blobs, and whatever is in the blob storage's tmp dir,
    where uploads are spooled before a blob consumes them."""
    root, found = blob_dir(env), []
    for dirpath, _, files in os.walk(root):
        in_tmp = "tmp" in os.path.relpath(dirpath, root).split(os.sep)
        found += [os.path.join(dirpath, f) for f in files if in_tmp or f.endswith(".blob")]
    return found


def stored_numbers(env, agency=H38, year=2026):
    conn = env.conn()
    try:
        container = env.root(conn).agencies[agency]
        return list(container.data[year].keys()) if year in container.data else []
    finally:
        conn.close()


def assert_nothing_stored(env):
    assert stored_numbers(env) == []
    assert blob_files(env) == []


def error_of(response, code, status):
    body = response.json
    assert response.status_int == status
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert VIETNAMESE.search(body["error"]["message"]), body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    return body["error"]


def latest_audit(env, n=1):
    """The newest ``n`` entries of the audit trail, newest first."""
    from archive_repo.audit import get_log
    conn = env.registry._zodb_databases["audit"].open()
    try:
        return get_log(conn).latest(n)
    finally:
        conn.close()


def assert_refusal_audited(env, code, status, target=None):
    entry = latest_audit(env)[0]
    assert entry["outcome"] == "refused"
    assert entry["detail"]["code"] == code and entry["detail"]["status"] == status
    if target is not None:
        assert entry["target"] == target
    return entry


def settle(env):
    """Wait until the index worker has applied (and acknowledged, a commit
    to Data.fs) what the deposits queued, so Data.fs stays still after."""
    assert worker_of(env.registry).wait_idle(60), "the index worker did not drain"


def assert_next_number(env, expected):
    """No refusal consumed a number: the next deposit gets ``expected``."""
    assert env.deposit().json["number"] == expected


def test_deposit_creates_record_blob_and_location(env):
    res = env.deposit()
    assert res.headers["Location"].endswith("/%s/2026/1" % H38)
    record = res.json
    for name in ("notation", "doctype", "subject", "issued_on", "signer", "urgency",
                 "confidentiality", "receivers", "digitized", "page_count", "keywords",
                 "url", "agency", "year", "number", "legal_status", "checks", "signatures",
                 "sha256", "size", "deposited_at", "versions", "recall", "deliveries",
                 "history"):
        assert name in record, name
    assert record["number"] == 1 and record["year"] == 2026 and record["agency"] == H38
    assert record["deposited_at"].endswith("+07:00")
    assert record["size"] == len(make_pdf())
    assert record["legal_status"] in ("reference_only", "equivalent_to_paper")
    assert len(blob_files(env)) == 1
    assert [h["action"] for h in record["history"]] == ["deposit"]


def test_numbers_follow_and_restart_each_year(env):
    assert env.deposit().json["number"] == 1
    assert env.deposit().json["number"] == 2
    assert env.deposit(meta={"number": 10}).json["number"] == 10
    assert env.deposit().json["number"] == 11
    assert env.deposit(year=2027, meta={"issued_on": "2027-01-01"}).json["number"] == 1


def test_taken_number_is_409_and_nothing_added(env):
    env.deposit(meta={"number": 5})
    # another notation: the same notation would be a duplicate_document
    res = env.deposit(meta={"number": 5, "notation": "KH-UBND"}, status=409)
    error_of(res, "number_taken", 409)
    assert_refusal_audited(env, "number_taken", 409, "/%s/2026/" % H38)
    assert stored_numbers(env) == [5]
    assert len(blob_files(env)) == 1
    assert_next_number(env, 6)


BAD_INPUTS = [
    # (description, kwargs for env.deposit, code, status)
    ("year mismatch", dict(meta={"issued_on": "2025-12-31"}), "year_mismatch", 400),
    ("negative number", dict(meta={"number": -1}), "invalid_metadata", 400),
    ("non-integer number", dict(meta={"number": "7a"}), "invalid_metadata", 400),
    ("unknown doctype", dict(meta={"doctype": "ZZ"}), "invalid_metadata", 400),
    ("unknown receiver", dict(meta={"receivers": ["000.00.77.H38"]}), "invalid_metadata", 400),
    ("control characters", dict(meta={"subject": "Trích\x07yếu"}), "invalid_metadata", 400),
    ("zero-byte file", dict(pdf=b""), "empty_file", 400),
    ("not a pdf", dict(pdf=b"GIF89a not a pdf at all" * 10), "rejected", 422),
    ("truncated pdf", dict(pdf=make_pdf()[:700]), "rejected", 422),
    ("path traversal filename", dict(filename="../../etc/passwd.pdf"), "invalid_filename", 400),
    ("state secret", dict(meta={"confidentiality": "Tối mật"}), "rejected", 422),
]


@pytest.mark.parametrize("what,kwargs,code,status", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_refused_and_leaves_nothing(env, what, kwargs, code, status):
    res = env.deposit(status=status, **kwargs)
    error = error_of(res, code, status)
    assert_nothing_stored(env)
    # a refusal is audited, in its own transaction
    assert_refusal_audited(env, code, status, "/%s/2026/" % H38)
    assert_next_number(env, 1)
    if code == "rejected":
        assert error["details"] and all(d["passed"] is False for d in error["details"])


CONTROLS = [
    ("notation", "QĐ\x00-UBND"),
    ("signer", "Nguyễn\x1bVăn An"),
    ("keywords", ["chuyển đổi số", "kế\x7fhoạch"]),
    ("signer_position", "Chủ\x0ctịch"),
    ("subject", "Trích yếu\r\x08"),
]


@pytest.mark.parametrize("field,value", CONTROLS, ids=[c[0] for c in CONTROLS])
def test_control_characters_in_any_field_are_refused(env, field, value):
    res = env.deposit(meta={field: value}, status=400)
    error = error_of(res, "invalid_metadata", 400)
    assert [d["field"] for d in error["details"]] == [field]
    assert VIETNAMESE.search(error["details"][0]["message"])
    assert_nothing_stored(env)
    assert_next_number(env, 1)


def dir_touched(path, since_ns):
    """Was a file created in (or removed from) ``path`` after ``since_ns``?
    A directory's mtime moves with every entry added or removed, so a file
    spooled there and deleted again still shows."""
    return os.stat(path).st_mtime_ns > since_ns


def secret_pdf(marker):
    """A real PDF of over 1 MiB (so the multipart parser spills it to disk),
    carrying ``marker`` after its end (readers ignore trailing bytes)."""
    return make_pdf() + b"\n%" + marker + b"\n%" + b"0" * (1 << 20) + b"\n"


SECRET_FORMS = [
    ("decomposed (NFD)", unicodedata.normalize("NFD", "Mật"), "Mật"),
    ("upper case", "MẬT", "Mật"),
    ("unaccented", "Toi mat", "Tối mật"),
    ("decomposed upper case", unicodedata.normalize("NFD", "TUYỆT MẬT"), "Tuyệt mật"),
]


@pytest.mark.parametrize("typed,level", [f[1:] for f in SECRET_FORMS],
                         ids=[f[0] for f in SECRET_FORMS])
def test_state_secret_in_any_form_is_refused_before_spooling(env, tmp_path, typed, level):
    marker = b"BI-MAT-NHA-NUOC-" + os.urandom(8).hex().encode()
    tmpdir = os.path.join(blob_dir(env), "tmp")
    before = os.stat(tmpdir).st_mtime_ns
    time.sleep(0.05)             # past the file system's timestamp granularity
    res = env.deposit(pdf=secret_pdf(marker), meta={"confidentiality": typed}, status=422)
    error = error_of(res, "rejected", 422)
    assert [d["code"] for d in error["details"]] == ["not_state_secret"]
    assert error["details"][0]["details"] == {"confidentiality": level}
    assert not dir_touched(tmpdir, before), "the file was spooled before the refusal"
    assert_nothing_stored(env)
    for dirpath, _, files in os.walk(tmp_path):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as f:
                assert marker not in f.read(), name
    assert_refusal_audited(env, "rejected", 422)
    assert_next_number(env, 1)


def test_state_secret_never_reaches_disk(env, tmp_path):
    marker = b"%PDF-1.7 BI-MAT-NHA-NUOC-MARKER"
    env.deposit(pdf=marker + make_pdf()[8:], meta={"confidentiality": "Mật"}, status=422)
    for dirpath, _, files in os.walk(tmp_path):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as f:
                assert b"BI-MAT-NHA-NUOC-MARKER" not in f.read(), name


def _post(env, body, content_type, who=("clerk", H38), status=400):
    headers = dict(env.auth(who), **{"Content-Type": content_type,
                                     "Accept": "application/json"})
    return env.testapp.post("/%s/2026/" % H38, body, headers=headers, status=status)


MULTIPART = (b"--xyz\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{}\r\n"
             b"--xyz--\r\n")


@pytest.mark.parametrize("content_type", [
    "multipart/form-data",                           # no boundary at all
    "multipart/form-data; boundary=",                # an empty one
    "multipart/form-data; boundary=\"x y\x01\"",     # not a legal boundary
    "multipart/form-data; boundary=" + "x" * 300,    # longer than RFC 2046 allows
], ids=["missing", "empty", "illegal", "too long"])
def test_malformed_multipart(env, content_type):
    res = _post(env, MULTIPART, content_type)
    error = error_of(res, "malformed_multipart", 400)
    assert error["details"][0]["problem"]
    assert_nothing_stored(env)
    assert_refusal_audited(env, "malformed_multipart", 400)
    assert_next_number(env, 1)


def test_missing_and_invalid_json(env):
    res = env.testapp.post("/%s/2026/" % H38, params={"metadata": "{not json"},
                           upload_files=[("file", "a.pdf", make_pdf())],
                           headers=env.auth(("clerk", H38)), status=400)
    error_of(res, "invalid_json", 400)
    res = env.testapp.post("/%s/2026/" % H38, params={},
                           upload_files=[("file", "a.pdf", make_pdf())],
                           headers=env.auth(("clerk", H38)), status=400)
    error_of(res, "missing_metadata", 400)
    res = env.testapp.post("/%s/2026/" % H38, params={"metadata": json.dumps(default_metadata())},
                           headers=env.auth(("clerk", H38)), status=400)
    assert res.json["error"]["code"] in ("missing_file", "unsupported_media_type")
    assert_nothing_stored(env)


def test_not_multipart(env):
    error_of(_post(env, b"{}", "application/json"), "unsupported_media_type", 400)


def test_too_large_is_413(env):
    big = make_pdf() + b"%" + b"x" * (2 << 20)
    res = env.deposit(pdf=big, status=413)
    error_of(res, "too_large", 413)
    assert_refusal_audited(env, "too_large", 413, "/%s/2026/" % H38)
    assert_nothing_stored(env)
    assert_next_number(env, 1)


def test_unknown_agency_is_404_with_a_real_file(env):
    res = env.deposit(agency="000.00.55.H38", who=("clerk", H38), status=404)
    error_of(res, "not_found", 404)
    assert_refusal_audited(env, "not_found", 404, "/000.00.55.H38/2026/")
    assert blob_files(env) == []
    conn = env.conn()
    try:
        assert "000.00.55.H38" not in env.root(conn).agencies
    finally:
        conn.close()
    assert_next_number(env, 1)


def test_no_token_is_401_and_other_agency_is_403(env):
    res = env.testapp.post("/%s/2026/" % H38, params={"metadata": json.dumps(default_metadata())},
                           upload_files=[("file", "vanban.pdf", make_pdf())],
                           headers={"Accept": "application/json"}, status=401)
    error_of(res, "unauthenticated", 401)
    assert [c.split()[0] for c in res.headers.getall("WWW-Authenticate")] == ["Bearer", "Basic"]
    entry = assert_refusal_audited(env, "unauthenticated", 401, "/%s/2026/" % H38)
    assert entry["role"] is None
    res = env.deposit(who=("clerk", SYT), status=403)
    error_of(res, "forbidden", 403)
    entry = assert_refusal_audited(env, "forbidden", 403, "/%s/2026/" % H38)
    assert (entry["role"], entry["agency"]) == ("clerk", SYT)
    res = env.deposit(who="archivist", status=403)
    assert latest_audit(env)[0]["role"] == "archivist"
    assert_nothing_stored(env)
    assert_next_number(env, 1)


def test_bad_year_and_number_in_url_are_404_not_500(env):
    env.deposit()
    for path in ("/%s/2026/abc" % H38, "/%s/abcd/1" % H38, "/%s/2026/-1" % H38,
                 "/%s/2026/999" % H38, "/%s/1800/1" % H38, "/%s/2026/1/xyz" % H38):
        res = env.testapp.get(path, headers=env.auth("archivist"), status=404)
        assert res.json["error"]["code"] == "not_found"


def test_receivers_in_metadata_can_read(env):
    url = env.deposit(meta={"receivers": [STTTT]}).headers["Location"]
    env.testapp.get(url, headers=env.auth(("clerk", STTTT)), status=200)
    env.testapp.get(url, headers=env.auth(("clerk", SYT)), status=403)
    env.testapp.get(url, status=401)
    env.testapp.get(url, headers=env.auth("connector"), status=200)


def test_revoked_token_is_refused(env):
    from archive_repo import timeutil
    from archive_repo.security.tokens import lookup, revoke_token
    conn = env.conn()
    with conn.transaction_manager:
        root = env.root(conn)
        info = lookup(root, env.tokens[("clerk", H38)])
        revoke_token(root, info.token_id, timeutil.now())
    conn.close()
    env.deposit(status=401)


def test_basic_auth_with_token_as_password(env):
    import base64
    url = env.deposit().headers["Location"]
    cred = base64.b64encode(("any:" + env.tokens["archivist"]).encode()).decode()
    env.testapp.get(url, headers={"Authorization": "Basic " + cred}, status=200)
    bad = base64.b64encode(b"any:wrong").decode()
    env.testapp.get(url, headers={"Authorization": "Basic " + bad}, status=401)
