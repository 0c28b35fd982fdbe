"""The evolve steps of this release, oldest first.  Each is short and says
what shape it leaves; once a step exists, no reader guesses at the shape it
replaced.  Adding one: a function here (or in the concern's own
``evolve.py``) and a line in ``register``; never reorder or rename shipped
steps — their names are stored in databases."""
from BTrees.OOBTree import OOBTree


def _records(root):
    from ..indexing.rebuild import iter_records
    return iter_records(root)


def version_reports_as_json(root):
    """Deposit reports stored as a pickled dict (before stop 8) become the
    one JSON text every version keeps now."""
    for record in _records(root):
        for version in record.versions:
            version._p_activate()
            old = version.__dict__.get("report")
            if isinstance(old, dict):
                version.report = old


def outbox_digests(root):
    """Outboxes made before digests existed get their (empty) digest map."""
    from ..indexing.outbox import get_outbox
    outbox = get_outbox(root)
    if outbox.__dict__.get("digests") is None:
        outbox.digests = OOBTree()


def change_feed_identity(root):
    """A change log made before feeds had an identity gets one."""
    from ..dav.changes import get_log, make_feed_id
    log = get_log(root._p_jar)
    if log is not None and log.__dict__.get("feed_id") is None:
        log.feed_id = make_feed_id()


def outbox_failed_set(root):
    """Outboxes get the set of records the worker could not index."""
    from ..indexing.outbox import get_outbox
    outbox = get_outbox(root)
    if "failed" not in outbox.__dict__:
        outbox.failed = OOBTree()


def catalog_layout(root):
    """A catalog of an older layout (or none) is rebuilt from the tree."""
    from ..indexing.catalog import LAYOUT, RecordCatalog
    from ..indexing.rebuild import catalog_all
    catalog = root.__dict__.get("catalog")
    if catalog is None or getattr(catalog, "layout", None) != LAYOUT:
        root.catalog = RecordCatalog()
        catalog_all(root, root.catalog)


def change_feed_stamps(root):
    """Change-log entries and listing summaries written before instants
    became ``timeutil`` stamps (aware datetimes in the tuples) are
    rewritten as stamps, so readers take one shape."""
    from datetime import datetime
    from .. import timeutil
    from ..dav.changes import get_log
    from ..dav.summaries import FIELDS, INSTANTS, get_index
    log = get_log(root._p_jar)
    if log is None:
        return
    # entries of both shapes: 4 fields, or 5 with ``visible``
    # (2026-12-change-feed-per-agency)
    for seq, stored in list(log.entries.items()):
        if any(isinstance(value, datetime) for value in stored[::4]):
            log.entries[seq] = tuple(timeutil.to_stamp(value) if i in (0, 4) else value
                                     for i, value in enumerate(stored))
    instants = [FIELDS.index(name) for name in INSTANTS]
    index = log.__dict__.get("summaries") or get_index(root._p_jar) or {}
    for year in index.values():
        for number, stored in list(year.items()):
            if any(isinstance(stored[i], datetime) for i in instants):
                year[number] = tuple(timeutil.to_stamp(value) if i in instants else value
                                     for i, value in enumerate(stored))


def agency_certificate_ids(root):
    """Agencies made before operators could register their certificates
    (``agency add-cert``) get an empty map of identifiers."""
    from persistent.mapping import PersistentMapping
    for agency in root.agencies.values():
        agency._p_activate()
        if agency.__dict__.get("certificate_ids") is None:
            agency.certificate_ids = PersistentMapping()


def digest_index(root):
    """The SHA-256 of every version kept, to the first record holding it
    (``deposit.duplicates``)."""
    root._p_activate()
    if root.__dict__.get("digests") is None:
        root.digests = OOBTree()
    for record in _records(root):
        for version in record.versions:
            if version.sha256 not in root.digests:
                root.digests[version.sha256] = record.path
def change_feed_per_agency(root):
    """The change feed written per agency and numbered after commit, the
    listing summaries under their own key (dav/changes.py ``per_agency``)."""
    from ..dav.changes import per_agency
    per_agency(root._p_jar)


def catalog_year_order(root):
    """Catalogs made before year pages were read by position get each
    agency-year's order (indexing/positions.py), built from what they hold."""
    catalog = root.__dict__.get("catalog")
    if catalog is not None:
        catalog._p_activate()
        if "years" not in catalog.__dict__:
            catalog.order_years()


def dav_summary_counts(root):
    """Each year's count of listing summaries (dav/summaries.py), for the
    years summarised before they were counted."""
    from ..dav.summaries import count_years, ensure_counts, ensure_index
    count_years(ensure_counts(root._p_jar), ensure_index(root._p_jar))


def register(config):
    add = config.add_evolve_step
    add(version_reports_as_json, "2026-12-version-reports-json")
    add(outbox_digests, "2026-12-outbox-digests")
    add(change_feed_identity, "2026-12-change-feed-identity")
    add(catalog_layout, "2026-12-catalog-layout-3")
    add(outbox_failed_set, "2026-12-outbox-failed-set")
    add(change_feed_stamps, "2026-12-change-feed-stamps")
    add(agency_certificate_ids, "2026-12-agency-certificate-ids")
    add(digest_index, "2026-12-digest-index")
    add(change_feed_per_agency, "2026-12-change-feed-per-agency")
    add(catalog_layout, "2026-12-catalog-layout-4")
    add(catalog_year_order, "2026-12-catalog-year-order")
    add(dav_summary_counts, "2026-12-dav-summary-counts")
