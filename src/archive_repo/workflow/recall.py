"""Recall (Art. 7.3, 9.4; Decree 30 App. VI).

The issuing clerk recalls a record with a reason.  Nothing is deleted: the
record keeps its document and metadata, frozen, with a :class:`RecallNotice`
(``record.recall``; ``record.recalled`` is then true, which hides it from
default listings and search).  Every delivery still standing moves to
``recall_requested``; each receiver acknowledges, which cancels its
incoming-register entry and makes the delivery ``recalled``.  A refused
delivery left nothing at the receiver and is not asked.

Once a receiver has acknowledged, it has destroyed its copy (Decree 30
App. VI): its clerks still see the record's metadata and the recall notice
(what their cancelled register entry points to), but no longer the
document's bytes (the record's ACL withdraws ``read_document``;
:func:`copy_destroyed` says why in the 403).  The archive keeps the
original: the issuer, the archivist and receivers that have not yet
acknowledged still read it.
"""
from persistent import Persistent

from .. import timeutil
from ..errors import ArchiveError, BadRequest, Conflict
from ..events import RecordModified, fire
from ..resources import Record
from . import deliveries as dl
from .incoming import entry_of

MAX_REASON = 500


class RecallNotice(Persistent):
    """The recall notice kept with the record."""

    def __init__(self, record, reason, by, at):
        self.record = record
        self.reason = reason
        self.by = by
        self.at = at

    def as_json(self):
        standing = [d for d in self.record.deliveries if d.recall_requested_at]
        return {
            "reason": self.reason, "recalled_by": self.by,
            "recalled_at": timeutil.isoformat(self.at),
            "recalled_on": timeutil.show_date(self.at),
            "acknowledged": [{"receiver": d.receiver,
                              "at": timeutil.isoformat(d.recalled_at)}
                             for d in standing if d.state == "recalled"],
            "pending": [d.receiver for d in standing if d.state != "recalled"],
        }


def clean_reason(text, field="reason"):
    text = (text or "").strip()
    if not text:
        raise BadRequest("reason_required", "Phải ghi rõ lý do.", [{"field": field}])
    if len(text) > MAX_REASON:
        raise BadRequest("reason_too_long", "Lý do dài quá %d ký tự." % MAX_REASON,
                         [{"field": field}])
    return text


def check_issuer(record, actor, verb):
    if not dl.is_clerk_of(actor, record.agency_code):
        raise ArchiveError("forbidden", "Chỉ văn thư của cơ quan ban hành (%s) mới được %s "
                           "văn bản này." % (record.agency_code, verb),
                           [{"agency": record.agency_code}], status=403)


def check_not_recalled(record, verb):
    if record.recall is not None:
        raise Conflict("already_recalled",
                       "Văn bản đã bị thu hồi ngày %s; không thể %s."
                       % (timeutil.show_date(record.recall.at), verb),
                       [{"recalled_at": timeutil.isoformat(record.recall.at)}])


def recall(record, actor, reason, at, *, registry, request=None, because=None):
    """Recall ``record``; return the notice and the deliveries asked."""
    check_issuer(record, actor, "thu hồi")
    check_not_recalled(record, "thu hồi lần nữa")
    reason = clean_reason(reason)
    record.recall = RecallNotice(record, reason, dl.actor_id(actor), at)
    asked = [d for d in record.deliveries
             if d.state in dl.TRANSITIONS["request_recall"][1]]
    for delivery in asked:
        dl.apply(delivery, "request_recall", actor, at)
    fire(registry, RecordModified(
        record, request, action="recall", actor=actor, because=because,
        detail={"reason": reason, "receivers": [d.receiver for d in asked]}, what="recall"))
    return record.recall, asked


def destroyed_copy(record, actor):
    """The delivery of ``record`` to ``actor``'s agency if that agency
    acknowledged the recall (and so destroyed its copy), else None."""
    if getattr(actor, "role", None) != "clerk" or actor.agency == record.agency_code:
        return None
    return next((d for d in record.deliveries
                 if d.receiver == actor.agency and d.state == "recalled"), None)


def copy_destroyed(request):
    """Why a document's bytes were refused (403) to a clerk of a receiver
    that destroyed its copy (the record's ACL), or None: a refusal reason
    for :func:`archive_repo.views.errors.add_refusal_reason`."""
    context = request.context
    record = context if isinstance(context, Record) else getattr(context, "record", None)
    delivery = destroyed_copy(record, request.identity) if isinstance(record, Record) else None
    if delivery is not None:
        return ArchiveError(
            "copy_destroyed",
            "Văn bản đã bị thu hồi; cơ quan %s đã xác nhận hủy bản nhận ngày %s nên không "
            "còn được xem tệp văn bản (chỉ còn xem thông tin văn bản và thông báo thu hồi)."
            % (delivery.receiver, timeutil.show_date(delivery.recalled_at)),
            [{"delivery": delivery.path,
              "recalled_at": timeutil.isoformat(delivery.recalled_at)}], status=403)


def acknowledge(delivery, receiver_agency, actor, at, *, registry, request=None,
                because=None):
    """The receiver has destroyed its copy: cancel its register entry."""
    dl.apply(delivery, "acknowledge_recall", actor, at)
    entry = entry_of(receiver_agency, delivery)
    if entry is not None:
        entry.cancel(at, delivery.record.recall.reason)
    fire(registry, RecordModified(
        delivery.record, request, action="acknowledge_recall", actor=actor, because=because,
        detail={"receiver": delivery.receiver, "incoming": entry.path if entry else None},
        what="delivery", receiver=delivery.receiver))
    return entry
