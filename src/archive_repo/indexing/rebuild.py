"""Rebuilding and checking the indexes from ZODB (console jobs and the
first start-up).  The records tree is the truth; both indexes can always
be rebuilt from it."""
from .catalog import get_catalog
from .outbox import get_outbox


def resolve(root, path):
    """The record at ``path`` or None (no longer there, or destroyed)."""
    try:
        _, agency, year, number = path.split("/")
        record = root.agencies[agency][year][number]
    except (KeyError, ValueError):
        return None
    return None if record.destroyed else record


def iter_records(root):
    for agency in root.agencies.values():
        for year in agency.values():
            # a destroyed record's tombstone is never indexed
            yield from (record for record in year.values() if not record.destroyed)


def count_records(root):
    return sum(len(year) for agency in root.agencies.values() for year in agency.values())


def catalog_all(root, catalog, progress=None):
    for record in iter_records(root):
        catalog.index(record)
        if progress:
            progress(record)


def differences(root, fulltext, following=()):
    """``{"missing_catalog", "extra_catalog", "missing_fulltext",
    "extra_fulltext", "failed", "pending"}`` — lists of paths (``failed``: the
    index worker could not index them; see Outbox.failed).  ``following``:
    paths named by change-feed entries this node has not followed yet
    (follow.lag), pending like the outbox's."""
    tree = {r.path for r in iter_records(root)}
    catalog = set(get_catalog(root).paths())
    indexed = fulltext.paths()
    outbox = get_outbox(root)
    pending = outbox.paths() | set(following)
    failed = set(outbox.failed) & tree
    return {
        "missing_catalog": sorted(tree - catalog),
        "extra_catalog": sorted(catalog - tree),
        "missing_fulltext": sorted(tree - indexed - pending - failed),
        "extra_fulltext": sorted(indexed - tree - pending),
        "failed": sorted(failed),
        "pending": sorted(pending),
    }
