"""Finding records: the catalog (ZODB), the Vietnamese full-text index
(Whoosh, on disk), ``GET /search``, listings — and the outbox that keeps the
two consistent (issue 5).

    analysis.py     Vietnamese normalisation, folding, tokens, query parsing
    text.py         PDF text (pdfminer.six) or OCR (Tesseract ``vie``)
    catalog.py      the only repoze.catalog importer; docid ↔ path
    fulltext.py     the only Whoosh importer; schema, searchers, postings
    scoring.py      matching, BM25 ranking and facet counts over arrays (numpy)
    documents.py    what the full-text index holds about a record
    outbox.py       the durable queue of index work, written in the request's
                    transaction
    worker.py       applies the outbox after commit (thread + start-up repair)
    subscribers.py  RecordAdded/RecordModified → catalog + outbox
    search.py       the search function (Whoosh hits checked against the
                    catalog's ``allowed`` index)
    listing.py      ``list_records(request, agency, year, start, size)``
    rebuild.py      walking the tree; differences for check-index
    views.py        ``GET /search``

Settings: ``archive_repo.index_dir`` — the Whoosh folder (required);
``archive_repo.index_worker`` — ``true`` (default) runs the worker thread
that applies the outbox; ``false`` for console jobs (set by
``archive-repo``) and for app servers that share an index folder written
by another process.
"""
import logging

import transaction
from pyramid.settings import asbool

from ..events import RecordAdded, RecordModified
from .catalog import RecordCatalog, get_catalog, outdated
from .fulltext import FullText
from .outbox import get_outbox
from .text import get_text_store
from .worker import IndexWorker

log = logging.getLogger(__name__)


def includeme(config):
    settings = config.registry.settings
    directory = settings.get("archive_repo.index_dir")
    if not directory:
        raise ValueError("archive_repo.index_dir is required (the full-text index folder)")
    config.registry.fulltext = FullText(directory)
    from .subscribers import on_record_changed
    config.add_subscriber(on_record_changed, RecordAdded)
    config.add_subscriber(on_record_changed, RecordModified)
    from ..resources import ArchiveRoot
    from .views import search_view
    config.add_view(search_view, context=ArchiveRoot, name="search",
                    request_method="GET", permission="search")
    hooks = getattr(config.registry, "startup_hooks", None)
    if hooks is None:
        hooks = config.registry.startup_hooks = []
    hooks.append(startup_hook)


# Start-up applies this much queued work before the app serves (what a crash
# leaves behind); more than that (a lost index folder, a bulk import run while
# the server was down) is left to the worker thread, so the server starts now.
STARTUP_DRAIN_MAX = 500


def startup_hook(registry):
    """Create the catalog and queues on first start and catch up on records
    the catalog has never seen.  Serving (``archive_repo.index_worker``, on
    unless a console job or a read-only app server), also apply what a crash
    left in the outbox before the first request — a restarted server answers
    searches with every committed record — and start the worker thread."""
    from ..resources import get_root
    db = registry._zodb_databases[""]
    prepare(db, registry.fulltext)
    worker = registry.index_worker = IndexWorker(db, registry.fulltext, get_root)
    worker.stop_before_close()
    if not asbool(registry.settings.get("archive_repo.index_worker", True)):
        return
    if worker.pending_paths() <= STARTUP_DRAIN_MAX:
        worker.drain()
    else:
        log.warning("index outbox holds more than %d records: indexing them in the "
                    "background; search is incomplete until it is done", STARTUP_DRAIN_MAX)
    worker.start()


def apply_pending(registry, progress=None):
    """Apply the outbox in this process (console jobs, which run no worker
    thread); ``progress(n)`` after each batch.  Returns the paths applied."""
    return registry.index_worker.drain(progress=progress)


def prepare(db, fulltext):
    from ..resources import get_root
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        with tm:
            root = get_root(conn)
            if outdated(root):              # none yet, or of an older layout
                from .rebuild import catalog_all
                root.catalog = RecordCatalog()
                catalog_all(root, root.catalog)
            catalog, outbox = get_catalog(root), get_outbox(root)
            get_text_store(root)
            if fulltext.doc_count() == 0 and len(catalog):
                batch = outbox.new_batch()      # the full-text folder was lost
                for path in catalog.paths():
                    batch.add(path)
    finally:
        conn.close()
