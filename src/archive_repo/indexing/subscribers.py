"""Keep the catalog and the outbox in step with the records, inside the
transaction that changed them.

The catalog is re-indexed on every change (delivery states live there).
The full-text document is queued only when what it holds changed: the
outbox keeps the digest of each record as last queued, and a delivery
accepted or a revalidation report leaves it alone.  Measured with
bench/workflow.py: the worker rewrote (and re-analysed) a document on
every accept, and took a third of the single-threaded accept rate.
"""
from pyramid.traversal import find_root

from .catalog import get_catalog
from .documents import fulltext_digest
from .outbox import get_outbox, queue


def on_record_changed(event):
    record = event.record
    root = find_root(record)
    if record.destroyed:
        # a tombstone is not searchable: out of the catalog, and queued so
        # that the worker (which finds it gone) drops its full text
        get_catalog(root).unindex(record.path)
    else:
        get_catalog(root).index(record)
        if not get_outbox(root).changed(record.path, fulltext_digest(record)):
            return
    worker = getattr(_registry(event), "index_worker", None)
    queue(root, record.path, _transaction(root, event),
          worker.kick if worker is not None else None)


def _registry(event):
    if event.request is not None:
        return event.request.registry
    from pyramid.threadlocal import get_current_registry
    return get_current_registry()


def _transaction(root, event):
    """The transaction the change belongs to: the request's, or (console
    jobs) the one of the connection holding the tree."""
    if event.request is not None and getattr(event.request, "tm", None) is not None:
        return event.request.tm.get()
    return root._p_jar.transaction_manager.get()
