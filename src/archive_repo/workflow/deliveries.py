"""Deliveries: one per receiver of a deposited record (Art. 7, 9.4).

A :class:`Delivery` is the record's journey to one receiving agency.  Its
state changes only through :func:`apply`, which reads the two tables below:
``TRANSITIONS`` says who may do what from which state, ``REFUSALS`` says in
Vietnamese why an action is impossible in a state.  Nothing else decides.

The same Delivery object is referenced from three places, so that each
reader finds it without a scan of the whole archive: the record
(``record.deliveries``), the receiver's inbox and the sender's outbox (both
:class:`DeliveryIndex` under ``agency.named``).  A delivery is its own
persistent object: receivers accepting deliveries of the same record at the
same time write different objects and do not conflict.
"""
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from pyramid.traversal import find_root

from .. import timeutil
from ..errors import ArchiveError, Conflict

STATE_LABELS = {
    "sent": "Đã gửi, chờ tiếp nhận",
    "accepted": "Đã tiếp nhận, vào sổ văn bản đến",
    "refused": "Bị từ chối",
    "recall_requested": "Bên gửi yêu cầu thu hồi",
    "recalled": "Đã thu hồi, bên nhận đã hủy",
}

# action: (whose clerk may do it, {from state: to state}, verb for messages)
TRANSITIONS = {
    "accept": ("receiver", {"sent": "accepted"}, "tiếp nhận"),
    "refuse": ("receiver", {"sent": "refused"}, "từ chối"),
    "request_recall": ("sender", {"sent": "recall_requested",
                                  "accepted": "recall_requested"}, "thu hồi"),
    "acknowledge_recall": ("receiver", {"recall_requested": "recalled"},
                           "xác nhận thu hồi"),
    # information only (edXML status 01, 04–06): allowed in one state, which
    # they leave as it is (see :func:`report`)
    "report_arrival": ("receiver", {"sent": "sent"}, "báo đã nhận được"),
    "report_progress": ("receiver", {"accepted": "accepted"}, "báo tình hình xử lý"),
}

# the timestamp each state sets
STAMPS = {"accepted": "accepted_at", "refused": "refused_at",
          "recall_requested": "recall_requested_at", "recalled": "recalled_at"}

_RECALLED = "Văn bản đã bị bên gửi thu hồi; không thể %s."
REFUSALS = {
    ("accept", "accepted"): "Văn bản đã được tiếp nhận trước đó (số đến %(incoming)s); "
                            "mỗi văn bản chỉ có một số đến.",
    ("accept", "refused"): "Văn bản đã bị từ chối; không thể tiếp nhận sau khi từ chối.",
    ("accept", "recall_requested"): _RECALLED % "tiếp nhận",
    ("accept", "recalled"): _RECALLED % "tiếp nhận",
    ("refuse", "accepted"): "Văn bản đã được tiếp nhận vào sổ văn bản đến (số đến "
                            "%(incoming)s); không thể từ chối sau khi tiếp nhận.",
    ("refuse", "refused"): "Văn bản đã bị từ chối trước đó.",
    ("refuse", "recall_requested"): _RECALLED % "từ chối",
    ("refuse", "recalled"): _RECALLED % "từ chối",
    ("acknowledge_recall", "recalled"): "Việc thu hồi đã được xác nhận trước đó.",
    ("request_recall", "refused"): "Bên nhận đã từ chối văn bản này; bên nhận không giữ "
                                   "gì để thu hồi.",
    ("report_arrival", "accepted"): "Văn bản đã được tiếp nhận (số đến %(incoming)s); "
                                    "không báo “đã đến” sau khi tiếp nhận.",
    ("report_progress", "sent"): "Văn bản chưa được tiếp nhận vào sổ văn bản đến; chưa "
                                 "thể báo tình hình xử lý.",
}
DEFAULT_REFUSAL = ("Không thể %(verb)s văn bản khi văn bản đang ở trạng thái "
                   "“%(label)s”.")

# Reasons a receiver may give for refusing (Art. 5.5, 7.1a–b, 7.2).
REFUSAL_REASONS = {
    "not_legally_valid": "Không bảo đảm giá trị pháp lý (Điều 5, khoản 5)",
    "incomplete": "Không đầy đủ, không toàn vẹn hoặc không xác thực (Điều 7, khoản 1, điểm a)",
    "not_competent": "Không thuộc thẩm quyền, trách nhiệm xử lý của Bên nhận "
                     "(Điều 7, khoản 1, điểm b)",
    "wrong_receiver": "Gửi nhầm nơi nhận",
    "other": "Lý do khác",
}

# edXML Priority order: the most urgent first in an inbox
URGENCY_ORDER = {"Hỏa tốc": 0, "Thượng khẩn": 1, "Khẩn": 2, None: 3}


class Delivery(Persistent):
    """A record sent to one receiving agency.  ``__parent__`` is the record
    (its ACL lets the receiver's clerks see it); ``__name__`` the receiver's
    code, as in ``/{agency}/{year}/{number}/deliveries/{receiver}``."""

    accepted_at = refused_at = recall_requested_at = recalled_at = None
    arrived_at = None       # when the receiver reported it arrived (edXML 01)
    reported = None         # the receiver's latest information-only status: (code, at)
    refusal = None          # (reason code, free text)
    incoming = None         # (year, number) in the receiver's register
    handler = None          # who the receiver passed it to (Art. 7.1d)

    def __init__(self, record, receiver, sent_at):
        self.__parent__ = record
        self.__name__ = receiver
        self.receiver = receiver
        self.state = "sent"
        self.sent_at = sent_at
        # ((iso time, action, actor, state after), …): a tuple, replaced on
        # each change, so the history costs no extra persistent object
        self.events = ((timeutil.isoformat(sent_at), "send", None, "sent"),)

    @property
    def record(self):
        return self.__parent__

    @property
    def sender(self):
        return self.record.agency_code

    @property
    def path(self):
        return "%s/deliveries/%s" % (self.record.path, self.receiver)

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def urgency(self):
        return self.record.metadata.get("urgency")

    def incoming_path(self):
        if self.incoming is None:
            return None
        return "/%s/incoming/%d/%d" % (self.receiver, self.incoming[0], self.incoming[1])

    def note(self, action, actor_id, at):
        self.events = self.events + ((timeutil.isoformat(at), action, actor_id, self.state),)

    def as_json(self):
        return {
            "receiver": self.receiver, "sender": self.sender, "path": self.path,
            "record": self.record.path, "state": self.state,
            "state_label": self.state_label, "urgency": self.urgency,
            "sent_at": timeutil.isoformat(self.sent_at),
            "accepted_at": timeutil.isoformat(self.accepted_at),
            "refused_at": timeutil.isoformat(self.refused_at),
            "recall_requested_at": timeutil.isoformat(self.recall_requested_at),
            "recalled_at": timeutil.isoformat(self.recalled_at),
            "arrived_at": timeutil.isoformat(self.arrived_at),
            "reported": self.reported and {"code": self.reported[0],
                                           "at": timeutil.isoformat(self.reported[1])},
            "refusal": refusal_json(self.refusal),
            "incoming": self.incoming and {"year": self.incoming[0],
                                           "number": self.incoming[1],
                                           "path": self.incoming_path()},
            "handler": self.handler,
            "events": [{"at": at, "action": action, "by": by, "state": state}
                       for at, action, by, state in self.events],
        }


def refusal_json(refusal):
    if refusal is None:
        return None
    code, text = refusal
    return {"code": code, "label": REFUSAL_REASONS[code], "text": text}


# -- the guard and the move ----------------------------------------------

def actor_id(actor):
    return getattr(actor, "token_id", None) or "system"


def is_clerk_of(actor, code):
    """``actor`` is None for trusted command-line jobs (bulk imports)."""
    if actor is None:
        return True
    return getattr(actor, "role", None) == "clerk" and actor.agency == code


def check(delivery, action, actor):
    """The state ``action`` leads to; 403 for the wrong agency's clerk,
    409 for an action the current state does not allow."""
    side, moves, verb = TRANSITIONS[action]
    allowed = delivery.receiver if side == "receiver" else delivery.sender
    if not is_clerk_of(actor, allowed):
        raise ArchiveError("forbidden", "Chỉ văn thư của cơ quan %s mới được %s văn bản này."
                           % (allowed, verb), [{"agency": allowed, "action": action}],
                           status=403)
    if delivery.state not in moves:
        raise Conflict("illegal_transition", _refusal_message(delivery, action, verb),
                       [{"action": action, "state": delivery.state,
                         "delivery": delivery.path}])
    return moves[delivery.state]


def _refusal_message(delivery, action, verb):
    template = REFUSALS.get((action, delivery.state), DEFAULT_REFUSAL)
    incoming = "%d/%d" % (delivery.incoming[1], delivery.incoming[0]) \
        if delivery.incoming else "?"
    return template % {"verb": verb, "label": delivery.state_label, "incoming": incoming}


def apply(delivery, action, actor, at):
    """Check and perform ``action``; return the new state."""
    state = check(delivery, action, actor)
    delivery.state = state
    setattr(delivery, STAMPS[state], at)
    delivery.note(action, actor_id(actor), at)
    record = delivery.record
    record.delivery_states = tuple((code, state if code == delivery.receiver else was)
                                   for code, was in record.receiver_states())
    return state


def report(delivery, action, code, actor, at):
    """An information-only status from the receiver (``report_arrival``:
    edXML 01; ``report_progress``: 04, 05, 06).  Guarded like a transition
    (403 for another agency, 409 outside its state); the state stays, the
    report is kept in the history and as ``reported``.  The first 01 sets
    ``arrived_at``; a repeated one changes nothing else."""
    check(delivery, action, actor)
    if action == "report_arrival" and delivery.arrived_at is None:
        delivery.arrived_at = at
    delivery.reported = (code, at)
    delivery.note("status_%s" % code, actor_id(actor), at)


# -- inboxes and outboxes ------------------------------------------------

class DeliveryIndex(Persistent):
    """Deliveries in a BTree keyed so that iteration is the listing order.
    Concurrent additions insert different keys, which BTrees merge."""

    def __init__(self):
        self.data = OOBTree()
        self.count = Length()

    def add(self, key, delivery):
        if self.data.insert(key, delivery):
            self.count.change(1)

    def __len__(self):
        return self.count()

    def values(self):
        return self.data.values()


INBOX, OUTBOX = "_inbox", "_outbox"


def index_of(agency, name, create=False):
    index = agency.named.get(name)
    if index is None and create:
        index = agency.add_named(name, DeliveryIndex())
    return index


def _micros(moment):
    return int(moment.timestamp() * 1_000_000)


def inbox_key(delivery):
    """Most urgent first, then newest first."""
    return (URGENCY_ORDER.get(delivery.urgency, 3), -_micros(delivery.sent_at),
            delivery.record.path)


def outbox_key(delivery):
    return (-_micros(delivery.sent_at), delivery.record.path, delivery.receiver)


def send(record, at):
    """Create the record's deliveries (one per receiver, state ``sent``)
    and file them in the inboxes and the sender's outbox."""
    agencies = find_root(record).agencies
    sender = agencies[record.agency_code]
    made = []
    for code in record.metadata.get("receivers") or ():
        receiver = agencies.get(code)
        if receiver is None or code == record.agency_code:
            continue
        delivery = Delivery(record, code, at)
        record.deliveries.append(delivery)
        index_of(receiver, INBOX, create=True).add(inbox_key(delivery), delivery)
        index_of(sender, OUTBOX, create=True).add(outbox_key(delivery), delivery)
        made.append(delivery)
    if made:
        record.delivery_states = tuple((d.receiver, d.state) for d in record.deliveries)
    return made


def find(record, receiver):
    for position, (code, _) in enumerate(record.receiver_states()):
        if code == receiver:
            return record.deliveries[position]
    raise KeyError(receiver)


def listing(index, states=None, limit=None):
    """Deliveries of ``index`` in its order, optionally only in ``states``."""
    found = []
    for delivery in (index.values() if index is not None else ()):
        if states and delivery.state not in states:
            continue
        found.append(delivery)
        if limit is not None and len(found) >= limit:
            break
    return found


class Deliveries:
    """``/{agency}/{year}/{number}/deliveries``: the record's deliveries by
    receiver code (not persistent; each Delivery is)."""

    __name__ = "deliveries"

    def __init__(self, record):
        self.__parent__ = self.record = record

    def __getitem__(self, name):
        return find(self.record, name)
