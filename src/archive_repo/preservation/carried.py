"""Re-creating, on import, the deliveries and the recall a package carries.

The sending archive's history is replayed through the workflow's own
functions (send, accept, refuse, recall, acknowledge, status reports) in the
order it happened, so the guards, the incoming registers, the catalog, the
change feed and the audit trail follow as they did at the source.  Each step
runs ``because`` the import, so the trail names it as part of the package's
transfer; the acting clerk is the one recorded at the source.
"""
from dataclasses import dataclass
from datetime import datetime

from ..errors import ArchiveError
from ..events import Because
from ..resources import Agency
from ..workflow import actions, deliveries as dl, recall as rc


@dataclass(frozen=True)
class Carried:
    """The clerk who acted at the source, as the workflow guards read him."""
    token_id: str
    agency: str
    role: str = "clerk"


def at(text):
    return datetime.fromisoformat(text)


def replay_accept(ctx, delivery, step, item):
    actions.accept(ctx["agencies"], delivery, ctx["actor"](step, delivery.receiver),
                   at(step["at"]), item.get("handler"), registry=ctx["registry"],
                   because=ctx["because"])


def replay_refuse(ctx, delivery, step, item):
    refusal = item["refusal"]
    actions.refuse(delivery, ctx["actor"](step, delivery.receiver), at(step["at"]),
                   refusal["code"], refusal["text"], registry=ctx["registry"],
                   because=ctx["because"])


def replay_recall(ctx, delivery, step, item):
    record = delivery.record
    if record.recall is None:
        notice = ctx["recall"]
        rc.recall(record, ctx["actor"](step, record.agency_code), notice["reason"],
                  at(notice["recalled_at"]), registry=ctx["registry"],
                  because=ctx["because"])


def replay_acknowledge(ctx, delivery, step, item):
    rc.acknowledge(delivery, ctx["agencies"][delivery.receiver],
                   ctx["actor"](step, delivery.receiver), at(step["at"]),
                   registry=ctx["registry"], because=ctx["because"])


def replay_status(ctx, delivery, step, item):
    code = step["action"].split("_", 1)[1]
    action = "report_arrival" if code == "01" else "report_progress"
    dl.report(delivery, action, code, ctx["actor"](step, delivery.receiver), at(step["at"]))


# history action -> how it is done again
REPLAY = {"accept": replay_accept, "refuse": replay_refuse,
          "request_recall": replay_recall, "acknowledge_recall": replay_acknowledge}


def send_carried(root, record, item):
    """Send ``record`` to the receivers it was delivered to, before the
    import announces the record (so that the catalog, feed and full text
    see its deliveries with it, as they see a deposit's)."""
    carried = item.get("deliveries") or ()
    if not carried:
        return
    for d in carried:
        if d["receiver"] not in root.agencies:
            root.agencies.add(d["receiver"], Agency(d["receiver"], ""))
    dl.send(record, at(carried[0]["sent_at"]))
    receivers = {d["receiver"] for d in carried}
    for delivery in list(record.deliveries):
        if delivery.receiver not in receivers:
            raise ArchiveError("package_mismatch", "Văn bản %s sẽ được gửi tới %s, nơi bên "
                               "gửi chưa từng gửi: không nhập." % (record.path,
                                                                   delivery.receiver),
                               status=409)


def replay_carried(registry, root, record, item, objid):
    """Replay every delivery's history after the record is announced,
    oldest step first, through the workflow's own operations."""
    carried = item.get("deliveries") or ()
    ctx = {"registry": registry, "agencies": root.agencies, "recall": item.get("recall"),
           "because": Because("import_package", {"package": objid}),
           "actor": lambda step, agency: Carried(step.get("by") or "system", agency)}
    if carried:
        replay(ctx, record, carried)
    if ctx["recall"] and record.recall is None:
        # recalled when no delivery was standing: no step above asked for it
        replay_recall(ctx, dl.Deliveries(record), {"by": ctx["recall"]["recalled_by"]}, None)


def replay(ctx, record, carried):
    by_receiver = {d["receiver"]: d for d in carried}
    steps = sorted(((s["at"], i, d["receiver"], s) for d in carried
                    for i, s in enumerate(d["events"]) if s["action"] != "send"),
                   key=lambda t: (t[0], t[1]))
    for _, _, receiver, step in steps:
        delivery = dl.find(record, receiver)
        if step["action"].startswith("status_"):
            replay_status(ctx, delivery, step, by_receiver[receiver])
        else:
            REPLAY[step["action"]](ctx, delivery, step, by_receiver[receiver])
