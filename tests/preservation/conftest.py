"""A small real archive (FileStorage, blobs, audit database) shared by a
test module, and its .ini for the console commands."""
import pytest

from tests.conftest import H38, STTTT, build_env, close_env

__all__ = ["H38", "STTTT", "build_env", "close_env", "write_ini", "stop", "versions_of"]
from archive_repo.indexing import worker_of

INI = """[app:main]
use = egg:archive_repo
zodbconn.uri = file://{var}/Data.fs?blobstorage_dir={var}/blobs
zodbconn.uri.audit = file://{var}/Audit.fs
archive_repo.index_dir = {var}/index
archive_repo.trust_roots = {var}/trust
"""


def write_ini(var, name="app.ini"):
    path = var / name
    path.write_text(INI.format(var=var))
    return str(path)


def stop(env):
    worker_of(env.registry).stop()
    close_env(env)


def versions_of(env):
    """(record path, version number, blob file) of every stored version."""
    from archive_repo.preservation.fixity import blob_path, select
    conn = env.conn()
    try:
        return [(record.path, version.number, blob_path(version))
                for _, record, version in select(env.root(conn))]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Four records (one with two versions) in two agencies; closed, with an ini."""
    var = tmp_path_factory.mktemp("archive")
    env = build_env(var)
    for number in (1, 2, 3):
        env.deposit(meta={"number": number})
    env.deposit(agency=STTTT, meta={"number": 1})
    files = versions_of(env)
    stop(env)
    return var, write_ini(var), files
