"""Conditional requests (RFC 7232) and ranges (RFC 7233) on the document
views, over the real app: one rule per test, in the order of RFC 7232 §6.
(WebDAV uses the same code, archive_repo.conditional; tests/dav checks its
plain-text refusals.)"""
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest

from tests.conftest import H38
from tests.support.pdfs import make_pdf

OTHER = '"sha256:%s"' % ("0" * 64)


@pytest.fixture
def doc(env):
    pdf = make_pdf(pages=3)
    url = env.deposit(pdf=pdf).headers["Location"] + "/document.pdf"
    first = env.testapp.get(url, headers=env.auth("archivist"))
    doc = type("Doc", (), {})()
    doc.env, doc.url, doc.pdf = env, url, pdf
    doc.etag, doc.modified = first.headers["ETag"], first.headers["Last-Modified"]
    return doc


def get(doc, status, url=None, method="GET", **headers):
    headers = dict(doc.env.auth("archivist"), **{k.replace("_", "-"): v
                                                 for k, v in headers.items()})
    return doc.env.testapp.request(url or doc.url, method=method, headers=headers,
                                   status=status)


def shifted(http_date, **delta):
    return format_datetime(parsedate_to_datetime(http_date) + timedelta(**delta), usegmt=True)


def assert_vietnamese_error(res, status, code):
    assert res.status_int == status and res.content_type == "application/json"
    error = res.json["error"]
    assert error["code"] == code and isinstance(error["details"], list)
    assert any(ch in error["message"] for ch in "ạảấầẩậắằẳặẹẻếềểệịọỏốồổộớờởợụủứừửựỳỷđ")
    return error


# -- 1. If-Match (strong comparison) -----------------------------------------

def test_if_match_current_etag_or_star_serves_the_file(doc):
    assert get(doc, 200, If_Match=doc.etag).body == doc.pdf
    assert get(doc, 200, If_Match='"x", %s' % doc.etag).body == doc.pdf
    assert get(doc, 200, If_Match="*").body == doc.pdf


def test_if_match_other_etag_is_412_json_in_vietnamese(doc):
    error = assert_vietnamese_error(get(doc, 412, If_Match=OTHER), 412, "precondition_failed")
    assert error["details"][0]["header"] == "If-Match"
    assert error["details"][0]["etag"] == doc.etag


def test_if_match_compares_strongly(doc):
    get(doc, 412, If_Match="W/" + doc.etag)


def test_if_match_failing_wins_over_a_matching_if_none_match(doc):
    get(doc, 412, If_Match=OTHER, If_None_Match=doc.etag)


def test_if_match_failing_refuses_a_range_too(doc):
    get(doc, 412, If_Match=OTHER, Range="bytes=0-9")


# -- 2. If-Unmodified-Since ----------------------------------------------------

def test_if_unmodified_since_last_modified_or_later_serves(doc):
    get(doc, 200, If_Unmodified_Since=doc.modified)
    get(doc, 200, If_Unmodified_Since=shifted(doc.modified, days=1))


def test_if_unmodified_since_earlier_is_412(doc):
    res = get(doc, 412, If_Unmodified_Since=shifted(doc.modified, seconds=-1))
    error = assert_vietnamese_error(res, 412, "precondition_failed")
    assert error["details"][0]["header"] == "If-Unmodified-Since"


def test_if_unmodified_since_is_ignored_when_if_match_is_present_or_invalid(doc):
    get(doc, 200, If_Match=doc.etag, If_Unmodified_Since=shifted(doc.modified, days=-1))
    get(doc, 200, If_Unmodified_Since="not a date")


# -- 3. If-None-Match (weak comparison) -----------------------------------------

def test_if_none_match_current_or_weak_or_star_is_304_without_body(doc):
    for value in (doc.etag, "W/" + doc.etag, '"x", ' + doc.etag, "*"):
        res = get(doc, 304, If_None_Match=value)
        assert res.body == b"" and res.headers["ETag"] == doc.etag
        assert "Content-Type" not in res.headers


def test_if_none_match_other_serves_even_if_not_modified_since(doc):
    # §6 step 4: If-Modified-Since only counts without If-None-Match
    get(doc, 200, If_None_Match=OTHER, If_Modified_Since=doc.modified)


# -- 4. If-Modified-Since --------------------------------------------------------

def test_if_modified_since(doc):
    get(doc, 304, If_Modified_Since=doc.modified)
    get(doc, 304, If_Modified_Since=shifted(doc.modified, hours=1))
    assert get(doc, 200, If_Modified_Since=shifted(doc.modified, seconds=-1)).body == doc.pdf
    get(doc, 200, If_Modified_Since="yesterday")


# -- 5. Range and If-Range (RFC 7233) ------------------------------------------

def test_if_range_with_the_current_etag_or_date_sends_the_part(doc):
    for validator in (doc.etag, doc.modified):
        res = get(doc, 206, Range="bytes=10-19", If_Range=validator)
        assert res.body == doc.pdf[10:20]
        assert res.headers["Content-Range"] == "bytes 10-19/%d" % len(doc.pdf)


def test_if_range_that_does_not_match_sends_the_whole_file(doc):
    for validator in (OTHER, "W/" + doc.etag, shifted(doc.modified, seconds=-1), "nonsense"):
        res = get(doc, 200, Range="bytes=10-19", If_Range=validator)
        assert res.body == doc.pdf and "Content-Range" not in res.headers


def test_ranges_suffix_open_and_clipped(doc):
    size = len(doc.pdf)
    assert get(doc, 206, Range="bytes=-50").body == doc.pdf[-50:]
    assert get(doc, 206, Range="bytes=%d-" % (size - 5)).body == doc.pdf[-5:]
    res = get(doc, 206, Range="bytes=%d-%d" % (size - 5, size + 100))
    assert res.body == doc.pdf[-5:]
    assert res.headers["Content-Range"] == "bytes %d-%d/%d" % (size - 5, size - 1, size)


def test_ranges_a_server_may_ignore_send_everything(doc):
    for value in ("bytes=0-1,5-6", "bytes=9-3", "lines=1-2", "bytes=x-"):
        assert get(doc, 200, Range=value).body == doc.pdf


def test_unsatisfiable_range_is_416_json_in_vietnamese(doc):
    size = len(doc.pdf)
    for value in ("bytes=%d-" % size, "bytes=%d-%d" % (size + 5, size + 9), "bytes=-0"):
        res = get(doc, 416, Range=value)
        error = assert_vietnamese_error(res, 416, "range_not_satisfiable")
        assert error["details"][0]["size"] == size
        assert res.headers["Content-Range"] == "bytes */%d" % size


def test_head_ignores_range_and_sends_no_body(doc):
    res = get(doc, 200, method="HEAD", Range="bytes=0-9")
    assert res.body == b"" and res.headers["Content-Length"] == str(len(doc.pdf))


def test_the_versions_view_follows_the_same_rules(doc):
    url = doc.url.replace("/document.pdf", "/versions/1/document.pdf")
    get(doc, 412, url, If_Match=OTHER)
    get(doc, 304, url, If_None_Match=doc.etag)
    assert get(doc, 206, url, Range="bytes=0-3", If_Range=doc.etag).body == doc.pdf[:4]
    assert_vietnamese_error(get(doc, 416, url, Range="bytes=-0"), 416, "range_not_satisfiable")


# -- nothing after the file name ---------------------------------------------------

def test_a_path_below_document_pdf_is_404(doc):
    for url in (doc.url + "/x", doc.url + "/x/y",
                doc.url.replace("/document.pdf", "/versions/1/document.pdf/x")):
        for method in ("GET", "HEAD"):
            get(doc, 404, url, method=method)
    assert doc.url.startswith("http://localhost/%s/2026/1" % H38)
