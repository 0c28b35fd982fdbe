"""Sending and receiving (Art. 5.5, 7, 9.4): deliveries, the incoming
register, refusals, recalls, new versions and tracking.

    deliveries.py  the Delivery, its transition table, inboxes/outboxes
    actions.py     accept (→ incoming register) and refuse
    incoming.py    the incoming register (sổ văn bản đến)
    recall.py      recall notices and acknowledgements
    versions.py    corrected/replacement versions, versions/N traversal
    tracking.py    deliveries waiting longer than N working days
    views.py       HTTP

A receiver that acknowledged a recall destroyed its copy: the record's ACL
withdraws its ``read_document`` right (the views serving a document's bytes
ask for it), and :func:`recall.copy_destroyed` tells it why in the 403.
"""
from ..events import RecordAdded
from ..resources import Record
from ..views.errors import add_refusal_reason
from .deliveries import Deliveries, send
from .recall import copy_destroyed
from .versions import Versions


def on_record_added(event):
    """Every deposit is sent to its receivers, in the deposit's
    transaction.  A bulk import of historical documents passes
    ``deliver=False``: those were delivered long ago, elsewhere."""
    if event.info.get("deliver", True):
        send(event.record, event.record.deposited_at)


def includeme(config):
    Record.subresources["versions"] = Versions
    Record.subresources["deliveries"] = Deliveries
    config.add_subscriber(on_record_added, RecordAdded)
    add_refusal_reason(config, copy_destroyed)
    config.include("archive_repo.edxml")
