"""Sending and receiving (Art. 5.5, 7, 9.4): deliveries, the incoming
register, refusals, recalls, new versions and tracking.

    deliveries.py  the Delivery, its transition table, inboxes/outboxes
    actions.py     accept (→ incoming register) and refuse
    incoming.py    the incoming register (sổ văn bản đến)
    recall.py      recall notices and acknowledgements
    versions.py    corrected/replacement versions, versions/N traversal
    tracking.py    deliveries waiting longer than N working days
    views.py       HTTP

A receiver that acknowledged a recall destroyed its copy: the views that
serve a document's bytes (``document.pdf``, ``versions/N/document.pdf``,
``edxml``) answer its clerks 403 (:func:`guard_destroyed_copies`), while the
record's page and recall notice stay readable.
"""
from pyramid.events import ContextFound

from .. import audit
from ..errors import ArchiveError
from ..events import RecordAdded
from ..resources import Record
from .deliveries import Deliveries, send
from .recall import check_copy_readable
from .versions import Versions

#: view names that serve a document's bytes, on a record or a version
DOCUMENT_VIEWS = ("document.pdf", "edxml")


def on_record_added(event):
    """Every deposit is sent to its receivers, in the deposit's
    transaction.  A bulk import of historical documents passes
    ``deliver=False``: those were delivered long ago, elsewhere."""
    if event.info.get("deliver", True):
        send(event.record, event.record.deposited_at)


def guard_destroyed_copies(event):
    """Before a view serving a document's bytes runs (ContextFound: after
    traversal, before the view), refuse them to a receiver that destroyed
    its copy.  One subscriber rather than a check in each view, so that no
    view serving the bytes (document.pdf lives in views/) can forget it.
    The refused read is audited (nothing else is written)."""
    request = event.request
    if request.view_name not in DOCUMENT_VIEWS:
        return
    context = request.context
    record = context if isinstance(context, Record) else getattr(context, "record", None)
    if not isinstance(record, Record):
        return
    try:
        check_copy_readable(record, request.identity)
    except ArchiveError as exc:
        audit.record_after_abort(request, "read_document", record.path, "refused",
                                 code=exc.code)
        raise


def includeme(config):
    Record.subresources["versions"] = Versions
    Record.subresources["deliveries"] = Deliveries
    config.add_subscriber(on_record_added, RecordAdded)
    config.add_subscriber(guard_destroyed_copies, ContextFound)
    config.include("archive_repo.edxml")
