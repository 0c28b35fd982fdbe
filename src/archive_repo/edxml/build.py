"""Writing a record as an edXML message (QCVN 102:2016).

The header comes from the record's metadata, the PDF travels base64 in the
``AttachmentEncoded`` block beside the envelope.  The message is written
incrementally (``lxml.etree.xmlfile``) to a file, the PDF read and encoded
in 3 × 64 KiB pieces, so exporting a 100 MB document holds no 133 MB string.
"""
import base64

from lxml import etree

from ..doctypes import name_of
from ..errors import BadRequest, Conflict
from .schema import (AR_NS, BUSINESS_CODE, NS, NSMAP, PRIORITY_OF, document_id,
                     edxml_date, edxml_timestamp, q)

READ = 3 * (1 << 16)


def _el(parent, name, text=None, ns=NS):
    node = etree.SubElement(parent, q(name, ns))
    if text is not None:
        node.text = str(text)
    return node


def _organ(parent, tag, code, organ_name):
    node = _el(parent, tag)
    _el(node, "OrganId", code)
    _el(node, "OrganName", organ_name(code))
    return node


def message_header(record, organ_name):
    meta = record.metadata
    header = etree.Element(q("MessageHeader"), nsmap=NSMAP)
    _organ(header, "From", record.agency_code, organ_name)
    for code in meta.get("receivers") or ():
        _organ(header, "To", code, organ_name)
    _el(header, "DocumentId", document_id(record.agency_code, meta["issued_on"],
                                          record.number, meta["notation"]))
    code = _el(header, "Code")
    _el(code, "CodeNumber", record.number)
    _el(code, "CodeNotation", meta["notation"])
    promulgation = _el(header, "PromulgationInfo")
    _el(promulgation, "Place", "")
    _el(promulgation, "PromulgationDate", edxml_date(meta["issued_on"]))
    doctype = _el(header, "DocumentType")
    _el(doctype, "Type", "1")
    _el(doctype, "TypeDetail", "0")
    _el(doctype, "TypeName", name_of(meta["doctype"]))
    _el(header, "Subject", meta["subject"])
    signer = _el(header, "SignerInfo")
    _el(signer, "Position", meta.get("signer_position") or "")
    _el(signer, "FullName", meta["signer"])
    if meta.get("due_date"):
        _el(header, "DueDate", edxml_date(meta["due_date"]))
    other = _el(header, "OtherInfo")
    _el(other, "Priority", PRIORITY_OF.get(meta.get("urgency"), "0"))
    _el(other, "PromulgationAmount", meta.get("issued_amount") or "")
    _el(other, "PageAmount", meta.get("page_count") or "")
    header.append(archive_info(meta))
    return header


def archive_info(meta):
    """Our extension: what edXML has no tag for, so a round trip keeps it."""
    info = etree.Element(q("ArchiveInfo", AR_NS), nsmap={"ar": AR_NS})
    _el(info, "DocType", meta["doctype"], AR_NS)
    _el(info, "Digitized", "true" if meta.get("digitized") else "false", AR_NS)
    for name, tag in (("language", "Language"), ("description", "Description")):
        if meta.get(name):
            _el(info, tag, meta[name], AR_NS)
    for keyword in meta.get("keywords") or ():
        _el(info, "Keyword", keyword, AR_NS)
    return info


def trace_list(record, business, reason, at):
    trace = etree.Element(q("TraceHeaderList"), nsmap=NSMAP)
    hop = _el(trace, "TraceHeader")
    _el(hop, "OrganId", record.agency_code)
    _el(hop, "Timestamp", edxml_timestamp(at))
    bussiness = _el(trace, "Bussiness")
    _el(bussiness, "BussinessDocType", BUSINESS_CODE[business])
    _el(bussiness, "BussinessDocReason", reason or "")
    _el(bussiness, "Paper", "0")
    return trace


def manifest(cid, filename):
    body = etree.Element(q("edXMLBody"), nsmap=NSMAP)
    ref = _el(_el(body, "edXMLManifest"), "Reference")
    _el(ref, "ContentId", cid)
    _el(ref, "ContentType", "application/pdf")
    _el(ref, "AttachmentName", filename)
    return body


BUSINESS_CHOICES = ("new", "update", "replace", "revoke")


def business_of(record, version, requested=None):
    """What the exported message does (``BussinessDocType``), and its reason.

    By default ``new``, at any version: a document another archive can take
    in although it has never seen it — it arrives there as version 1, with
    this version's bytes and the record's metadata.  ``update``/``replace``
    are for messages to the axis about a document the other side already
    has, so they carry a later version (2 or more); ``revoke`` announces the
    recall of a recalled record."""
    if requested in (None, "", "new"):
        return "new", None
    if requested not in BUSINESS_CHOICES:
        raise BadRequest("invalid_business", "Tham số business chỉ nhận: %s."
                         % ", ".join(BUSINESS_CHOICES),
                         [{"field": "business", "value": requested}])
    if requested == "revoke":
        if record.recall is None:
            raise Conflict("not_recalled", "Văn bản chưa bị thu hồi; không có thông điệp "
                           "thu hồi để xuất.", [{"business": requested}])
        return "revoke", record.recall.reason
    if version.number == 1:
        raise BadRequest("invalid_business", "Phiên bản 1 là bản gốc: thông điệp cập nhật "
                         "hoặc thay thế phải mang phiên bản 2 trở lên.",
                         [{"field": "version", "value": 1, "business": requested}])
    return requested, None


def write_message(out, record, version, organ_name, at, business="new", reason=None):
    """Write the edXML message of ``record``'s ``version`` to ``out`` (a
    binary file)."""
    cid = "cid:%s-%s-%s-v%d" % (record.agency_code, record.year, record.number,
                                version.number)
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(q("edXML"), nsmap=NSMAP):
            with xf.element(q("edXMLEnvelope")):
                with xf.element(q("edXMLHeader")):
                    xf.write(message_header(record, organ_name))
                    xf.write(trace_list(record, business, reason, at))
                xf.write(manifest(cid, version.filename))
            with xf.element("AttachmentEncoded"):
                with xf.element("Attachment"):
                    for tag, text in (("ContentId", cid), ("AttachmentName", version.filename),
                                      ("ContentType", "application/pdf")):
                        with xf.element(tag):
                            xf.write(text)
                    with xf.element(q("ContentTransferEncoded")):
                        _write_base64(xf, version)


def _write_base64(xf, version):
    with version.blob.open("r") as src:
        for chunk in iter(lambda: src.read(READ), b""):
            xf.write(base64.b64encode(chunk).decode("ascii"))
