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
from .deliveries import Deliveries
from .recall import copy_destroyed
from .versions import Versions


def includeme(config):
    from pyramid.events import BeforeRender
    from .page import record_actions
    config.add_subscriber(record_actions, BeforeRender)
    config.add_nav("Văn bản đến", "/{agency}/inbox", roles=("clerk",), order=10)
    config.add_nav("Văn bản đi", "/{agency}/outbox", roles=("clerk",), order=20)
    config.add_nav("Bị từ chối", "/{agency}/refused", roles=("clerk",), order=22)
    config.add_nav("Quá hạn", "/{agency}/overdue", roles=("clerk",), order=24)
    config.add_nav("Sổ văn bản đến", "/{agency}/incoming", roles=("clerk",), order=26)
    config.add_dashboard_figure("overdue", "archive_repo.workflow.tracking.overdue_figure",
                                order=30)
    config.add_record_part("versions", Versions)
    config.add_record_part("deliveries", Deliveries)
    config.add_refusal_reason(copy_destroyed)
    config.include("archive_repo.edxml")
