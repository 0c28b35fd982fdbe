"""The restore drill on real FileStorages: backup → deposits → backup →
restore at the first point gives exactly the first set, verified; blobs
are hard-linked generations; a blob lost from a generation fails the
restore naming its record; ``pack`` needs a full backup first."""
import json
import os
import shutil
from datetime import datetime

import pytest

from tests.support.cli import cli

from archive_repo.preservation.backup import logged_runs, sha256_of

from .conftest import H38, build_env, stop, write_ini


def deposit(var, numbers):
    env = build_env(var)
    try:
        for n in numbers:
            env.deposit(meta={"number": n})
    finally:
        stop(env)


def feed_id(var):
    from archive_repo.dav.changes import get_log
    env = build_env(var)
    try:
        conn = env.conn()
        found = get_log(conn).feed_id
        conn.close()
        return found
    finally:
        stop(env)


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    base = tmp_path_factory.mktemp("drill")
    var = base / "var"
    var.mkdir()
    deposit(var, (1, 2))
    ini = write_ini(var)
    first = cli(ini, "backup", "--to", base / "d1", "--to", base / "d2", "--full")
    deposit(var, (3, 4))
    second = cli(ini, "backup", "--to", base / "d1")
    return base, var, ini, first, second


def manifests(dest):
    return [json.loads(p.read_text()) for p in sorted((dest / "runs").glob("*.json"))]


def test_every_destination_gets_both_storages_blobs_log_and_minute(drill):
    base, var, ini, first, second = drill
    for dest in (base / "d1", base / "d2"):
        run = manifests(dest)[0]
        assert run["full"] and any(n.startswith("records/") and n.endswith(".fs")
                                   for n in run["files"])
        assert any(n.startswith("audit/") for n in run["files"])
        assert run["blobs"]["files"] >= 2 and run["blobs"]["copied"] == run["blobs"]["files"]
        # repozo appends to its .dat later: the last run's record of it holds
        for name, (size, digest) in manifests(dest)[-1]["files"].items():
            assert os.path.getsize(dest / name) == size and sha256_of(dest / name) == digest
        assert (dest / run["minute"]["file"]).read_bytes().startswith(b"%PDF")
    incremental = manifests(base / "d1")[1]
    assert not incremental["full"]
    assert any(n.endswith(".deltafs") for n in incremental["files"])
    # unchanged blob files are the same inode in both generations
    gens = sorted((base / "d1" / "blobs").iterdir())
    old = [p for p in gens[0].rglob("*.blob")]
    assert old and all((gens[1] / p.relative_to(gens[0])).stat().st_ino == p.stat().st_ino
                       for p in old)
    assert incremental["blobs"]["linked"] == len(old) + 1     # and the .layout marker
    env = build_env(var)
    try:
        assert [r["id"] for r in logged_runs(env.registry)][-3:] == [
            manifests(base / "d1")[0]["id"], manifests(base / "d2")[0]["id"],
            incremental["id"]]
        from archive_repo.preservation.events import events_of
        conn = env.conn()
        replications = [e for e in events_of(conn, "/%s/2026/1" % H38)
                        if e["action"] == "replication"]
        conn.close()
        # copied once to each destination by the full run, linked after
        assert sorted(e["detail"]["detail"]["destination"] for e in replications) == [
            str(base / "d1"), str(base / "d2")]
    finally:
        stop(env)


def restored_paths(target):
    env = build_env(target)
    try:
        conn = env.conn()
        from archive_repo.preservation.fixity import select
        found = sorted({r.path for _, r, _ in select(env.root(conn))})
        conn.close()
        return found
    finally:
        stop(env)


def test_restore_at_the_first_point_gives_exactly_the_first_set(drill):
    base, var, ini, _, _ = drill
    first = manifests(base / "d1")[0]
    at = datetime.fromisoformat(first["at"]).strftime("%Y-%m-%d %H:%M:%S")
    target = base / "at-first"
    ran = cli(ini, "restore", "--from", base / "d1", "--at", at, "--to", target)
    assert "kiểm tra đạt" in ran.stdout
    result = json.loads((target / "restore.json").read_text())
    assert result["ok"] and result["records"] == 2 and result["versions"] == 2
    assert (target / "restore-minute.pdf").read_bytes().startswith(b"%PDF")
    assert restored_paths(target) == ["/%s/2026/%d" % (H38, n) for n in (1, 2)]
    assert feed_id(target) != feed_id(var)
    latest = base / "latest"
    cli(ini, "restore", "--from", base / "d1", "--to", latest)
    assert restored_paths(latest) == ["/%s/2026/%d" % (H38, n) for n in (1, 2, 3, 4)]
    # the restored archive's ini works for the console too
    assert "nguyên vẹn 4" in cli(latest / "archive.ini", "fixity").stdout


def test_a_blob_lost_from_the_generation_fails_the_restore_naming_it(drill):
    base, var, ini, _, _ = drill
    broken = base / "broken"
    shutil.copytree(base / "d2", broken, symlinks=True)
    blob = next((broken / "blobs").rglob("*.blob"))
    blob.unlink()
    ran = cli(ini, "restore", "--from", broken, "--to", base / "from-broken", check=False)
    assert ran.returncode == 1
    assert "/%s/2026/" % H38 in ran.stdout and "missing" in ran.stdout


def test_restore_refuses_a_used_target_and_blobs_older_than_the_database(drill):
    base, var, ini, _, _ = drill
    (base / "used").mkdir()
    (base / "used" / "x").write_text("x")
    ran = cli(ini, "restore", "--from", base / "d1", "--to", base / "used", check=False)
    assert ran.returncode == 2 and "thư mục mới" in ran.stderr
    stale = base / "stale"
    shutil.copytree(base / "d1", stale, symlinks=True)
    newest = manifests(stale)[-1]["blobs"]["generation"]
    shutil.rmtree(stale / "blobs" / newest)
    ran = cli(ini, "restore", "--from", stale, "--to", base / "from-stale", check=False)
    assert ran.returncode == 2 and "cũ hơn" in ran.stderr


def test_pack_needs_a_full_backup_after_the_last_transaction(drill):
    base, var, ini, _, _ = drill
    ran = cli(ini, "pack", check=False)
    assert ran.returncode == 2 and "backup --full" in ran.stderr
    cli(ini, "backup", "--to", base / "d3", "--full")
    assert "Đã dọn" in cli(ini, "pack").stdout
    cli(ini, "backup", "--to", base / "d1")
    assert manifests(base / "d1")[-1]["full"]       # the next one after a pack
