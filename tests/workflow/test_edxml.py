"""edXML out and in: a round trip into another archive keeps metadata and
bytes; hostile or malformed XML is refused and stores nothing."""
import hashlib
import io

import pytest

from tests.conftest import build_env, close_env
from tests.support.pdfs import make_pdf
from tests.workflow.conftest import (H38, STTTT, SYT, accept, clerk, error_code, get,
                                     record_path, refuse)

XML = "application/xml"
META = {"receivers": [STTTT, SYT], "urgency": "Hỏa tốc", "number": 42,
        "signer_position": "Chủ tịch", "keywords": ["chuyển đổi số", "kế hoạch"],
        "digitized": True, "page_count": 2, "issued_amount": 15,
        "description": "Bản điện tử", "language": "Tiếng Việt", "due_date": "2026-04-30"}
FIELDS = ("number", "notation", "doctype", "subject", "issued_on", "signer",
          "signer_position", "urgency", "confidentiality", "receivers", "digitized",
          "page_count", "keywords", "language", "description", "issued_amount", "due_date")


def export(env, record, who=clerk(H38), **params):
    return env.testapp.get(record_path(record) + "/edxml", params=params,
                           headers=env.auth(who)).body


def post_xml(env, body, agency=H38, year=2026, who=None, status=201):
    return env.testapp.post("/%s/%s/" % (agency, year), body,
                            headers=dict(env.auth(who or clerk(agency)),
                                         **{"Content-Type": XML, "Accept": "application/json"}),
                            status=status)


@pytest.fixture
def elsewhere(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    other = build_env(tmp_path / "elsewhere")
    yield other
    close_env(other)


def stored_count(env):
    conn = env.conn()
    try:
        agency = env.root(conn).agencies[H38]
        return sum(len(agency.data[y]) for y in agency.existing_years())
    finally:
        conn.close()


def test_export_is_edxml_with_the_pdf_attached(env):
    pdf = make_pdf(pages=2)
    record = env.deposit(meta=META, pdf=pdf).json
    body = export(env, record)
    from lxml import etree
    root = etree.fromstring(body)
    ns = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}
    assert root.findtext(".//e:MessageHeader/e:Code/e:CodeNotation", namespaces=ns) == "QĐ-UBND"
    assert root.findtext(".//e:PromulgationDate", namespaces=ns) == "2026/03/05"
    assert root.findtext(".//e:OtherInfo/e:Priority", namespaces=ns) == "3"
    assert root.findtext(".//e:DocumentId", namespaces=ns) == "%s,2026/03/05,42/QĐ-UBND" % H38
    assert [t.text for t in root.iterfind(".//e:To/e:OrganId", ns)] == [STTTT, SYT]
    import base64
    encoded = root.findtext(".//AttachmentEncoded/Attachment/e:ContentTransferEncoded",
                            namespaces=ns)
    assert base64.b64decode(encoded) == pdf


def test_round_trip_into_another_archive_keeps_metadata_and_bytes(env, elsewhere):
    pdf = make_pdf(pages=2)
    original = env.deposit(meta=META, pdf=pdf).json
    imported = post_xml(elsewhere, export(env, original)).json
    assert {f: imported[f] for f in FIELDS} == {f: original[f] for f in FIELDS}
    assert imported["sha256"] == original["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert imported["filename"] == original["filename"]
    got = elsewhere.testapp.get(record_path(imported) + "/document.pdf",
                                headers=elsewhere.auth(clerk(H38))).body
    assert got == pdf
    # it arrived for its receivers there too
    inbox = get(elsewhere, "/%s/inbox" % SYT, clerk(SYT)).json
    assert [r["record"] for r in inbox["results"]] == [record_path(imported)]


def test_importing_the_same_message_twice_is_409(env, elsewhere):
    body = export(env, env.deposit(meta=META).json)
    post_xml(elsewhere, body)
    error_code(post_xml(elsewhere, body, status=409), 409, "number_taken")
    assert stored_count(elsewhere) == 1


def test_update_and_revoke_messages_change_the_existing_record(env, elsewhere):
    original = env.deposit(meta=META).json
    post_xml(elsewhere, export(env, original))
    env.testapp.post(record_path(original) + "/versions/", params={"kind": "replace"},
                     upload_files=[("file", "thay-the.pdf", make_pdf(["Thay thế"]))],
                     headers=env.auth(clerk(H38)))
    updated = post_xml(elsewhere, export(env, original), status=200).json
    assert [v["reason"] for v in updated["versions"]] == ["new", "replace"]
    env.testapp.post_json(record_path(original) + "/recall", {"reason": "Sai thể thức."},
                          headers=env.auth(clerk(H38)))
    revoked = post_xml(elsewhere, export(env, original, business="revoke"), status=200).json
    assert revoked["recall"]["reason"] == "Sai thể thức."


def test_only_the_issuers_clerk_may_import_into_its_space(env, elsewhere):
    body = export(env, env.deposit(meta=META).json)
    error_code(post_xml(elsewhere, body, who=clerk(STTTT), status=403), 403, "forbidden")
    error_code(post_xml(elsewhere, body, agency=SYT, status=400), 400, "edxml_wrong_agency")
    assert stored_count(elsewhere) == 0


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><Subject>&lol9;</Subject></edXML>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><Subject>&xxe;</Subject></edXML>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_entity_attacks_are_refused_and_nothing_is_stored(env, body):
    err = error_code(post_xml(env, body, status=400), 400, "edxml_refused")
    assert "DOCTYPE" in err["message"]
    assert "root:" not in str(err)
    assert stored_count(env) == 0


def test_a_doctype_hidden_from_the_byte_scan_is_still_refused():
    # the parser's own doctype hook refuses what the byte scan cannot see
    # (here: split across the scan's window by whitespace in the middle)
    from archive_repo.edxml.parse import Refused, Target, _parser
    target = Target(None, 1 << 20)
    parser = _parser(target)
    with pytest.raises(Refused):
        parser.feed(b'<!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a/>')
        parser.close()


def test_a_50_mb_message_is_refused_before_it_is_read(env):
    big = b"<edXML>" + b"A" * (50 << 20) + b"</edXML>"
    err = error_code(post_xml(env, big, status=413), 413, "too_large")
    assert "MB" in err["message"]
    assert stored_count(env) == 0


def test_a_message_over_the_limit_without_content_length_is_cut_off():
    from archive_repo.edxml.parse import read_stream
    from archive_repo.errors import TooLarge
    stream = io.BytesIO(b"<edXML>" + b"A" * (3 << 20) + b"</edXML>")
    with pytest.raises(TooLarge):
        read_stream(stream, 1 << 20)


def test_malformed_and_incomplete_messages_store_nothing(env):
    error_code(post_xml(env, b"<edXML><unclosed>", status=400), 400, "edxml_malformed")
    error_code(post_xml(env, b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'/>",
                        status=400), 400, "edxml_incomplete")
    assert stored_count(env) == 0


def test_multipart_deposit_still_reaches_its_own_view(env):
    assert env.deposit().status_int == 201


def test_status_messages_follow_the_lifecycle(env, sent):
    path = record_path(sent) + "/deliveries/%s/status.edxml"
    from lxml import etree
    ns = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}

    def code(receiver):
        body = env.testapp.get(path % receiver, headers=env.auth(clerk(H38))).body
        return etree.fromstring(body).findtext(".//e:StatusCode", namespaces=ns)
    assert code(STTTT) == "01"
    accept(env, sent, STTTT)
    refuse(env, sent, SYT)
    assert (code(STTTT), code(SYT)) == ("03", "02")


def status_message(code, organ, record, description="", staff=""):
    return ("""<?xml version="1.0" encoding="utf-8"?>
<edXMLEnvelope xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLHeader><Status>
<ResponseFor><OrganId>%s</OrganId><DocumentId>%s,2026/03/05,%s/QĐ-UBND</DocumentId></ResponseFor>
<From><OrganId>%s</OrganId></From><StatusCode>%s</StatusCode>
<Description>%s</Description><Timestamp>2026/03/06 08:00:00</Timestamp>
<StaffInfo><Staff>%s</Staff></StaffInfo></Status></edXMLHeader><edXMLBody/></edXMLEnvelope>"""
            % (H38, H38, record["number"], organ, code, description, staff)).encode()


def post_status(env, record, receiver, body, who, status=200):
    return env.testapp.post(record_path(record) + "/deliveries/%s/status" % receiver, body,
                            headers=dict(env.auth(who), **{"Content-Type": XML,
                                                           "Accept": "application/json"}),
                            status=status)


def test_incoming_status_messages_drive_the_transitions(env, sent):
    res = post_status(env, sent, STTTT, status_message("03", STTTT, sent, staff="Phòng KT"),
                      clerk(STTTT)).json
    assert res["state"] == "accepted" and res["handler"] == "Phòng KT"
    res = post_status(env, sent, SYT, status_message("02", SYT, sent, "Không đúng thẩm quyền"),
                      clerk(SYT)).json
    assert res["state"] == "refused" and res["refusal"]["text"] == "Không đúng thẩm quyền"
    post_status(env, sent, STTTT, status_message("13", H38, sent, "Thu hồi để sửa"), clerk(H38))
    assert get(env, record_path(sent)).json["recall"]["reason"] == "Thu hồi để sửa"
    error_code(post_status(env, sent, STTTT, status_message("16", STTTT, sent), clerk(STTTT),
                           status=409), 409, "recall_refusal_not_allowed")
    res = post_status(env, sent, STTTT, status_message("15", STTTT, sent), clerk(STTTT)).json
    assert res["state"] == "recalled"


def test_status_messages_are_guarded_like_the_transitions(env, sent):
    error_code(post_status(env, sent, STTTT, status_message("03", STTTT, sent), clerk(H38),
                           status=403), 403, "forbidden")
    error_code(post_status(env, sent, STTTT, status_message("03", SYT, sent), clerk(SYT),
                           status=403), 403, "forbidden")
    error_code(post_status(env, sent, STTTT, status_message("99", STTTT, sent), clerk(STTTT),
                           status=400), 400, "edxml_status_code")
    post_status(env, sent, STTTT, status_message("03", STTTT, sent), clerk(STTTT))
    error_code(post_status(env, sent, STTTT, status_message("03", STTTT, sent), clerk(STTTT),
                           status=409), 409, "illegal_transition")
