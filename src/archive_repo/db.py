"""The one way to reach a database outside a request.

A request gets its connection from ``pyramid_zodbconn`` and its transaction
from ``pyramid_tm``.  Everything else — start-up work, console commands, the
index worker, the audit writer, evolve steps — opens its own connection with
its own transaction manager, so that it never joins (or commits) whatever the
calling thread happens to have open::

    with db.transaction(registry) as conn:          # commits on exit
        get_root(conn).something = 1

    with db.reading(registry, "audit") as conn:     # always aborts
        ...

Databases are named as in the ``.ini``: ``""`` for ``zodbconn.uri`` (the
records), ``"audit"`` for ``zodbconn.uri.audit``.
"""
from contextlib import contextmanager

import transaction as _transaction

RECORDS = ""
AUDIT = "audit"


def database(registry, name=RECORDS):
    """The ``ZODB.DB`` pyramid_zodbconn opened for ``name``."""
    # pyramid_zodbconn keeps its databases here and offers no public getter
    # outside a request; this is the only module that reads it.
    return registry._zodb_databases[name]


def close_all(registry):
    """Close every database of the app (a console command's end: run
    in-process, the next one can open the FileStorage again)."""
    for db in list(registry._zodb_databases.values()):
        db.close()


@contextmanager
def opened(db):
    """A connection of ``db`` with a private transaction manager, closed on
    exit; the caller drives the transaction (``conn.transaction_manager``)."""
    tm = _transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        yield conn
    finally:
        tm.abort()
        conn.close()


@contextmanager
def transaction(registry, name=RECORDS):
    """One transaction, committed when the block ends without an error and
    aborted when it raises."""
    with opened(database(registry, name)) as conn:
        with conn.transaction_manager:
            yield conn


@contextmanager
def reading(registry, name=RECORDS):
    """A read-only view: the transaction is aborted whatever the block did."""
    with opened(database(registry, name)) as conn:
        conn.transaction_manager.begin()
        yield conn


def jar_of(resource):
    """The connection holding ``resource``: its own, or its nearest stored
    ancestor's (a record added in this transaction has none until commit)."""
    while resource is not None:
        jar = getattr(resource, "_p_jar", None)
        if jar is not None:
            return jar
        resource = getattr(resource, "__parent__", None)
    raise RuntimeError("resource is not attached to the database")


def kept(mapping, key, factory):
    """The object a ZODB root mapping keeps under ``key``, made by
    ``factory`` (and stored) on first use — how each concern finds its own
    persistent log, ledger or register."""
    found = mapping.get(key)
    if found is None:
        found = mapping[key] = factory()
    return found
