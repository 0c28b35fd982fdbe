"""edXML out and in: a round trip into another archive keeps metadata and
bytes; hostile or malformed XML is refused and stores nothing."""
import hashlib
import io

import pytest

from tests.conftest import build_env, close_env
from tests.support.pdfs import make_pdf
from tests.workflow.conftest import (H38, JSON, STTTT, SYT, accept, acknowledge, add_version,
                                     clerk, delivery_path, error_code, export, get, post_status,
                                     post_xml, recall, record_path, refuse, status_message,
                                     with_attachment)

NS = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}
META = {"receivers": [STTTT, SYT], "urgency": "Hỏa tốc", "number": 42,
        "signer_position": "Chủ tịch", "keywords": ["chuyển đổi số", "kế hoạch"],
        "digitized": True, "page_count": 2, "issued_amount": 15,
        "description": "Bản điện tử", "language": "Tiếng Việt", "due_date": "2026-04-30"}
FIELDS = ("number", "notation", "doctype", "subject", "issued_on", "signer",
          "signer_position", "urgency", "confidentiality", "receivers", "digitized",
          "page_count", "keywords", "language", "description", "issued_amount", "due_date")


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
    # the same bytes, number and notation again: a duplicate (Decree 30 App. VI)
    error_code(post_xml(elsewhere, body, status=409), 409, "duplicate_document")
    assert stored_count(elsewhere) == 1


def test_update_and_revoke_messages_change_the_existing_record(env, elsewhere):
    original = env.deposit(meta=META).json
    post_xml(elsewhere, export(env, original))
    env.testapp.post(record_path(original) + "/versions/", params={"kind": "replace"},
                     upload_files=[("file", "thay-the.pdf", make_pdf(["Thay thế"]))],
                     headers=env.auth(clerk(H38)))
    updated = post_xml(elsewhere, export(env, original, business="replace"), status=200).json
    assert [v["reason"] for v in updated["versions"]] == ["new", "replace"]
    assert updated["duplicate"] is False and updated["version"]["number"] == 2
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
    # merely sent: nothing is known of the receiver yet (01 means "arrived")
    res = env.testapp.get(path % STTTT, headers=dict(env.auth(clerk(H38)), **JSON),
                          status=409)
    assert "01" in error_code(res, 409, "no_status_yet")["message"]
    post_status(env, sent, STTTT, status_message("01", STTTT, sent), clerk(STTTT))
    assert code(STTTT) == "01"
    accept(env, sent, STTTT)
    refuse(env, sent, SYT)
    assert (code(STTTT), code(SYT)) == ("03", "02")
    post_status(env, sent, STTTT, status_message("05", STTTT, sent), clerk(STTTT))
    assert code(STTTT) == "05"


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


# -- export any record; messages about an existing document -----------------

def business_code(body):
    from lxml import etree
    return etree.fromstring(body).findtext(".//e:Bussiness/e:BussinessDocType", namespaces=NS)


def test_a_record_at_version_2_exports_into_an_empty_archive(env, elsewhere):
    original = env.deposit(meta=META).json
    corrected = make_pdf(["Bản đính chính"], pages=2)
    add_version(env, original, pdf=corrected, kind="update")
    current = get(env, record_path(original)).json
    body = export(env, original)
    assert business_code(body) == "0"                    # new, whatever the version
    imported = post_xml(elsewhere, body).json            # 201, not 404 record_not_found
    assert {f: imported[f] for f in FIELDS} == {f: current[f] for f in FIELDS}
    assert imported["sha256"] == current["sha256"] == hashlib.sha256(corrected).hexdigest()
    assert imported["filename"] == current["filename"] == "dinh-chinh.pdf"
    assert [v["reason"] for v in imported["versions"]] == ["new"]
    got = elsewhere.testapp.get(record_path(imported) + "/document.pdf",
                                headers=elsewhere.auth(clerk(H38))).body
    assert got == corrected


def test_messages_about_an_existing_document_are_asked_for(env, sent):
    path = record_path(sent) + "/edxml"
    hdrs = dict(env.auth(clerk(H38)), **JSON)
    err = error_code(env.testapp.get(path, params={"business": "update"}, headers=hdrs,
                                     status=400), 400, "invalid_business")
    assert "phiên bản 2" in err["message"]
    error_code(env.testapp.get(path, params={"business": "delete"}, headers=hdrs, status=400),
               400, "invalid_business")
    error_code(env.testapp.get(path, params={"business": "revoke"}, headers=hdrs, status=409),
               409, "not_recalled")
    add_version(env, sent, kind="replace")
    assert business_code(export(env, sent, business="replace")) == "3"
    assert business_code(export(env, sent, business="update", version=2)) == "2"
    assert business_code(export(env, sent, version=1)) == "0"
    recall(env, sent)
    assert business_code(export(env, sent, business="revoke")) == "1"


def test_a_replayed_update_or_replace_adds_no_version(env, elsewhere):
    v1 = make_pdf(["Bản gốc"])
    original = env.deposit(meta=META, pdf=v1).json
    post_xml(elsewhere, export(env, original))
    add_version(env, original, kind="update", pdf=make_pdf(["Đính chính"]))
    message = export(env, original, business="update")
    first = post_xml(elsewhere, message, status=200).json
    assert first["duplicate"] is False and len(first["versions"]) == 2
    again = post_xml(elsewhere, message, status=200).json
    assert again["duplicate"] is True
    assert again["version"]["number"] == 2 and again["version"]["sha256"] == first["sha256"]
    assert len(again["versions"]) == 2
    # the bytes of an older version, sent as a replacement: that version again
    old = post_xml(elsewhere, with_attachment(export(env, original, business="replace"), v1),
                   status=200).json
    assert old["duplicate"] is True and old["version"]["number"] == 1
    assert [v["reason"] for v in old["versions"]] == ["new", "update"]
    assert old["sha256"] == first["sha256"]              # the current one is unchanged
    history = [(h["action"], h["outcome"], h["detail"].get("version"))
               for h in get(elsewhere, record_path(original)).json["history"]
               if h["action"] == "import_edxml"]
    assert history == [("import_edxml", "ok", 1), ("import_edxml", "ok", 2),
                       ("import_edxml", "duplicate", 2), ("import_edxml", "duplicate", 1)]


# -- hostile bodies over HTTP, at the default limits ----------------------------

UTF16_HOSTILE = """<?xml version="1.0" encoding="UTF-16"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lol">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader>
<MessageHeader><From><OrganId>000.00.00.H38</OrganId></From><Subject>&xxe;&lol;</Subject>
</MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_a_utf16_hostile_message_is_refused_over_http(env, encoding):
    err = error_code(post_xml(env, UTF16_HOSTILE.encode(encoding), status=400), 400,
                     "edxml_refused")
    assert "DOCTYPE" in err["message"]
    # caught by the byte scan before any parsing, in its own encoding
    assert err["details"] == [{"marker": "<!DOCTYPE"}]
    assert stored_count(env) == 0


@pytest.fixture
def default_env(tmp_path):
    """An archive at the limits an operator gets by default (100 MB)."""
    from archive_repo import DEFAULTS
    (tmp_path / "default").mkdir()
    other = build_env(tmp_path / "default", **{
        "archive_repo.max_upload_mb": DEFAULTS["archive_repo.max_upload_mb"]})
    yield other
    close_env(other)


def test_at_the_default_limit_50_mb_of_header_text_is_refused(default_env):
    from archive_repo.settings import parse_settings
    big = b"<edXML><Subject>" + b"A" * (50 << 20) + b"</Subject></edXML>"
    assert len(big) < parse_settings(default_env.settings).message_limit     # not refused for its size
    err = error_code(post_xml(default_env, big, status=400), 400, "edxml_refused")
    assert "tiêu đề" in err["message"]
    assert stored_count(default_env) == 0


class EndlessAttachment:
    """A body of unknown length, made as it is read: an attachment that
    never ends (whitespace, which the base64 decoder skips, so only the
    message limit can stop it)."""

    HEAD = (b"<edXML><AttachmentEncoded><Attachment><ContentTransferEncoded>")

    def __init__(self):
        self.served = 0

    def read(self, size):
        chunk = self.HEAD if self.served == 0 else b" " * size
        self.served += len(chunk)
        return chunk


def test_at_the_default_limit_a_body_without_length_is_cut_off(tmp_path):
    import os
    from archive_repo.settings import parse_settings
    from archive_repo.edxml.parse import CHUNK, read_stream
    from archive_repo.errors import TooLarge
    limit = parse_settings({}, complete=False).message_limit   # an unset setting
    assert limit == parse_settings({"archive_repo.max_upload_mb": "100"},
                                   complete=False).message_limit > 130 << 20
    stream = EndlessAttachment()
    with pytest.raises(TooLarge) as info:
        read_stream(stream, limit, str(tmp_path), 100 << 20)
    assert info.value.code == "too_large"
    assert limit < stream.served <= limit + CHUNK  # stopped at the limit
    assert os.listdir(tmp_path) == []              # its spooled attachment removed


# -- status messages: guards, replays -----------------------------------------

def test_information_only_codes_are_guarded_by_the_delivery_state(env, sent):
    err = error_code(post_status(env, sent, STTTT, status_message("04", STTTT, sent),
                                 clerk(STTTT), status=409), 409, "illegal_transition")
    assert "chưa được tiếp nhận" in err["message"]
    arrived = post_status(env, sent, STTTT, status_message("01", STTTT, sent), clerk(STTTT)).json
    assert arrived["state"] == "sent" and arrived["arrived_at"].endswith("+07:00")
    accept(env, sent, STTTT)
    err = error_code(post_status(env, sent, STTTT, status_message("01", STTTT, sent),
                                 clerk(STTTT), status=409), 409, "illegal_transition")
    assert "đã được tiếp nhận" in err["message"]
    for code in ("04", "05", "06"):
        res = post_status(env, sent, STTTT, status_message(code, STTTT, sent), clerk(STTTT)).json
        assert res["state"] == "accepted" and res["reported"]["code"] == code
    refuse(env, sent, SYT)
    err = error_code(post_status(env, sent, SYT, status_message("06", SYT, sent), clerk(SYT),
                                 status=409), 409, "illegal_transition")
    assert "Bị từ chối" in err["message"]
    error_code(post_status(env, sent, STTTT, status_message("06", STTTT, sent), clerk(SYT),
                           status=403), 403, "forbidden")
    syt = get(env, delivery_path(sent, SYT), clerk(SYT)).json
    assert [e["action"] for e in syt["events"]] == ["send", "refuse"]
    assert syt["reported"] is None


@pytest.mark.parametrize("code", ["01", "03", "06", "13"])
def test_a_status_message_must_name_its_document(env, sent, code):
    organ = H38 if code == "13" else STTTT
    err = error_code(post_status(env, sent, STTTT,
                                 status_message(code, organ, sent, "x", document_id=False),
                                 clerk(organ), status=400), 400, "edxml_incomplete")
    assert "DocumentId" in err["message"]
    record = get(env, record_path(sent)).json
    assert record["recall"] is None and record["deliveries"][0]["state"] == "sent"
    assert record["deliveries"][0]["arrived_at"] is None


def test_a_recall_request_reaching_each_receiver_recalls_once(env, sent):
    accept(env, sent, STTTT)
    first = post_status(env, sent, STTTT, status_message("13", H38, sent, "Thu hồi để sửa"),
                        clerk(H38)).json
    assert first["state"] == "recall_requested" and first["changed"] is True
    second = post_status(env, sent, SYT, status_message("13", H38, sent, "Lý do khác"),
                         clerk(H38)).json
    assert second["state"] == "recall_requested" and second["changed"] is False
    acknowledge(env, sent, STTTT)
    third = post_status(env, sent, STTTT, status_message("13", H38, sent, "Thu hồi để sửa"),
                        clerk(H38)).json
    assert third["state"] == "recalled" and third["changed"] is False
    record = get(env, record_path(sent)).json
    assert record["recall"]["reason"] == "Thu hồi để sửa"
    assert [d["state"] for d in record["deliveries"]] == ["recalled", "recall_requested"]
    outcomes = [h["outcome"] for h in record["history"] if h["action"] == "status_edxml"]
    assert outcomes == ["ok", "no_op", "no_op"]
    # still the issuer's only
    error_code(post_status(env, sent, SYT, status_message("13", SYT, sent), clerk(SYT),
                           status=403), 403, "forbidden")


def test_a_recall_request_on_a_refused_delivery_is_409(env, sent):
    refuse(env, sent, SYT)
    err = error_code(post_status(env, sent, SYT, status_message("13", H38, sent, "Sai"),
                                 clerk(H38), status=409), 409, "illegal_transition")
    assert "từ chối" in err["message"]
    assert get(env, record_path(sent)).json["recall"] is None       # nothing recalled
    post_status(env, sent, STTTT, status_message("13", H38, sent, "Sai"), clerk(H38))
    error_code(post_status(env, sent, SYT, status_message("13", H38, sent, "Sai"), clerk(H38),
                           status=409), 409, "illegal_transition")
