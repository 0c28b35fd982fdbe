"""``backup --to DIR`` on a RelStorage/PostgreSQL deployment: both databases
copied (as zodbconvert does) into FileStorages with the blobs, a manifest
with the SHA-256 of every file and a minute; the snapshot opened as a new
archive holds the same records, byte for byte."""
import hashlib
import json
import shutil
import tempfile

import pytest

from tests.support.backends import PostgresCluster
from tests.support.cli import cli

from .conftest import H38, build_env, stop

JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def relstorage_archive(tmp_path_factory):
    folder = tempfile.mkdtemp(prefix="archive-pg-")
    cluster = PostgresCluster(folder).start()
    try:
        var = tmp_path_factory.mktemp("rel")
        uris = {"zodbconn.uri": cluster.uri(cluster.create_database("records"), "records",
                                            var / "blobcache"),
                "zodbconn.uri.audit": cluster.uri(cluster.create_database("audit"), "audit")}
        env = build_env(var, **uris)
        made = [env.deposit(meta={"number": n}).json for n in (1, 2)]
        stop(env)
        ini = var / "app.ini"
        ini.write_text("[app:main]\nuse = egg:archive_repo\n" + "".join(
            "%s = %s\n" % kv for kv in dict(uris, **{
                "archive_repo.index_dir": var / "index",
                "archive_repo.trust_roots": var / "trust"}).items()))
        yield var, str(ini), made
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_backup_of_a_relstorage_archive_restores_into_a_file_storage(relstorage_archive,
                                                                     tmp_path):
    var, ini, made = relstorage_archive
    dest = tmp_path / "d1"
    cli(ini, "backup", "--to", dest)
    (run_file,) = (dest / "runs").iterdir()
    run = json.loads(run_file.read_text())
    assert run["kind"] == "snapshot" and run["full"]
    assert (dest / run["minute"]["file"]).read_bytes().startswith(b"%PDF")
    names = set(run["files"])
    stamp = run["id"]
    assert {"snapshots/%s/records/Data.fs" % stamp, "snapshots/%s/audit/Data.fs" % stamp} \
        <= names
    assert run["blobs"]["files"] == 2
    for name, (size, sha256) in run["files"].items():
        data = (dest / name).read_bytes()
        assert len(data) == size and hashlib.sha256(data).hexdigest() == sha256
    # restore: the snapshot copied to a new place and opened as a FileStorage archive
    target = tmp_path / "restored"
    shutil.copytree(dest / "snapshots" / stamp, target)
    restored = build_env(target, **{
        "zodbconn.uri": "file://%s/records/Data.fs?blobstorage_dir=%s/records/blobs"
                        % (target, target),
        "zodbconn.uri.audit": "file://%s/audit/Data.fs" % target})
    try:
        for record in made:
            path = "/%s/2026/%d" % (H38, record["number"])
            data = restored.testapp.get(path, headers=dict(restored.auth("archivist"),
                                                           **JSON)).json
            assert data["sha256"] == record["sha256"]
            pdf = restored.testapp.get(path + "/document.pdf",
                                       headers=restored.auth("archivist")).body
            assert hashlib.sha256(pdf).hexdigest() == record["sha256"]
        from archive_repo import audit
        conn = restored.conn()
        try:
            log = audit.get_log(conn.get_connection(audit.AUDIT_DB))
            assert [e["action"] for e in log.for_target("/%s/2026/1" % H38)][0] == "deposit"
        finally:
            conn.close()
    finally:
        stop(restored)
