"""Reads keep working when the audit database cannot be written: on a real,
full tmpfs holding only the audit database (mounted here, as root), a
document read is answered 200 and its audit entry waits in the local
read-audit journal; once space returns the next read files it — once."""
import json
import os

import pytest

from tests.support.tmpfs import mounted_tmpfs
from tests.conftest import H38, build_env, close_env


@pytest.fixture
def audit_disk(tmp_path):
    with mounted_tmpfs(tmp_path / "auditdisk", "4m") as mount:
        yield mount


def fill_up(folder):
    """A ballast file taking every last byte of ``folder``'s volume."""
    ballast = os.path.join(folder, "ballast")
    with open(ballast, "wb", buffering=0) as f:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError:
                pass
    return ballast


def reads_of(env, path):
    from archive_repo import audit, db
    with db.reading(env.registry, audit.AUDIT_DB) as conn:
        return [e for e in audit.get_log(conn).for_target(path)
                if e["action"] == "read_document"]


def test_reads_are_answered_and_journaled_while_the_audit_disk_is_full(tmp_path, audit_disk):
    env = build_env(tmp_path, **{"zodbconn.uri.audit": "file://%s/Audit.fs" % audit_disk,
                                 "archive_repo.min_free_mb": "1"})
    try:
        from archive_repo.audit import health_of, journal_path
        assert env.deposit().json["number"] == 1
        path = "/%s/2026/1" % H38
        pdf = path + "/document.pdf"
        env.testapp.get(pdf, headers=env.auth("archivist"), status=200)
        assert len(reads_of(env, path)) == 1
        ballast = fill_up(str(audit_disk))
        journaled, reads = [], 1
        # the audit file's last page may take an entry or two: read until
        # the database refuses for real — every read is still answered
        while not journaled and reads < 30:
            assert env.testapp.get(pdf, headers=env.auth("archivist"),
                                   status=200).body.startswith(b"%PDF")
            reads += 1
            if os.path.exists(journal_path(env.registry)):
                with open(journal_path(env.registry), encoding="utf-8") as f:
                    journaled = [json.loads(line) for line in f]
        assert [(e["action"], e["target"]) for e in journaled] == [("read_document", path)]
        env.testapp.get(pdf, headers=env.auth("archivist"), status=200)
        reads += 1
        with open(journal_path(env.registry), encoding="utf-8") as f:
            assert len(f.read().splitlines()) == 2      # still full: journaled too
        assert health_of(env.registry).lost == 0
        # a write is refused, not journaled: it fails closed
        assert env.deposit(status="*").status_int >= 500
        os.unlink(ballast)
        env.testapp.get(pdf, headers=env.auth("archivist"), status=200)
        reads += 1
        assert len(reads_of(env, path)) == reads         # every read, once
        assert not os.path.exists(journal_path(env.registry))
        env.testapp.get(pdf, headers=env.auth("archivist"), status=200)
        assert len(reads_of(env, path)) == reads + 1     # none twice
    finally:
        close_env(env)
