"""The storage engines a deployment can run on, each started for real once:
FileStorage (one process), ZEO (``runzeo``) and RelStorage on a throw-away
PostgreSQL cluster (one per session).  ``backend`` is parametrised over the
three; ``shared_backend`` only over the two that several processes share.
Each module gets fresh databases, so numbering starts at 1 in each."""
import itertools
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support.backends import PostgresCluster, ZEOServer

_databases = itertools.count(1)


class Backend:
    """What a node's settings need to reach one pair of databases (records,
    audit); ``uris(folder)`` gives a node its own blob cache in ``folder``."""

    def __init__(self, name, uris, shared):
        self.name, self._uris, self.shared = name, uris, shared

    def settings(self, folder):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        records, audit = self._uris(folder)
        return {"zodbconn.uri": records, "zodbconn.uri.audit": audit}

    def __repr__(self):
        return self.name


@pytest.fixture(scope="session")
def postgres():
    folder = tempfile.mkdtemp(prefix="archive-pg-")
    cluster = PostgresCluster(folder).start()
    yield cluster
    cluster.stop()
    shutil.rmtree(folder, ignore_errors=True)


def _file_backend(folder):
    def uris(node):
        (folder / "blobs").mkdir(exist_ok=True)
        return ("file://%s/Data.fs?blobstorage_dir=%s/blobs" % (folder, folder),
                "file://%s/Audit.fs" % folder)
    return Backend("file", uris, shared=False)


def _zeo_backend(server):
    def uris(node):
        return server.uri("1", node / "blobcache"), server.uri("audit")
    return Backend("zeo", uris, shared=True)


def _relstorage_backend(cluster):
    n = next(_databases)
    records = cluster.create_database("records_%d" % n)
    audit = cluster.create_database("audit_%d" % n)

    def uris(node):
        # the audit trail holds no blobs
        return cluster.uri(records, "records", node / "blobcache"), cluster.uri(audit, "audit")
    return Backend("relstorage", uris, shared=True)


def _start(name, request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(name)
    if name == "file":
        return _file_backend(folder), None
    if name == "zeo":
        server = ZEOServer(folder).start()
        return _zeo_backend(server), server
    return _relstorage_backend(request.getfixturevalue("postgres")), None


@pytest.fixture(scope="module", params=["file", "zeo", "relstorage"])
def backend(request, tmp_path_factory):
    found, server = _start(request.param, request, tmp_path_factory)
    yield found
    if server is not None:
        server.stop()


@pytest.fixture(scope="module", params=["zeo", "relstorage"])
def shared_backend(request, tmp_path_factory):
    found, server = _start(request.param, request, tmp_path_factory)
    yield found
    if server is not None:
        server.stop()
