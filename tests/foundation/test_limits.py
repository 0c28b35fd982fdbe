"""A body over its limit is refused from its Content-Length, unread: the
retry policy must not copy it first (``retrying.activate_hook``)."""
import io
import json

import pytest
from webob import Request

from tests.conftest import H38, default_metadata
from tests.foundation.test_deposit_http import (assert_next_number, assert_nothing_stored,
                                                assert_refusal_audited, error_of)
from tests.support.pdfs import make_pdf


class CountingStream(io.RawIOBase):
    """``wsgi.input`` that counts the bytes the application read."""

    def __init__(self, data):
        self.inner = io.BytesIO(data)
        self.count = 0

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.inner.read(size)
        self.count += len(data)
        return data

    def readline(self, size=-1):
        data = self.inner.readline(size)
        self.count += len(data)
        return data


def multipart(pdf, meta):
    boundary = "archive-test-boundary"
    body = b"".join([
        b"--%s\r\n" % boundary.encode(),
        b'Content-Disposition: form-data; name="metadata"\r\n\r\n',
        json.dumps(meta, ensure_ascii=False).encode("utf-8"), b"\r\n",
        b"--%s\r\n" % boundary.encode(),
        b'Content-Disposition: form-data; name="file"; filename="vanban.pdf"\r\n',
        b"Content-Type: application/pdf\r\n\r\n", pdf, b"\r\n",
        b"--%s--\r\n" % boundary.encode(),
    ])
    return body, "multipart/form-data; boundary=" + boundary


def post_stream(env, stream, length, content_type):
    request = Request.blank("/%s/2026/" % H38, method="POST", environ={
        "wsgi.input": stream, "CONTENT_LENGTH": str(length), "CONTENT_TYPE": content_type})
    request.headers.update(env.auth(("clerk", H38)))
    request.headers["Accept"] = "application/json"
    return request.get_response(env.app)


def test_an_upload_over_the_limit_is_refused_unread(env):
    # a real, complete multipart body of 3 MiB against the tests' 2 MB limit
    body, content_type = multipart(make_pdf() + b"%" + b"x" * (3 << 20), default_metadata())
    stream = CountingStream(body)
    res = post_stream(env, stream, len(body), content_type)
    error = error_of(res, "too_large", 413)
    assert error["details"] == [{"limit_bytes": 2 << 20, "content_length": len(body)}]
    assert stream.count == 0
    assert_refusal_audited(env, "too_large", 413, "/%s/2026/" % H38)
    assert_nothing_stored(env)
    assert_next_number(env, 1)


def test_a_huge_declared_length_is_refused_without_waiting_for_it(env):
    # 10 GB announced, a few bytes sent: copying first would wait for (or fail
    # on) bytes that never come
    body, content_type = multipart(b"%PDF-1.7", default_metadata())
    stream = CountingStream(body)
    res = post_stream(env, stream, 10 << 30, content_type)
    error_of(res, "too_large", 413)
    assert stream.count == 0


def test_an_edxml_message_over_its_limit_is_refused_unread(env):
    from archive_repo.settings import parse_settings
    limit = parse_settings(env.settings).message_limit
    body = b"<edXML>" + b"A" * limit + b"</edXML>"
    stream = CountingStream(body)
    res = post_stream(env, stream, len(body), "application/xml")
    error = error_of(res, "too_large", 413)
    assert error["details"][0]["limit_bytes"] == limit
    assert stream.count == 0
    assert_refusal_audited(env, "too_large", 413, "/%s/2026/" % H38)


def _hook(env, length, content_type):
    from pyramid.request import Request as PyramidRequest

    from archive_repo.retrying import activate_hook
    request = PyramidRequest.blank("/", method="POST", content_type=content_type)
    request.environ["CONTENT_LENGTH"] = str(length)
    request.registry = env.registry
    return activate_hook(request)


@pytest.mark.parametrize("length,content_type,attempts", [
    (1000, "multipart/form-data; boundary=x", None),
    ((2 << 20) + 1, "multipart/form-data; boundary=x", 1),
    # an edXML message may be larger than an upload (base64): it keeps its replays
    ((2 << 20) + 1, "application/xml", None),
    ((4 << 20) + 1, "application/xml", 1),
    ((2 << 20) + 1, "application/json", 1),
], ids=["small upload", "big upload", "edxml within", "edxml over", "other body"])
def test_activate_hook_gives_one_attempt_only_over_the_limit(env, length, content_type,
                                                             attempts):
    assert _hook(env, length, content_type) == attempts

