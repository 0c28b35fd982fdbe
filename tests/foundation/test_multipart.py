"""A deposit's multipart body, parsed as it streams: parts in either order,
the file written once into the blob storage's tmp dir, and every broken or
oversized body refused with nothing left behind."""
import json
import os
import uuid

import pytest

from tests.conftest import H38, default_metadata
from tests.foundation.test_deposit_http import (_post, assert_next_number,
                                                assert_nothing_stored, blob_dir, error_of)
from tests.support.pdfs import make_pdf


def part(boundary, name, value, filename=None):
    disposition = 'form-data; name="%s"' % name
    if filename is not None:
        disposition += '; filename="%s"' % filename
    head = "--%s\r\nContent-Disposition: %s\r\n\r\n" % (boundary, disposition)
    return head.encode("utf-8") + value + b"\r\n"


def body(*parts, boundary, close=True):
    return b"".join(parts) + (("--%s--\r\n" % boundary).encode() if close else b"")


def metadata(**changes):
    return json.dumps(dict(default_metadata(), **changes), ensure_ascii=False).encode("utf-8")


def ctype(boundary):
    return "multipart/form-data; boundary=%s" % boundary


def tmp_files(env):
    return os.listdir(os.path.join(blob_dir(env), "tmp"))


def test_file_before_metadata_is_deposited_with_its_hash_and_size(env):
    import hashlib
    b = uuid.uuid4().hex
    pdf = make_pdf(lines=["Tệp gửi trước metadata"])
    res = _post(env, body(part(b, "file", pdf, "vb.pdf"), part(b, "metadata", metadata()),
                          boundary=b), ctype(b), status=201)
    record = res.json
    assert (record["sha256"], record["size"], record["filename"]) == (
        hashlib.sha256(pdf).hexdigest(), len(pdf), "vb.pdf")
    got = env.testapp.get("/%s/2026/%d/document.pdf" % (H38, record["number"]),
                          headers=env.auth("archivist")).body
    assert got == pdf
    assert tmp_files(env) == []


def test_state_secret_after_the_file_is_refused_and_the_spooled_file_removed(env):
    b = uuid.uuid4().hex
    res = _post(env, body(part(b, "file", make_pdf(), "vb.pdf"),
                          part(b, "metadata", metadata(confidentiality="Tối mật")),
                          boundary=b), ctype(b), status=422)
    error = error_of(res, "rejected", 422)
    assert [d["code"] for d in error["details"]] == ["not_state_secret"]
    assert_nothing_stored(env)
    assert_next_number(env, 1)


@pytest.mark.parametrize("case", ["truncated", "two files", "field too long", "not utf-8"])
def test_broken_bodies_are_400_and_leave_nothing(env, case):
    from archive_repo.deposit.upload import FIELD_LIMIT
    b = uuid.uuid4().hex
    meta, pdf = part(b, "metadata", metadata()), part(b, "file", make_pdf(), "vb.pdf")
    payload = {
        "truncated": body(meta, pdf, boundary=b, close=False)[:-10],
        "two files": body(meta, pdf, part(b, "file", make_pdf(), "b.pdf"), boundary=b),
        "field too long": body(part(b, "note", b"x" * (FIELD_LIMIT + 1)), meta, pdf,
                               boundary=b),
        "not utf-8": body(part(b, "metadata", "{}".encode("utf-16")), pdf, boundary=b),
    }[case]
    res = _post(env, payload, ctype(b))
    error = error_of(res, "malformed_multipart", 400)
    assert error["details"][0]["problem"]
    assert_nothing_stored(env)
    assert tmp_files(env) == []
    assert_next_number(env, 1)


def test_a_new_version_reads_its_kind_from_the_streamed_form(env):
    first = env.deposit().json
    b = uuid.uuid4().hex
    headers = dict(env.auth(("clerk", H38)), **{"Content-Type": ctype(b),
                                                "Accept": "application/json"})
    payload = body(part(b, "kind", b"replace"), part(b, "file", make_pdf(lines=["Bản thay"]),
                                                      "thay.pdf"), boundary=b)
    res = env.testapp.post("/%s/2026/%d/versions" % (H38, first["number"]), payload,
                           headers=headers, status=201)
    assert res.json["version"]["reason"] == "replace"
    payload = body(part(b, "kind", b"nonsense"), part(b, "file", make_pdf(lines=["Khác"]),
                                                       "k.pdf"), boundary=b)
    env.testapp.post("/%s/2026/%d/versions" % (H38, first["number"]), payload,
                     headers=headers, status=400)
    assert tmp_files(env) == []
