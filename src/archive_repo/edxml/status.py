"""edXML status messages ↔ the delivery lifecycle.

A status message is the same envelope with a ``Status`` header and no body:
``ResponseFor`` (the document), ``From`` (who reports), ``StatusCode``,
``Description``, ``Timestamp``, ``StaffInfo``.  The table says, for each
code, what it means here: the delivery action it performs, and which side
sends it.  Every code is guarded by the delivery's state through
deliveries.TRANSITIONS: the information-only ones (01 arrived — before
acceptance; 04 assigned, 05 in progress, 06 done — after it) change no
state but are refused (409) where they make no sense.

Code 13 (recall requested) recalls the whole record: a 13 that reaches a
delivery the recall already asked (or that acknowledged) is a replay and
changes nothing (200); on a refused delivery it is an illegal transition.
Code 16 (recall/update refused) has no action: Art. 7.3 obliges the
receiver to cancel a recalled document, so the archive refuses it (409).

Which status a delivery shows (:func:`code_of`): 01 only once the receiver
reported arrival — a delivery the sender merely sent has no status yet —
then 03 or the receiver's latest 04–06, 02, 13, 15.
"""
from lxml import etree

from ..errors import ArchiveError, BadRequest, Conflict
from ..events import Because, RecordActionNoted, RecordModified, fire
from ..workflow import actions, recall as rc
from ..workflow import deliveries as dl
from .schema import NSMAP, document_id, edxml_date, edxml_timestamp, q

# code: (label, delivery action, side that sends it)
CODES = {
    "01": ("Đã đến", "report_arrival", "receiver"),
    "02": ("Từ chối tiếp nhận", "refuse", "receiver"),
    "03": ("Đã tiếp nhận, vào sổ văn bản đến", "accept", "receiver"),
    "04": ("Đã phân công xử lý", "report_progress", "receiver"),
    "05": ("Đang xử lý", "report_progress", "receiver"),
    "06": ("Đã hoàn thành", "report_progress", "receiver"),
    "13": ("Yêu cầu thu hồi", "request_recall", "sender"),
    "15": ("Đồng ý thu hồi", "acknowledge_recall", "receiver"),
    "16": ("Từ chối thu hồi", "refuse_recall", "receiver"),
}
CODE_OF_STATE = {"refused": "02", "accepted": "03", "recall_requested": "13",
                 "recalled": "15"}
PROGRESS = ("04", "05", "06")


def code_of(delivery):
    """The status code ``delivery`` reports now, and since when; 409 for a
    delivery nothing is known of yet (sent, arrival not reported)."""
    reported = delivery.reported or (None, None)
    if delivery.state == "sent":
        if delivery.arrived_at is None:
            raise Conflict("no_status_yet",
                           "Bên nhận %s chưa báo văn bản đã đến (mã 01); chưa có thông điệp "
                           "trạng thái nào." % delivery.receiver,
                           [{"delivery": delivery.path, "state": delivery.state}])
        return "01", delivery.arrived_at
    if delivery.state == "accepted" and reported[0] in PROGRESS:
        return reported
    state = delivery.state
    return CODE_OF_STATE[state], getattr(delivery, dl.STAMPS[state])


def _el(parent, name, text=""):
    node = etree.SubElement(parent, q(name))
    node.text = "" if text is None else str(text)
    return node


def description_of(delivery, code):
    if code == "02" and delivery.refusal:
        return "%s: %s" % (dl.REFUSAL_REASONS[delivery.refusal[0]], delivery.refusal[1])
    if code == "13":
        return delivery.record.recall.reason
    return CODES[code][0]


def build_status(delivery, organ_name, at=None):
    """The status message for ``delivery``'s current state (bytes)."""
    record = delivery.record
    code, since = code_of(delivery)
    reporter = delivery.sender if CODES[code][2] == "sender" else delivery.receiver
    meta = record.metadata
    envelope = etree.Element(q("edXMLEnvelope"), nsmap=NSMAP)
    status = _el(_el(envelope, "edXMLHeader"), "Status")
    response = _el(status, "ResponseFor")
    _el(response, "OrganId", record.agency_code)
    _el(response, "Code", "%s/%s" % (record.number, meta["notation"]))
    _el(response, "PromulgationDate", edxml_date(meta["issued_on"]))
    _el(response, "DocumentId", document_id(record.agency_code, meta["issued_on"],
                                            record.number, meta["notation"]))
    sender = _el(status, "From")
    _el(sender, "OrganId", reporter)
    _el(sender, "OrganName", organ_name(reporter))
    _el(status, "StatusCode", code)
    _el(status, "Description", description_of(delivery, code))
    _el(status, "Timestamp", edxml_timestamp(at or since))
    staff = _el(status, "StaffInfo")
    _el(staff, "Staff", delivery.handler or "")
    _el(envelope, "edXMLBody")
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def read_status(message):
    status = message.status
    code = status.value("StatusCode", "")
    if code not in CODES:
        raise BadRequest("edxml_status_code", "Mã trạng thái edXML %r không được hỗ trợ." % code,
                         [{"allowed": sorted(CODES)}])
    found = {"code": code, "from": status.value("From/OrganId"),
             "description": status.value("Description") or "",
             "staff": status.value("StaffInfo/Staff"),
             "document_id": status.value("ResponseFor/DocumentId")}
    for key, element in (("document_id", "ResponseFor/DocumentId"), ("from", "From/OrganId")):
        if not found[key]:
            # without them nobody can tell which document, or who reports
            raise BadRequest("edxml_incomplete", "Thông điệp trạng thái thiếu phần tử %s."
                             % element, [{"element": element}])
    return found


def apply_status(status, delivery, agencies, actor, at, *, registry, request=None):
    """Perform what ``status`` reports on ``delivery``; return ``(action,
    changed)`` — ``changed`` is False for a replay that changed nothing
    (audited as ``no_op``).  The operation performed fires its event as
    ``status_edxml``."""
    label, action, side = CODES[status["code"]]
    expected = delivery.sender if side == "sender" else delivery.receiver
    if not dl.is_clerk_of(actor, expected):
        raise ArchiveError("forbidden", "Chỉ văn thư của cơ quan %s mới được gửi trạng thái này."
                           % expected, status=403)
    if status["from"] != expected:
        raise BadRequest("edxml_wrong_sender", "Trạng thái %s phải do cơ quan %s gửi, không phải %s."
                         % (status["code"], expected, status["from"]))
    detail = {"code": status["code"], "receiver": delivery.receiver}
    step = Step(agencies, actor, at, registry, request,
                Because("status_edxml", dict(detail, performed=action)))
    changed = ACTIONS[action](status, delivery, step) is not False
    if not changed:
        fire(registry, RecordActionNoted(delivery.record, request, action="status_edxml",
                                         actor=actor, outcome="no_op",
                                         detail=dict(detail, performed=None)))
    return action, changed


class Step:
    """What every status action needs besides the status and the delivery."""

    def __init__(self, agencies, actor, at, registry, request, because):
        self.agencies, self.actor, self.at = agencies, actor, at
        self.registry, self.request, self.because = registry, request, because

    @property
    def events(self):
        return {"registry": self.registry, "request": self.request, "because": self.because}


def _report(status, delivery, step):
    dl.report(delivery, CODES[status["code"]][1], status["code"], step.actor, step.at)
    fire(step.registry, RecordModified(delivery.record, step.request, actor=step.actor,
                                       because=step.because, what="delivery",
                                       receiver=delivery.receiver))


def _accept(status, delivery, step):
    actions.accept(step.agencies, delivery, step.actor, step.at, status["staff"], **step.events)


def _refuse(status, delivery, step):
    actions.refuse(delivery, step.actor, step.at, "other", status["description"],
                   **step.events)


ASKED = ("recall_requested", "recalled")


def _request_recall(status, delivery, step):
    record = delivery.record
    if record.recall is not None and delivery.state in ASKED:
        return False            # the recall already reached this delivery
    dl.check(delivery, "request_recall", step.actor)
    rc.recall(record, step.actor, status["description"], step.at, **step.events)


def _acknowledge(status, delivery, step):
    rc.acknowledge(delivery, step.agencies[delivery.receiver], step.actor, step.at,
                   **step.events)


def _refuse_recall(status, delivery, step):
    raise Conflict("recall_refusal_not_allowed",
                   "Bên nhận không được từ chối thu hồi: văn thư Bên nhận phải hủy văn bản bị "
                   "thu hồi (Điều 7, khoản 3).")


ACTIONS = {"report_arrival": _report, "report_progress": _report, "accept": _accept,
           "refuse": _refuse, "request_recall": _request_recall,
           "acknowledge_recall": _acknowledge, "refuse_recall": _refuse_recall}
