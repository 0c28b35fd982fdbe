"""Thousands of generated URLs, headers, metadata documents and multipart
bodies thrown at the WSGI app (Hypothesis, derandomized so CI is
repeatable): never a 5xx, always the contract's JSON error, and nothing
left behind — no record, number, blob, outbox entry or change."""
import json
import os
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from webob import Request

from tests.conftest import H38, STTTT, build_env, close_env, default_metadata
from tests.foundation.test_deposit_http import blob_files
from tests.support.pdfs import make_pdf

FUZZ = settings(derandomize=True, deadline=None, database=None, print_blob=False,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck))
JSON = "application/json"


@pytest.fixture(scope="module")
def fenv(tmp_path_factory):
    env = build_env(tmp_path_factory.mktemp("fuzz"))
    # one real record, so fuzzed URLs and headers also reach records,
    # versions, documents and deliveries
    env.record_url = "/%s/2026/1" % H38
    env.deposit(meta={"keywords": ["chuyển đổi số"]})
    from tests.foundation.test_deposit_http import settle
    settle(env)
    yield env
    close_env(env)


def state(env):
    """Everything a refused request must leave as it was."""
    from archive_repo.dav.changes import get_log
    from archive_repo.indexing.outbox import get_outbox
    conn = env.conn()
    try:
        root = env.root(conn)
        numbers = {(a.code, y.year): list(y.keys())
                   for a in root.agencies.values() for y in a.values()}
        return (numbers, sorted(blob_files(env)), len(get_outbox(root)),
                get_log(conn).head())
    finally:
        conn.close()


@pytest.fixture
def unchanged(fenv):
    before = state(fenv)
    yield
    assert state(fenv) == before


def call(env, path, method="GET", headers=(), body=b"", content_type=None, who="archivist"):
    environ = {"REQUEST_METHOD": method, "wsgi.input": __import__("io").BytesIO(body),
               "CONTENT_LENGTH": str(len(body))}
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    request = Request.blank("/", environ=environ)
    # the raw, percent-decoded path as a WSGI server hands it over (latin-1)
    path, _, query = path.partition("?")
    request.environ["PATH_INFO"] = path
    request.environ["QUERY_STRING"] = query
    request.headers["Accept"] = JSON
    if who is not None:
        request.headers.update(env.auth(who))
    for name, value in headers:
        request.headers[name] = value
    response = request.get_response(env.app)
    response.body           # read (and close) a streamed body, as a server does
    assert response.status_int < 500, (method, path, query, response.status,
                                       response.body[:300])
    if response.status_int < 400 or method == "HEAD":
        return response
    if (response.content_type or "").endswith("xml"):
        # WebDAV's own error bodies (RFC 4918 §16: propfind-finite-depth)
        from lxml import etree
        assert etree.fromstring(response.body).tag == "{DAV:}error"
    elif response.status_int in (412, 416) and path.startswith("/dav/"):
        # WebDAV clients show a body: the archive's DAV 412/416 are plain text
        assert response.content_type == "text/plain" and response.text.strip()
    elif "json" in request.headers.get("Accept", ""):
        assert set(response.json) == {"error"}, response.body[:300]
        error = response.json["error"]
        assert isinstance(error["code"], str) and error["message"]
        assert isinstance(error["details"], list)
    return response


# -- URLs --------------------------------------------------------------------

SEGMENTS = [H38, STTTT, "2026", "2025", "1", "0", "-1", "999999999999", "versions",
            "document.pdf", "deliveries", "recall", "inbox", "outbox", "incoming",
            "dav", "search", "changes", "health", "login", "..", ".", "", "@@x",
            "%", "1e9", "0x10", "١", "２"]
segment = st.one_of(st.sampled_from([s.encode("utf-8").decode("latin-1") for s in SEGMENTS]),
                    st.binary(max_size=12).map(lambda b: b.decode("latin-1")),
                    st.text(max_size=12).map(lambda t: t.encode("utf-8").decode("latin-1")))
query_byte = st.binary(max_size=24).map(quote_from_bytes)
query = st.lists(st.tuples(st.sampled_from(["q", "page", "size", "since", "cursor",
                                            "agency", "year", "recalled", "limit",
                                            "feed", "doctype", "x"]), query_byte),
                 max_size=4).map(lambda pairs: "&".join("%s=%s" % p for p in pairs))
method = st.sampled_from(["GET", "GET", "GET", "HEAD", "OPTIONS", "PROPFIND", "DELETE",
                          "PUT", "POST", "MKCOL", "PATCH"])


@given(segments=st.lists(segment, max_size=5), query=query, method=method,
       who=st.sampled_from(["archivist", "connector", ("clerk", H38), None]))
@settings(FUZZ, max_examples=1200)
def test_urls(fenv, unchanged, segments, query, method, who):
    path = "/" + "/".join(segments)
    call(fenv, path + ("?" + query if query else ""), method=method, who=who)


# -- headers -----------------------------------------------------------------

HEADERS = ["Accept", "Authorization", "If-Match", "If-None-Match", "If-Modified-Since",
           "If-Unmodified-Since", "If-Range", "Range", "Depth", "Accept-Language",
           "Content-Type", "Destination", "Overwrite", "Cookie", "X-Forwarded-For"]
header_value = st.one_of(
    st.sampled_from(["*", "bytes=0-", "bytes=-1", "bytes=5-2", "bytes=0-0,1-1", "infinity",
                     "1", "0", "Bearer ", "Basic Og==", "Basic !!!", 'W/"x"', '"1"',
                     "Thu, 01 Jan 1970 00:00:00 GMT", "text/html;q=x", "*/*;q=0",
                     "application/json;q=2", "multipart/form-data; boundary="]),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=40))
target = st.sampled_from(["/%s/2026/1" % H38, "/%s/2026/1/document.pdf" % H38,
                          "/%s/2026/1/versions/1" % H38, "/dav/%s/2026/1/document.pdf" % H38,
                          "/dav/", "/search", "/%s/2026/" % H38, "/changes"])


@given(path=target, headers=st.lists(st.tuples(st.sampled_from(HEADERS), header_value),
                                     max_size=4),
       method=st.sampled_from(["GET", "HEAD", "PROPFIND", "OPTIONS"]))
@settings(FUZZ, max_examples=700)
def test_headers(fenv, unchanged, path, headers, method):
    call(fenv, path, method=method, headers=headers)


# -- metadata documents -------------------------------------------------------

FIELDS = list(default_metadata()) + ["number", "urgency", "confidentiality", "keywords",
                                     "digitized", "due_date", "language", "x"]
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                   st.text(max_size=20), st.sampled_from(["Mật", "MẬT", "Khẩn", "QĐ",
                                                          "2026-03-05", "2025-13-40"]))
json_value = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
metadata = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), json_value, max_size=8).map(
        lambda d: dict(default_metadata(), **d)),
    json_value)
GARBAGE_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def multipart_body(parts, boundary="fuzz-boundary"):
    chunks = []
    for headers, content in parts:
        chunks += [b"--", boundary.encode(), b"\r\n", headers, b"\r\n\r\n", content, b"\r\n"]
    return b"".join(chunks + [b"--", boundary.encode(), b"--\r\n"])


def meta_part(text):
    return (b'Content-Disposition: form-data; name="metadata"', text)


def file_part(content, filename=b"vanban.pdf"):
    return (b'Content-Disposition: form-data; name="file"; filename="' + filename +
            b'"\r\nContent-Type: application/pdf', content)


@given(meta=metadata, pdf=st.sampled_from([GARBAGE_PDF, b"", b"not a pdf"]))
@settings(FUZZ, max_examples=500)
def test_metadata_documents(fenv, unchanged, meta, pdf):
    text = json.dumps(meta, ensure_ascii=False, allow_nan=True).encode("utf-8")
    body = multipart_body([meta_part(text), file_part(pdf)])
    call(fenv, "/%s/2026/" % H38, "POST", body=body,
         content_type="multipart/form-data; boundary=fuzz-boundary", who=("clerk", H38))


# -- multipart bodies ---------------------------------------------------------

part_header = st.one_of(
    st.sampled_from([b'Content-Disposition: form-data; name="metadata"',
                     b'Content-Disposition: form-data; name="file"; filename="a.pdf"',
                     b'Content-Disposition: form-data; name="file"; filename="../a.pdf"',
                     b'Content-Disposition: form-data; name="file"; filename=""',
                     b'Content-Disposition: form-data; name="file"',
                     b'Content-Disposition: attachment', b"", b"X: y",
                     b'Content-Disposition: form-data; name="metadata"\r\n'
                     b"Content-Type: text/plain; charset=latin-1"]),
    st.binary(max_size=60))
part_content = st.one_of(st.sampled_from([json.dumps(default_metadata()).encode(),
                                          GARBAGE_PDF, b"", b"\xff\xfe", b"--fuzz-boundary"]),
                         st.binary(max_size=80))
boundary = st.one_of(st.just("fuzz-boundary"),
                     st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126),
                             max_size=80))


@given(parts=st.lists(st.tuples(part_header, part_content), max_size=5),
       declared=boundary, tail=st.sampled_from([b"", b"junk", b"--fuzz-boundary"]),
       cut=st.one_of(st.none(), st.integers(min_value=0, max_value=400)))
@settings(FUZZ, max_examples=700)
def test_multipart_bodies(fenv, unchanged, parts, declared, tail, cut):
    body = multipart_body(parts) + tail
    if cut is not None:
        body = body[:cut]
    call(fenv, "/%s/2026/" % H38, "POST", body=body,
         content_type="multipart/form-data; boundary=" + declared, who=("clerk", H38))


def test_a_valid_deposit_still_goes_through(fenv):
    # the generators above are not refusing everything by accident
    body = multipart_body([meta_part(json.dumps(default_metadata()).encode()),
                           file_part(make_pdf())])
    res = call(fenv, "/%s/2026/" % H38, "POST", body=body,
               content_type="multipart/form-data; boundary=fuzz-boundary", who=("clerk", H38))
    assert res.status_int == 201
    assert os.path.basename(res.headers["Location"]) == "2"
