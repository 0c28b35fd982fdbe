"""Helpers for the lifecycle tests: two (or three) agencies' clerks acting
over HTTP on a real app (tests/conftest.py's ``env``)."""
import pytest

from tests.conftest import H38, STTTT, SYT

JSON = {"Accept": "application/json"}


def headers(env, who):
    return dict(env.auth(who), **JSON)


def clerk(code):
    return ("clerk", code)


def get(env, path, who=clerk(H38), status=200, **kw):
    return env.testapp.get(path, headers=headers(env, who), status=status, **kw)


def post(env, path, who, body=None, status=200):
    return env.testapp.post_json(path, body or {}, headers=headers(env, who), status=status)


def delivery_path(record, receiver):
    return "/%s/%s/%s/deliveries/%s" % (record["agency"], record["year"], record["number"],
                                         receiver)


def record_path(record):
    return "/%s/%s/%s" % (record["agency"], record["year"], record["number"])


def accept(env, record, receiver, status=200, **body):
    return post(env, delivery_path(record, receiver) + "/accept", clerk(receiver), body,
                status)


def refuse(env, record, receiver, who=None, status=200, code="not_competent",
           text="Văn bản không thuộc thẩm quyền xử lý của Sở."):
    return post(env, delivery_path(record, receiver) + "/refuse", who or clerk(receiver),
                {"reason_code": code, "reason": text}, status)


def recall(env, record, who=clerk(H38), status=200, reason="Ban hành sai thẩm quyền."):
    return post(env, record_path(record) + "/recall", who, {"reason": reason}, status)


def acknowledge(env, record, receiver, who=None, status=200):
    return post(env, delivery_path(record, receiver) + "/acknowledge-recall",
                who or clerk(receiver), None, status)


def add_version(env, record, who=clerk(H38), kind="update", pdf=None, status=201):
    from tests.support.pdfs import make_pdf
    return env.testapp.post(
        record_path(record) + "/versions/", params={"kind": kind},
        upload_files=[("file", "dinh-chinh.pdf", pdf or make_pdf(["Đính chính"]))],
        headers=dict(env.auth(who), **JSON), status=status)


# -- edXML over HTTP --------------------------------------------------------

XML = "application/xml"


def export(env, record, who=clerk(H38), **params):
    return env.testapp.get(record_path(record) + "/edxml", params=params,
                           headers=env.auth(who)).body


def post_xml(env, body, agency=H38, year=2026, who=None, status=201):
    return env.testapp.post("/%s/%s/" % (agency, year), body,
                            headers=dict(env.auth(who or clerk(agency)),
                                         **{"Content-Type": XML, "Accept": "application/json"}),
                            status=status)


def with_attachment(body, pdf):
    """The edXML message ``body`` carrying ``pdf`` instead of its attachment."""
    import base64
    from lxml import etree
    root = etree.fromstring(body)
    ns = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}
    root.find(".//AttachmentEncoded/Attachment/e:ContentTransferEncoded", ns).text = \
        base64.b64encode(pdf).decode("ascii")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def status_message(code, organ, record, description="", staff="", document_id=True):
    doc = "<DocumentId>%s,2026/03/05,%s/QĐ-UBND</DocumentId>" % (H38, record["number"]) \
        if document_id else ""
    return ("""<?xml version="1.0" encoding="utf-8"?>
<edXMLEnvelope xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLHeader><Status>
<ResponseFor><OrganId>%s</OrganId>%s</ResponseFor>
<From><OrganId>%s</OrganId></From><StatusCode>%s</StatusCode>
<Description>%s</Description><Timestamp>2026/03/06 08:00:00</Timestamp>
<StaffInfo><Staff>%s</Staff></StaffInfo></Status></edXMLHeader><edXMLBody/></edXMLEnvelope>"""
            % (H38, doc, organ, code, description, staff)).encode()


def post_status(env, record, receiver, body, who, status=200):
    return env.testapp.post(delivery_path(record, receiver) + "/status", body,
                            headers=dict(env.auth(who), **{"Content-Type": XML,
                                                           "Accept": "application/json"}),
                            status=status)


def error_code(response, status, code):
    assert response.status_int == status
    assert response.json["error"]["code"] == code, response.json
    return response.json["error"]


@pytest.fixture
def sent(env):
    """A record of H38 sent to STTTT and SYT."""
    return env.deposit(meta={"receivers": [STTTT, SYT]}).json


__all__ = ["H38", "STTTT", "SYT"]
