"""PROPFIND, one test per RFC 4918 requirement we rely on."""
import shutil
from pathlib import Path

from lxml import etree

from tests.conftest import H38
from tests.dav.conftest import FILENAME, SUBJECT, dav

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
