"""New versions: old ones immutable and readable, each with its report."""
import hashlib

from tests.support.pdfs import make_pdf
from tests.workflow.conftest import (H38, STTTT, add_version, clerk, error_code, get, recall,
                                     record_path)


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


def test_each_version_has_its_own_report_naming_its_file(env, sent):
    # v1 is PDF 1.7; v2 a PDF 1.3, which the format rule (PDF >= 1.4) fails
    old_format = make_pdf(["Thay thế"], version="1.3")
    add_version(env, sent, kind="replace", pdf=old_format)
    v1 = get(env, record_path(sent) + "/versions/1").json
    v2 = get(env, record_path(sent) + "/versions/2").json
    assert v1["report"]["sha256"] == v1["sha256"] == sent["sha256"]
    assert v2["report"]["sha256"] == v2["sha256"] == hashlib.sha256(old_format).hexdigest()
    assert v1["sha256"] != v2["sha256"]

    def check(checks, code):
        return next(c for c in checks if c["code"] == code)
    assert check(v1["report"]["checks"], "pdf_version")["passed"] is True
    assert check(v2["report"]["checks"], "pdf_version")["passed"] is False
    assert v1["report"]["checks"] != v2["report"]["checks"]
    assert v1["report"]["made_at"] <= v2["report"]["made_at"]
    assert v2["reason"] == "replace"
    # the record shows the current version's report
    record = get(env, record_path(sent)).json
    assert check(record["checks"], "pdf_version")["passed"] is False
    assert len(get(env, record_path(sent) + "/versions").json["versions"]) == 2


def test_the_same_file_again_adds_no_version(env, sent):
    corrected = make_pdf(["Bản đính chính"])
    first = add_version(env, sent, pdf=corrected).json
    again = add_version(env, sent, pdf=corrected, status=200).json
    assert again["duplicate"] is True and again["version"]["number"] == 2
    assert len(again["versions"]) == len(first["versions"]) == 2
    history = get(env, record_path(sent)).json["history"]
    assert [(h["action"], h["outcome"]) for h in history if h["action"] == "new_version"] == \
        [("new_version", "ok"), ("new_version", "duplicate")]


def test_only_the_issuer_adds_versions_and_never_to_a_recalled_record(env, sent):
    for who in (clerk(STTTT), "archivist", "admin"):
        error_code(add_version(env, sent, who=who, status=403), 403, "forbidden")
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
