"""New versions: old ones immutable and readable, each with its report."""
import hashlib

from tests.support.pdfs import make_pdf
from tests.workflow.conftest import H38, STTTT, clerk, error_code, get, recall, record_path


def add_version(env, record, who=clerk(H38), kind="update", pdf=None, status=201):
    return env.testapp.post(
        record_path(record) + "/versions/", params={"kind": kind},
        upload_files=[("file", "dinh-chinh.pdf", pdf or make_pdf(["Đính chính"]))],
        headers=dict(env.auth(who), Accept="application/json"), status=status)


def test_new_version_keeps_the_old_one_readable(env, sent):
    first = env.testapp.get(record_path(sent) + "/document.pdf",
                            headers=env.auth(clerk(H38))).body
    corrected = make_pdf(["Bản đính chính"])
    res = add_version(env, sent, pdf=corrected)
    assert res.headers["Location"].endswith(record_path(sent) + "/versions/2")
    record = res.json
    assert [v["reason"] for v in record["versions"]] == ["new", "update"]
    assert record["sha256"] == hashlib.sha256(corrected).hexdigest()
    auth = env.auth(clerk(STTTT))           # a receiver reads both
    assert env.testapp.get(record_path(sent) + "/document.pdf", headers=auth).body == corrected
    old = env.testapp.get(record_path(sent) + "/versions/1/document.pdf", headers=auth)
    assert old.body == first and old.etag == hashlib.sha256(first).hexdigest().join(
        ["sha256:", ""])
    assert env.testapp.get(record_path(sent) + "/versions/2/document.pdf",
                           headers=auth).body == corrected


def test_each_version_has_its_own_report(env, sent):
    add_version(env, sent, kind="replace")
    v1 = get(env, record_path(sent) + "/versions/1").json
    v2 = get(env, record_path(sent) + "/versions/2").json
    assert v1["report"]["made_at"] and v2["report"]["made_at"]
    assert v1["report"]["made_at"] <= v2["report"]["made_at"]
    assert v2["reason"] == "replace"
    assert len(get(env, record_path(sent) + "/versions").json["versions"]) == 2


def test_only_the_issuer_adds_versions_and_never_to_a_recalled_record(env, sent):
    error_code(add_version(env, sent, who=clerk(STTTT), status=403), 403, "forbidden")
    error_code(add_version(env, sent, kind="rewrite", status=400), 400,
               "invalid_version_kind")
    recall(env, sent)
    error_code(add_version(env, sent, status=409), 409, "already_recalled")
    assert len(get(env, record_path(sent)).json["versions"]) == 1


def test_a_rejected_file_adds_no_version(env, sent):
    error_code(add_version(env, sent, pdf=b"not a pdf at all", status=422), 422, "rejected")
    assert len(get(env, record_path(sent)).json["versions"]) == 1


def test_missing_versions_are_404(env, sent):
    get(env, record_path(sent) + "/versions/3/document.pdf", status=404)
    get(env, record_path(sent) + "/versions/x", status=404)
    get(env, record_path(sent) + "/versions/0", status=404)
