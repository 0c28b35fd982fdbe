"""OPTIONS, GET/HEAD, refused writes, authentication and the path prefix."""
import hashlib
import json
import re
import time
import unicodedata

from lxml import etree

from tests.conftest import H38, STTTT, SYT
from tests.dav.conftest import FILENAME, PrefixMount, basic, dav

RECORD = "/dav/%s/2026/1/" % H38
PDF = RECORD + "document.pdf"
WRITES = ("PUT", "DELETE", "MKCOL", "COPY", "MOVE", "PROPPATCH", "LOCK", "UNLOCK", "POST")


def test_options_says_class_1_even_at_the_host_root_without_a_token(archive):
    for path in ("/", "/dav/", RECORD):
        res = dav(archive, "OPTIONS", path, depth=None, who=None, status=200)
        assert res.headers["DAV"] == "1"
        assert "GET" in res.headers["Allow"]
    assert "PROPFIND" in dav(archive, "OPTIONS", "/dav/", who=None).headers["Allow"]


def test_every_write_is_refused_with_405_allow_and_a_vietnamese_body(archive):
    for method in WRITES:
        res = dav(archive, method, PDF, depth=None, body=b"x", status=405)
        assert res.headers["Allow"] == "OPTIONS, GET, HEAD, PROPFIND"
        error = res.json["error"]
        assert error["code"] == "read_only" and method in error["message"]
        assert "chỉ cho phép đọc" in error["message"]
    # and nothing changed
    assert dav(archive, "GET", PDF, depth=None).body == archive.testapp.get(
        "/%s/2026/1/document.pdf" % H38, headers=archive.auth("archivist")).body


def test_authentication_bearer_basic_and_roles(archive):
    res = dav(archive, "PROPFIND", "/dav/", who=None, status=401)
    assert "Basic" in res.headers["WWW-Authenticate"]
    ok = dav(archive, "PROPFIND", "/dav/", who=None,
             headers={"Authorization": basic(archive.tokens["connector"])})
    assert ok.status_int == 207
    assert dav(archive, "PROPFIND", "/dav/", who="archivist").status_int == 207
    dav(archive, "PROPFIND", "/dav/", who=("clerk", H38), status=403)
    dav(archive, "GET", PDF, depth=None, who=("clerk", STTTT), status=403)


def test_get_pdf_etag_last_modified_range_and_conditionals(archive):
    res = dav(archive, "GET", PDF, depth=None)
    assert hashlib.sha256(res.body).hexdigest() == archive.first["sha256"]
    etag, modified = res.headers["ETag"], res.headers["Last-Modified"]
    assert etag == '"sha256:%s"' % archive.first["sha256"]
    part = dav(archive, "GET", PDF, depth=None, headers={"Range": "bytes=0-7"}, status=206)
    assert part.body == res.body[:8] and part.headers["Content-Range"].startswith("bytes 0-7/")
    dav(archive, "GET", PDF, depth=None, headers={"If-None-Match": etag}, status=304)
    dav(archive, "GET", PDF, depth=None, headers={"If-Modified-Since": modified}, status=304)
    head = dav(archive, "HEAD", PDF, depth=None)
    assert head.body == b"" and head.headers["Content-Length"] == str(len(res.body))


def _props(archive, path):
    tree = etree.fromstring(dav(archive, "PROPFIND", path, depth="0").body)
    find = lambda name: tree.findtext(".//{DAV:}" + name)  # noqa: E731
    return find("getetag"), find("getcontentlength"), find("getlastmodified")


def test_generated_files_match_their_properties(archive):
    for name in ("metadata.json", "metadata.xml", "validation.json"):
        res = dav(archive, "GET", RECORD + name, depth=None)
        etag, length, modified = _props(archive, RECORD + name)
        assert res.headers["ETag"] == etag
        assert etag == '"sha256:%s"' % hashlib.sha256(res.body).hexdigest()
        assert int(length) == len(res.body)
        assert res.headers["Last-Modified"] == modified
        dav(archive, "GET", RECORD + name, depth=None, headers={"If-None-Match": etag},
            status=304)
    meta = json.loads(dav(archive, "GET", RECORD + "metadata.json", depth=None).body)
    assert meta["number"] == 1 and meta["sha256"] == archive.first["sha256"]
    xml = etree.fromstring(dav(archive, "GET", RECORD + "metadata.xml", depth=None).body)
    assert xml.tag.endswith("MessageHeader")
    assert xml.findtext(".//{*}CodeNumber") == "1"


def test_versions_serve_each_version_under_its_name_and_as_document_pdf(archive):
    versions = RECORD + "versions/1/"
    named = dav(archive, "GET", versions + "Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20ph%C3%AA"
                "%20duy%E1%BB%87t%20%C4%91%E1%BB%81%20%C3%A1n.pdf", depth=None)
    alias = dav(archive, "GET", versions + "document.pdf", depth=None)
    assert named.body == alias.body
    assert hashlib.sha256(named.body).hexdigest() == archive.first["sha256"]


def test_recall_adds_recall_json(archive):
    archive.testapp.post_json("/%s/2026/1/recall" % H38, {"reason": "Ban hành sai thẩm quyền."},
                              headers=archive.auth(("clerk", H38)))
    recall = json.loads(dav(archive, "GET", RECORD + "recall.json", depth=None).body)
    assert recall["reason"] == "Ban hành sai thẩm quyền."
    tree = etree.fromstring(dav(archive, "PROPFIND", "/dav/%s/2026/" % H38).body)
    flags = [e.text for e in tree.iter("{urn:x-archive-repo:lao-cai:dav:1}recalled")]
    assert flags == ["true", "false"]
    dav(archive, "GET", "/dav/%s/2026/2/recall.json" % H38, depth=None, status=404)


def test_incoming_register_appears_under_the_receiving_agency(archive):
    # STTTT's record 1 was sent to H38; H38's clerk accepts it
    archive.testapp.post_json("/%s/2026/1/deliveries/%s/accept" % (STTTT, H38), {},
                              headers=archive.auth(("clerk", H38)))
    tree = etree.fromstring(dav(archive, "PROPFIND", "/dav/%s/incoming/" % H38).body)
    assert tree.findtext(".//{DAV:}displayname") == "Sổ đăng ký văn bản đến"
    year = [h.text for h in tree.iter("{DAV:}href")][-1]
    entry = json.loads(dav(archive, "GET", year + "1.json", depth=None).body)
    assert entry["record"] == "/%s/2026/1" % STTTT and entry["number"] == 1


def test_collection_get_is_an_html_index(archive):
    res = dav(archive, "GET", "/dav/%s/2026/" % H38, depth=None)
    assert res.content_type == "text/html"
    assert '<a href="/dav/%s/2026/1/">1</a>' % H38 in res.text
    assert '<a href="/dav/%s/2026/2/">2</a>' % H38 in res.text


def test_html_index_links_work_without_the_trailing_slash_and_under_a_prefix(archive):
    from webtest import TestApp
    mounted = TestApp(PrefixMount(archive.app, "/archive"), lint=False)
    for path in ("/archive/dav/%s/2026/1" % H38, "/archive/dav/%s/2026/1/" % H38):
        page = mounted.get(path, headers=archive.auth("connector")).text
        links = re.findall(r'<a href="([^"]+)">', page)
        assert "/archive/dav/%s/2026/1/metadata.json" % H38 in links
        assert "/archive/dav/%s/2026/1/versions/" % H38 in links
        # every link leads somewhere
        for link in links:
            mounted.get(link, headers=archive.auth("connector"), status=200)


def test_hrefs_follow_the_mount_prefix(archive):
    from webtest import TestApp
    mounted = TestApp(PrefixMount(archive.app, "/archive"), lint=False)
    res = mounted.request("/archive/dav/%s/" % H38, method="PROPFIND",
                          headers=dict(archive.auth("connector"), Depth="1"), status=207)
    hrefs = [h.text for h in etree.fromstring(res.body).iter("{DAV:}href")]
    assert hrefs[0] == "/archive/dav/%s/" % H38
    assert all(h.startswith("/archive/dav/") for h in hrefs)


def test_the_change_feed_answers_options_and_refuses_writes(archive):
    res = dav(archive, "OPTIONS", "/dav/changes", depth=None, who=None, status=200)
    assert res.headers["Allow"] == "GET, HEAD, OPTIONS" and res.headers["DAV"] == "1"
    for method in ("PUT", "DELETE", "POST", "PROPFIND", "MKCOL", "LOCK"):
        res = dav(archive, method, "/dav/changes", depth=None, body=b"x", status=405)
        assert res.headers["Allow"] == "GET, HEAD, OPTIONS"
        error = res.json["error"]
        assert error["code"] == "read_only" and "chỉ cho phép đọc" in error["message"]
    head = dav(archive, "HEAD", "/dav/changes", depth=None, status=200)
    assert head.body == b""


def test_numbers_resolve_only_in_their_canonical_spelling(archive):
    # one resource, one href: ASCII digits without a leading zero
    from urllib.parse import quote
    wide_year, wide_one = quote("２０２６"), quote("１")   # str.isdigit() says yes
    for path in ("/dav/%s/02026/" % H38, "/dav/%s/%s/" % (H38, wide_year),
                 "/dav/%s/2026/01/" % H38, "/dav/%s/2026/%s/" % (H38, wide_one),
                 "/dav/%s/2026/1/versions/01/" % H38,
                 "/dav/%s/2026/1/versions/%s/" % (H38, wide_one), "/dav/%s/+2026/" % H38):
        for method, depth in (("PROPFIND", "0"), ("GET", None)):
            dav(archive, method, path, depth=depth, status=404)
    dav(archive, "PROPFIND", "/dav/%s/2026/1/versions/1/" % H38, depth="0", status=207)


def test_incoming_register_numbers_are_canonical_too(archive):
    archive.testapp.post_json("/%s/2026/1/deliveries/%s/accept" % (STTTT, H38), {},
                              headers=archive.auth(("clerk", H38)))
    year = "/dav/%s/incoming/%d/" % (H38, time.localtime().tm_year)
    dav(archive, "GET", year + "1.json", depth=None, status=200)
    for path in (year + "01.json", year + "1", year.replace("/20", "/020") + "1.json"):
        dav(archive, "GET", path, depth=None, status=404)


def test_every_agency_shows_an_incoming_collection_from_the_start(archive):
    for code in (H38, STTTT, SYT):       # none has accepted a delivery yet
        agency = "/dav/%s/" % code
        tree = etree.fromstring(dav(archive, "PROPFIND", agency).body)
        hrefs = [h.text for h in tree.iter("{DAV:}href")]
        assert agency + "incoming/" in hrefs
        empty = etree.fromstring(dav(archive, "PROPFIND", agency + "incoming/").body)
        assert [h.text for h in empty.iter("{DAV:}href")] == [agency + "incoming/"]
        assert empty.findtext(".//{DAV:}displayname") == "Sổ đăng ký văn bản đến"
        assert empty.find(".//{DAV:}resourcetype/{DAV:}collection") is not None
        dav(archive, "GET", agency + "incoming/", depth=None, status=200)
        dav(archive, "GET", agency + "incoming/2026/", depth=None, status=404)


def test_nfd_encoded_vietnamese_names_resolve(archive):
    from urllib.parse import quote
    nfd = unicodedata.normalize("NFD", FILENAME)
    assert nfd != FILENAME
    path = RECORD + "versions/1/" + quote(nfd)
    res = dav(archive, "GET", path, depth=None, status=200)
    assert hashlib.sha256(res.body).hexdigest() == archive.first["sha256"]
    dav(archive, "PROPFIND", path, depth="0", status=207)
