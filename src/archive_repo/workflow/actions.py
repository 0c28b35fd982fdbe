"""What a receiving clerk does with a delivery: accept it into the incoming
register, or refuse it with a reason (Art. 5.5, 7.1–7.2).  Plain functions
over the tree: the HTTP views and the edXML status import both call them.
"""
from ..errors import BadRequest
from ..events import RecordModified, fire
from . import deliveries as dl
from .incoming import enter

MAX_HANDLER = 100
MAX_REFUSAL_TEXT = 500


def clean_handler(raw):
    if raw is None or not str(raw).strip():
        return None
    handler = str(raw).strip()
    if len(handler) > MAX_HANDLER:
        raise BadRequest("invalid_handler", "Tên người/đơn vị xử lý dài quá %d ký tự."
                         % MAX_HANDLER, [{"field": "handler"}])
    return handler


def clean_refusal(code, text):
    problems = []
    if code not in dl.REFUSAL_REASONS:
        problems.append({"field": "reason_code", "allowed": sorted(dl.REFUSAL_REASONS)})
    text = (text or "").strip()
    if not text or len(text) > MAX_REFUSAL_TEXT:
        problems.append({"field": "reason", "message": "Ghi rõ lý do (1–%d ký tự)."
                         % MAX_REFUSAL_TEXT})
    if problems:
        raise BadRequest("invalid_refusal", "Từ chối phải có mã lý do hợp lệ và lời giải "
                         "thích (Điều 5, khoản 5; Điều 7, khoản 2).", problems)
    return code, text


def accept(agencies, delivery, actor, at, handler=None, *, registry, request=None,
           because=None):
    """Accept ``delivery``: the next incoming number of the receiver's
    register for the year of ``at``.  Returns the register entry."""
    dl.check(delivery, "accept", actor)
    handler = clean_handler(handler)
    dl.apply(delivery, "accept", actor, at)
    entry = enter(agencies[delivery.receiver], delivery, at, handler)
    fire(registry, RecordModified(
        delivery.record, request, action="accept", actor=actor, because=because,
        detail={"receiver": delivery.receiver, "incoming": entry.path}, what="delivery",
        receiver=delivery.receiver))
    return entry


def refuse(delivery, actor, at, code, text, *, registry, request=None, because=None):
    dl.check(delivery, "refuse", actor)
    delivery.refusal = clean_refusal(code, text)
    dl.apply(delivery, "refuse", actor, at)
    fire(registry, RecordModified(
        delivery.record, request, action="refuse", actor=actor, because=because,
        detail={"receiver": delivery.receiver, "reason_code": delivery.refusal[0]},
        what="delivery", receiver=delivery.receiver))
    return delivery
