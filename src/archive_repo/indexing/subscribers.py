"""Keep the catalog and the outbox in step with the records, inside the
transaction that changed them."""
from pyramid.traversal import find_root

from .catalog import get_catalog
from .outbox import queue


def on_record_changed(event):
    record = event.record
    root = find_root(record)
    get_catalog(root).index(record)
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
