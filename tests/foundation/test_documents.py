"""Reading a document: ETag, Last-Modified, conditional GET, ranges — and
reads are audited without writing to the records' database."""
import hashlib
import os

from tests.conftest import H38
from tests.foundation.test_deposit_http import settle
from tests.support.pdfs import make_pdf


def _deposit(env):
    pdf = make_pdf(pages=3)
    url = env.deposit(pdf=pdf).headers["Location"]
    return url + "/document.pdf", pdf


def test_document_headers_and_bytes(env):
    url, pdf = _deposit(env)
    res = env.testapp.get(url, headers=env.auth("archivist"))
    assert res.body == pdf
    assert res.content_type == "application/pdf"
    assert res.headers["ETag"] == '"sha256:%s"' % hashlib.sha256(pdf).hexdigest()
    assert int(res.headers["Content-Length"]) == len(pdf)
    assert res.headers["Last-Modified"].endswith("GMT")
    assert res.headers["Accept-Ranges"] == "bytes"


def test_conditional_get_and_ranges(env):
    url, pdf = _deposit(env)
    first = env.testapp.get(url, headers=env.auth("archivist"))
    etag = first.headers["ETag"]
    res = env.testapp.get(url, headers=dict(env.auth("archivist"), **{"If-None-Match": etag}),
                          status=304)
    assert res.body == b""
    res = env.testapp.get(url, headers=dict(env.auth("archivist"),
                                            **{"If-Modified-Since": first.headers["Last-Modified"]}),
                          status=304)
    res = env.testapp.get(url, headers=dict(env.auth("archivist"), Range="bytes=10-109"),
                          status=206)
    assert res.body == pdf[10:110]
    assert res.headers["Content-Range"] == "bytes 10-109/%d" % len(pdf)
    res = env.testapp.get(url, headers=dict(env.auth("archivist"), Range="bytes=-50"),
                          status=206)
    assert res.body == pdf[-50:]
    env.testapp.get(url, headers=dict(env.auth("archivist"), Range="bytes=%d-" % (len(pdf) + 5)),
                    status=416)


def test_head_has_length_and_no_body(env):
    url, pdf = _deposit(env)
    res = env.testapp.head(url, headers=env.auth("archivist"))
    assert res.body == b"" and int(res.headers["Content-Length"]) == len(pdf)


def test_reads_are_audited_in_the_audit_database_only(env):
    url, _ = _deposit(env)
    settle(env)
    data_fs = env.settings["zodbconn.uri"].split("?")[0][len("file://"):]
    size_before = os.path.getsize(data_fs)
    for _ in range(3):
        env.testapp.get(url, headers=env.auth("archivist"))
    env.testapp.get(url.rsplit("/", 1)[0], headers=env.auth("archivist"))
    assert os.path.getsize(data_fs) == size_before
    record = env.testapp.get(url.rsplit("/", 1)[0],
                             headers=dict(env.auth("archivist"), Accept="application/json")).json
    reads = [h for h in record["history"] if h["action"] == "read_document"]
    assert len(reads) == 3 and all(h["role"] == "archivist" for h in reads)


def test_record_page_is_vietnamese_html(env):
    url = env.deposit().headers["Location"]
    res = env.testapp.get(url, headers=env.auth("archivist"))
    assert res.content_type == "text/html"
    assert "Văn bản số 1/QĐ-UBND" in res.text
    assert "05/03/2026" in res.text            # dd/mm/yyyy
    assert "Kết quả kiểm tra theo Quy chế" in res.text


def test_listings_json_and_html(env):
    for _ in range(3):
        env.deposit()
    res = env.testapp.get("/%s/2026" % H38, headers=dict(env.auth("archivist"),
                                                         Accept="application/json"))
    assert res.json["total"] == 3
    assert [r["number"] for r in res.json["records"]] == [3, 2, 1]
    res = env.testapp.get("/%s/2026?page=2&size=2" % H38,
                          headers=dict(env.auth("archivist"), Accept="application/json"))
    assert [r["number"] for r in res.json["records"]] == [1]
    res = env.testapp.get("/%s" % H38, headers=dict(env.auth("archivist"), Accept="application/json"))
    assert res.json["years"][0] == {"year": 2026, "url": "http://localhost/%s/2026" % H38,
                                    "count": 3}
    html = env.testapp.get("/%s/2026" % H38, headers=env.auth("archivist")).text
    assert "Văn bản đi năm 2026" in html
    env.testapp.get("/%s/2026?page=0" % H38, headers=env.auth("archivist"), status=400)


def _json(env, path):
    return env.testapp.get(path, headers=dict(env.auth("archivist"),
                                              Accept="application/json")).json


def test_agency_years_are_paginated_newest_first(env):
    for year in (2024, 2025, 2026):
        env.deposit(year=year, meta={"issued_on": "%d-03-05" % year})
    first = _json(env, "/%s?size=2" % H38)
    assert [y["year"] for y in first["years"]] == [2026, 2025]
    assert (first["total"], first["page"], first["size"], first["pages"]) == (3, 1, 2, 2)
    assert [y["year"] for y in _json(env, "/%s?size=2&page=2" % H38)["years"]] == [2024]
    assert _json(env, "/%s?size=2&page=3" % H38)["years"] == []
    html = env.testapp.get("/%s?size=2" % H38, headers=env.auth("archivist")).text
    assert "Năm 2025" in html and "Năm 2024" not in html
    assert 'href="?page=2&amp;size=2">Trang sau' in html
    html = env.testapp.get("/%s?size=2&page=2" % H38, headers=env.auth("archivist")).text
    assert "Năm 2024" in html and "Trang trước" in html and "Trang sau" not in html


def test_the_agency_directory_is_paginated(env):
    from tests.conftest import STTTT, SYT
    first = _json(env, "/?size=2")
    assert [a["code"] for a in first["agencies"]] == [H38, STTTT]
    assert (first["total"], first["pages"]) == (3, 2)
    assert [a["code"] for a in _json(env, "/?size=2&page=2")["agencies"]] == [SYT]
    html = env.testapp.get("/?size=2", headers=env.auth("archivist")).text
    assert SYT not in html and 'href="?page=2&amp;size=2">Trang sau' in html
    assert len(_json(env, "/")["agencies"]) == 3


def test_bad_page_parameters_are_400_everywhere(env):
    for path in ("/", "/%s" % H38, "/%s/2026" % H38):
        for query in ("page=0", "size=0", "size=501", "page=x"):
            res = env.testapp.get("%s?%s" % (path, query), status=400, headers=dict(
                env.auth("archivist"), Accept="application/json"))
            assert res.json["error"]["code"] == "invalid_page"
