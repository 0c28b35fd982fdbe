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
    follow.py       each node's index follows the change feed with its own
                    cursor (what other nodes' workers took from the outbox)
    worker.py       applies the outbox, then follows the feed, after commit
                    (thread + start-up repair)
    subscribers.py  RecordAdded/RecordModified → catalog + outbox
    search.py       the search function (Whoosh hits checked against the
                    catalog's ``allowed`` index)
    listing.py      ``list_records(request, agency, year, start, size)``
    positions.py    each agency-year's catalogued numbers as bit masks by
                    block: a year page read by position, not by a sort
    rebuild.py      walking the tree; differences for check-index
    views.py        ``GET /search``

Settings: ``archive_repo.index_dir`` — the Whoosh folder (required);
``archive_repo.index_worker`` — ``true`` (default) runs the worker thread
that applies the outbox; ``false`` for console jobs (set by
``archive-repo``) and for app servers that share an index folder written
by another process.
"""
import logging

from pyramid.events import ApplicationCreated
from zope.interface import Interface

from .. import db
from ..events import RecordAdded, RecordModified
from ..settings import get_settings
from .catalog import RecordCatalog, get_catalog, outdated
from .follow import change_log
from .fulltext import FullText
from .outbox import get_outbox
from .sandbox import bounds_of
from .text import get_text_store
from .worker import IndexWorker, queue_all

log = logging.getLogger(__name__)


class IFullText(Interface):
    """Marker for the app's FullText (the Whoosh index folder)."""


class IIndexWorker(Interface):
    """Marker for the app's IndexWorker."""


def fulltext_of(registry):
    return registry.getUtility(IFullText)


def worker_of(registry):
    """The IndexWorker (None before the app has started)."""
    return registry.queryUtility(IIndexWorker)


def includeme(config):
    config.registry.registerUtility(FullText(get_settings(config.registry).index_dir),
                                    IFullText)
    from .subscribers import on_record_changed
    config.add_subscriber(on_record_changed, RecordAdded)
    config.add_subscriber(on_record_changed, RecordModified)
    from ..resources import ArchiveRoot
    from .views import export_view, save_search_view, search_view
    config.add_view(search_view, context=ArchiveRoot, name="search",
                    request_method="GET", permission="search")
    for name in ("search.csv", "search.xlsx"):
        config.add_view(export_view, context=ArchiveRoot, name=name,
                        request_method="GET", permission="search")
    config.add_view(save_search_view, context=ArchiveRoot, name="search-saved",
                    request_method="POST", permission="search")
    config.add_subscriber(on_application_created, ApplicationCreated)
    from .health import check_health
    config.add_health_check("index", check_health)
    config.add_dashboard_figure("index_lag", "archive_repo.indexing.health.lag_figure", order=40)


# Start-up applies this much queued work before the app serves (what a crash
# leaves behind); more than that (a lost index folder, a bulk import run while
# the server was down) is left to the worker thread, so the server starts now.
STARTUP_DRAIN_MAX = 500


def on_application_created(event):
    startup(event.app.registry)


def startup(registry):
    """Create the catalog and queues on first start and catch up on records
    the catalog has never seen.  Serving (``archive_repo.index_worker``, on
    unless a console job or a read-only app server), also apply what a crash
    left in the outbox before the first request — a restarted server answers
    searches with every committed record — and start the worker thread."""
    from ..resources import get_root
    from .whoosh_selftest import self_test
    self_test()             # whoosh3's internals still read as we read them
    fulltext = fulltext_of(registry)
    prepare(registry, fulltext)
    worker = IndexWorker(db.database(registry), fulltext, get_root,
                         bounds_of(get_settings(registry)))
    registry.registerUtility(worker, IIndexWorker)
    worker.stop_before_close()
    if not get_settings(registry).index_worker:
        return
    if worker.pending_paths() <= STARTUP_DRAIN_MAX and \
            worker.behind() <= STARTUP_DRAIN_MAX:
        worker.drain()
    else:
        log.warning("index outbox holds more than %d records: indexing them in the "
                    "background; search is incomplete until it is done", STARTUP_DRAIN_MAX)
    worker.start()


def apply_pending(registry, progress=None):
    """Apply the outbox in this process (console jobs, which run no worker
    thread); ``progress(n)`` after each batch.  Returns the paths applied."""
    return worker_of(registry).drain(progress=progress)


def prepare(registry, fulltext):
    from ..resources import get_root
    with db.transaction(registry) as conn:
        root = get_root(conn)
        if outdated(root):              # none yet, or of an older layout
            from .rebuild import catalog_all
            root.catalog = RecordCatalog()
            catalog_all(root, root.catalog)
        catalog = get_catalog(root)
        get_outbox(root)
        get_text_store(root)
        if fulltext.doc_count() == 0 and len(catalog) and change_log(root) is None:
            # the full-text folder was lost, and there is no change feed
            # to follow from its start (follow.py)
            queue_all(root)
