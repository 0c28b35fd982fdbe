"""PROPFIND, one test per RFC 4918 requirement we rely on."""
import hashlib
import shutil
import threading
from collections import Counter
from pathlib import Path

from lxml import etree

from tests.conftest import H38
from tests.dav.conftest import FILENAME, SUBJECT, bulk_year, dav

NS = {"D": "DAV:", "A": "urn:x-archive-repo:lao-cai:dav:1"}
YEAR = "/dav/%s/2026/" % H38
RECORD = YEAR + "1/"


def parse(response):
    assert response.status_int == 207, response.body[:300]
    assert response.content_type == "application/xml"
    return etree.fromstring(response.body)


def hrefs(tree):
    return [h.text for h in tree.iterfind("D:response/D:href", NS)]


def prop(tree, href, name):
    for response in tree.iterfind("D:response", NS):
        if response.findtext("D:href", namespaces=NS) == href:
            return response.find("D:propstat/D:prop/" + name, NS)
    raise AssertionError("no response for %s" % href)


def test_depth_infinity_and_missing_depth_are_refused_with_the_precondition(archive):
    # RFC 4918 §9.1: a server may refuse Depth: infinity with 403 and the
    # DAV:propfind-finite-depth precondition; a missing Depth means infinity
    for depth in ("infinity", None):
        res = dav(archive, "PROPFIND", "/dav/", depth=depth, status=403)
        tree = etree.fromstring(res.body)
        assert tree.tag == "{DAV:}error"
        assert tree.find("D:propfind-finite-depth", NS) is not None


def test_depth_0_is_the_resource_only_and_depth_1_adds_its_members(archive):
    zero = parse(dav(archive, "PROPFIND", YEAR, depth="0"))
    assert hrefs(zero) == [YEAR]
    one = parse(dav(archive, "PROPFIND", YEAR, depth="1"))
    assert hrefs(one) == [YEAR, YEAR + "1/", YEAR + "2/"]


def test_empty_body_means_allprop_and_collections_are_marked(archive):
    # §9.1: "A client may choose not to submit a request body. An empty
    # PROPFIND request body MUST be treated as if it were an 'allprop'"
    tree = parse(dav(archive, "PROPFIND", RECORD))
    assert prop(tree, RECORD, "D:resourcetype/D:collection") is not None
    pdf = RECORD + "document.pdf"
    assert prop(tree, pdf, "D:resourcetype") is not None
    assert prop(tree, pdf, "D:resourcetype/D:collection") is None
    assert prop(tree, pdf, "D:getcontentlength").text == str(archive.first["size"])
    assert prop(tree, pdf, "D:getetag").text == '"sha256:%s"' % archive.first["sha256"]
    assert prop(tree, pdf, "D:getcontenttype").text == "application/pdf"
    assert prop(tree, RECORD, "A:register-number").text == "1"
    assert prop(tree, RECORD, "A:legal-status").text == archive.first["legal_status"]
    assert prop(tree, RECORD, "A:recalled").text == "false"
    names = {h.rsplit("/", 2)[-1] or h.rsplit("/", 2)[-2] for h in hrefs(tree)[1:]}
    assert names == {"document.pdf", "metadata.json", "metadata.xml", "validation.json",
                     "versions"}


def test_allprop_does_not_open_blobs(archive):
    blobs = Path(archive.settings["zodbconn.uri"].split("blobstorage_dir=")[1])
    shutil.move(str(blobs), str(blobs) + ".away")
    for path in (YEAR, RECORD, RECORD + "versions/1/"):
        tree = parse(dav(archive, "PROPFIND", path))
        assert len(hrefs(tree)) > 1
    # whereas reading the bytes does need them
    dav(archive, "GET", RECORD + "document.pdf", depth=None, status=500)


def test_propname_lists_names_without_values(archive):
    body = b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>'
    tree = parse(dav(archive, "PROPFIND", RECORD, depth="0", body=body))
    found = prop(tree, RECORD, "D:displayname")
    assert found is not None and found.text is None and len(found) == 0
    assert prop(tree, RECORD, "A:legal-status") is not None


def test_named_props_unknown_ones_get_404_propstat(archive):
    # §9.1.2: properties that do not exist come back in a 404 propstat
    body = (b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:Z="urn:x-other">'
            b'<D:prop><D:getetag/><Z:colour/><D:displayname/></D:prop></D:propfind>')
    tree = parse(dav(archive, "PROPFIND", RECORD + "document.pdf", depth="0", body=body))
    stats = tree.findall("D:response/D:propstat", NS)
    assert [s.findtext("D:status", namespaces=NS) for s in stats] == [
        "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found"]
    assert stats[0].find("D:prop/D:getetag", NS) is not None
    assert stats[0].find("D:prop/D:displayname", NS).text == "document.pdf"
    assert stats[1].find("{DAV:}prop/{urn:x-other}colour") is not None


def test_allprop_include_adds_asked_props(archive):
    body = (b'<D:propfind xmlns:D="DAV:"><D:allprop/><D:include>'
            b'<D:supportedlock/></D:include></D:propfind>')
    tree = parse(dav(archive, "PROPFIND", RECORD, depth="0", body=body))
    statuses = tree.findall("D:response/D:propstat/D:status", NS)
    assert [s.text for s in statuses] == ["HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found"]


def test_displayname_keeps_vietnamese_and_xml_special_characters(archive):
    tree = parse(dav(archive, "PROPFIND", YEAR))
    assert prop(tree, YEAR + "1/", "D:displayname").text == "1/QĐ-UBND: " + SUBJECT
    agency = parse(dav(archive, "PROPFIND", "/dav/%s/" % H38, depth="0"))
    assert prop(agency, "/dav/%s/" % H38, "D:displayname").text == \
        "Ủy ban nhân dân tỉnh Lào Cai"


def test_hrefs_percent_encode_vietnamese_names(archive):
    tree = parse(dav(archive, "PROPFIND", RECORD + "versions/1/"))
    encoded = RECORD + "versions/1/Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20ph%C3%AA%20" \
                       "duy%E1%BB%87t%20%C4%91%E1%BB%81%20%C3%A1n.pdf"
    assert encoded in hrefs(tree)
    assert prop(tree, encoded, "D:displayname").text == FILENAME


def test_malformed_body_is_400_and_doctype_is_refused(archive):
    assert dav(archive, "PROPFIND", YEAR, body=b"<D:propfind", status=400)
    evil = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><D:propfind xmlns:D="DAV:"/>'
    res = dav(archive, "PROPFIND", YEAR, body=evil, status=400)
    assert res.json["error"]["code"] == "invalid_propfind"


def test_unknown_path_is_404(archive):
    for path in ("/dav/000.99.99.H38/", YEAR + "99/", RECORD + "nothing.txt",
                 RECORD + "versions/2/", "/dav/%s/1800/" % H38):
        dav(archive, "PROPFIND", path, status=404)


def test_root_lists_agencies_and_the_change_cursor(archive):
    tree = parse(dav(archive, "PROPFIND", "/dav/"))
    assert "/dav/%s/" % H38 in hrefs(tree)
    assert prop(tree, "/dav/", "A:change-cursor").text == "3"


def _count_loads(monkeypatch, classes):
    """Count ZODB loads of ``classes``' objects in this thread (the search
    index worker reads new records in its own): unghosting calls
    ``__setstate__`` (ZODB.serialize.ObjectReader.setGhostState)."""
    loads, here = Counter(), threading.get_ident()
    for cls in classes:
        def counting(self, state, _name=cls.__name__, _real=cls.__setstate__):
            if threading.get_ident() == here:
                loads[_name] += 1
            return _real(self, state)
        monkeypatch.setattr(cls, "__setstate__", counting)
    return loads


def _call(archive, method, path, depth="1"):
    from webob import Request
    request = Request.blank(path, method=method,
                            headers=dict(archive.auth("connector"), Depth=depth))
    return request.call_application(archive.app)


def test_depth_1_over_a_big_year_streams_and_loads_no_record(archive, monkeypatch):
    from archive_repo.dav import propfind
    from archive_repo.resources import Record, Version
    count = 3000
    bulk_year(archive, H38, 2025, count)
    archive.registry._zodb_databases[""].cacheMinimize()   # every record a ghost
    loads = _count_loads(monkeypatch, (Record, Version))
    made, real = [], propfind.response
    monkeypatch.setattr(propfind, "response", lambda *args: made.append(1) or real(*args))
    status, headers, body = _call(archive, "PROPFIND", "/dav/%s/2025/" % H38)
    assert status.startswith("207") and "Content-Length" not in dict(headers)
    chunks = iter(body)
    first = next(chunks)
    # the first chunk leaves before most responses are even made
    assert first.startswith(b"<?xml") and 0 < len(made) < count // 4
    rest = b"".join(chunks)
    body.close()
    assert len(made) == count + 1
    tree = etree.fromstring(first + rest)
    assert len(tree.findall("D:response", NS)) == count + 1
    assert prop(tree, "/dav/%s/2025/7/" % H38, "A:register-number").text == "7"
    assert loads == {}, loads


def test_a_body_never_iterated_gives_its_connection_back(archive):
    pool = archive.registry._zodb_databases[""].pool
    available, opened = len(pool.available), len(pool.all)
    status, _, body = _call(archive, "PROPFIND", YEAR)
    assert status.startswith("207")
    body.close()                          # as a server does when the client left
    # whether the body took a pooled connection or a new one, it is back
    assert len(pool.available) - available == len(pool.all) - opened


def test_a_member_that_fails_gets_a_500_response_inside_a_whole_document(archive,
                                                                          monkeypatch):
    from archive_repo.dav.records import RecordNode
    real = RecordNode.extra

    def broken(node):
        if node.name == "2":
            raise RuntimeError("broken pickle")
        return real(node)
    monkeypatch.setattr(RecordNode, "extra", broken)
    tree = parse(dav(archive, "PROPFIND", YEAR))
    assert hrefs(tree) == [YEAR, YEAR + "1/", YEAR + "2/"]
    status = tree.find("D:response[3]/D:status", NS)
    assert status is not None and status.text == "HTTP/1.1 500 Internal Server Error"


def test_a_listing_that_fails_midway_still_ends_well_formed(archive, monkeypatch):
    from archive_repo.dav.records import YearNode
    real = YearNode.children

    def failing(node):
        iterator = real(node)
        yield next(iterator)
        raise RuntimeError("storage went away")
    monkeypatch.setattr(YearNode, "children", failing)
    tree = parse(dav(archive, "PROPFIND", YEAR))        # parses: well-formed
    assert hrefs(tree) == [YEAR, YEAR + "1/"]
    assert "chưa đầy đủ" in tree.findtext("D:responsedescription", namespaces=NS)
    page = dav(archive, "GET", YEAR, depth=None).text
    assert page.rstrip().endswith("</html>")


def test_second_version_shows_everywhere(archive):
    from tests.support.pdfs import make_pdf
    corrected = make_pdf(["Bản đính chính"])
    archive.testapp.post("/%s/2026/1/versions/" % H38, params={"kind": "update"},
                         upload_files=[("file", "dinh-chinh.pdf", corrected)],
                         headers=dict(archive.auth(("clerk", H38)), Accept="application/json"),
                         status=201)
    sha = hashlib.sha256(corrected).hexdigest()
    tree = parse(dav(archive, "PROPFIND", RECORD + "versions/"))
    assert hrefs(tree) == [RECORD + "versions/", RECORD + "versions/1/",
                           RECORD + "versions/2/"]
    pdf = dav(archive, "GET", RECORD + "document.pdf", depth=None)
    assert pdf.body == corrected and pdf.headers["ETag"] == '"sha256:%s"' % sha
    assert dav(archive, "GET", RECORD + "versions/2/dinh-chinh.pdf", depth=None).body == \
        corrected
    year = parse(dav(archive, "PROPFIND", YEAR))
    assert prop(year, RECORD, "A:version").text == "2"
    assert prop(year, YEAR + "2/", "A:version").text == "1"
    record = parse(dav(archive, "PROPFIND", RECORD))
    assert prop(record, RECORD + "document.pdf", "D:getetag").text == '"sha256:%s"' % sha
    changes = archive.testapp.get("/dav/changes", params={"since": 3},
                                  headers=archive.auth("connector")).json["changes"]
    assert [(c["what"], c["path"], c["version"]) for c in changes] == [
        ("version", "/%s/2026/1" % H38, 2)]


def _first_chunk_loads(archive, monkeypatch, year):
    """Objects loaded (this thread) until the first chunk of the year's
    Depth 1 PROPFIND is out, every object a ghost first."""
    from ZODB.Connection import Connection
    loaded, here, real = Counter(), threading.get_ident(), Connection.setstate

    def counting(conn, obj):
        if threading.get_ident() == here:
            loaded[type(obj).__name__] += 1
        return real(conn, obj)
    archive.registry._zodb_databases[""].cacheMinimize()
    with monkeypatch.context() as patched:
        patched.setattr(Connection, "setstate", counting)
        status, _, body = _call(archive, "PROPFIND", "/dav/%s/%d/" % (H38, year))
        first = next(iter(body))
        counted = Counter(loaded)
    rest = b"".join(body)
    body.close()
    return first, rest, counted


def test_the_first_bytes_of_a_year_leave_before_the_year_is_walked(archive, monkeypatch):
    # the year's record-count was counted by walking both of its trees
    # before its own response: 2 000 records loaded ~10× what 200 did
    bulk_year(archive, H38, 2024, 2000)
    bulk_year(archive, H38, 2025, 200)
    _call(archive, "PROPFIND", "/dav/%s/2024/" % H38)[2].close()      # warm the app
    small = _first_chunk_loads(archive, monkeypatch, 2025)
    big = _first_chunk_loads(archive, monkeypatch, 2024)
    assert sum(big[2].values()) <= sum(small[2].values()) + 3, (small[2], big[2])
    for (first, rest, _), count in ((small, 200), (big, 2000)):
        tree = etree.fromstring(first + rest)
        assert len(tree.findall("D:response", NS)) == count + 1
        year = tree.find("D:response", NS).findtext("D:href", namespaces=NS)
        assert prop(tree, year, "A:record-count").text == str(count)


def test_a_year_streams_with_a_bounded_cache(archive):
    # cacheGC kept every bucket read (each holding ~30 record ghosts and
    # summaries): the cache ended with every record of the year in it
    from archive_repo.dav.stream import OwnConnectionBody
    count = 4000
    bulk_year(archive, H38, 2025, count)
    status, _, body = _call(archive, "PROPFIND", "/dav/%s/2025/" % H38)
    assert isinstance(body, OwnConnectionBody)
    held, chunks = [], []
    for chunk in body:
        chunks.append(chunk)
        held.append(len(body.conn._cache))      # loaded objects and ghosts
    body.close()
    assert max(held) < count // 2, max(held)
    tree = etree.fromstring(b"".join(chunks))
    assert [h.text for h in tree.iterfind("D:response/D:href", NS)][1:] == \
        ["/dav/%s/2025/%d/" % (H38, n) for n in range(1, count + 1)]


def test_start_up_counts_the_years_summarised_before_counts_existed(tmp_path):
    from tests.conftest import build_env, close_env
    from archive_repo.dav.summaries import COUNTS_KEY
    env = build_env(tmp_path)
    for _ in range(3):
        env.deposit()
    conn = env.conn()
    with conn.transaction_manager:
        del conn.root()[COUNTS_KEY]             # the shape before this release
        del env.root(conn).evolved["2026-12-dav-summary-counts"]
    conn.close()
    close_env(env)
    env = build_env(tmp_path)                   # start-up runs the step
    try:
        conn = env.conn()
        try:
            assert conn.root()[COUNTS_KEY][(H38, 2026)]() == 3
        finally:
            conn.close()
        env.deposit()
        tree = parse(dav(env, "PROPFIND", YEAR))
        assert prop(tree, YEAR, "A:record-count").text == "4"
    finally:
        close_env(env)
