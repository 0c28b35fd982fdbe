"""``archive-repo fixity`` on a real FileStorage: a flipped byte is
``changed``, a deleted blob ``missing``, an unreadable one ``error`` — each
with exit 1 — and all-ok only when every file is intact."""
import json
import os
import shutil

import pytest

from tests.support.cli import cli
from archive_repo.preservation import fixity

from .conftest import STTTT, build_env, stop, write_ini


@pytest.fixture(scope="module")
def damaged(archive, tmp_path_factory):
    """A copy of the archive with three files damaged in three ways."""
    var, _, files = archive
    copy = tmp_path_factory.mktemp("damaged") / "var"
    shutil.copytree(var, copy)
    moved = [(p, n, str(copy / os.path.relpath(f, var))) for p, n, f in files]
    (p1, _, flipped), (p2, _, deleted), (p3, _, unreadable) = moved[:3]
    os.chmod(flipped, 0o644)
    with open(flipped, "r+b") as f:
        f.seek(100)
        byte = f.read(1)
        f.seek(100)
        f.write(bytes([byte[0] ^ 0x01]))
    os.remove(deleted)
    # A directory where the file should be cannot be read even by root
    # (chmod 000 would not stop root).
    os.chmod(unreadable, 0o644)
    os.remove(unreadable)
    os.mkdir(unreadable)
    return copy, write_ini(copy), {"changed": p1, "missing": p2, "error": p3}


def test_intact_archive_exits_zero_and_keeps_a_summary(archive):
    var, ini, files = archive
    ran = cli(ini, "fixity")
    assert "đã kiểm tra %d tệp — nguyên vẹn %d" % (len(files), len(files)) in ran.stdout
    env = build_env(var)
    try:
        conn = env.conn()
        summary = fixity.runs(conn)[0]
        assert summary["complete"] and summary["counts"]["ok"] == len(files)
        assert summary["finished"].endswith("+07:00")
        path, number, _ = files[0]
        record = env.testapp.get(path, headers=dict(env.auth("archivist"),
                                                    Accept="application/json")).json
        assert record["versions"][0]["fixity"]["last_check"]["status"] == "ok"
        page = env.testapp.get(path, headers=env.auth("archivist")).text
        assert "Kiểm tra toàn vẹn lần cuối" in page and "(nguyên vẹn)" in page
        assert "Lịch sử bảo quản (PREMIS)" in page and "nhận dạng định dạng" in page
        assert [e["type"] for e in record["preservation"]["events"]][:2] == [
            "ingestion", "message digest calculation"]
        dav = env.testapp.get("/dav%s/versions/1/validation.json" % path,
                              headers=env.auth("connector"))
        assert json.loads(dav.body)["fixity"]["last_check"]["status"] == "ok"
        conn.close()
    finally:
        stop(env)


def test_each_damage_is_named_and_exit_is_one(damaged):
    copy, ini, expected = damaged
    ran = cli(ini, "fixity", check=False)
    assert ran.returncode == 1, ran.stderr
    lines = [line.split() for line in ran.stdout.splitlines() if line.split()
             and line.split()[0] in fixity.STATUSES]
    assert sorted((w[0], w[1]) for w in lines) == sorted(
        (status, path + "/versions/1") for status, path in expected.items())
    assert "nguyên vẹn 1, bị thay đổi 1, bị mất 1, lỗi đọc 1" in ran.stdout


def test_scope_and_failure_events(damaged):
    copy, ini, expected = damaged
    ran = cli(ini, "fixity", "--agency", STTTT)
    assert "đã kiểm tra 1 tệp" in ran.stdout
    env = build_env(copy)
    try:
        xml = env.testapp.get(expected["changed"] + "/premis.xml",
                              headers=env.auth("archivist")).text
        assert "fixity check" in xml and "failure" in xml
    finally:
        stop(env)


def test_budget_stops_and_resume_finishes(archive, tmp_path):
    var, ini, files = archive
    # a zero budget checks nothing: the run is left open for --resume
    ran = cli(ini, "fixity", "--budget", "0.000001", check=True)
    assert "--resume" in ran.stdout
    ran = cli(ini, "fixity", "--resume")
    assert "--resume" not in ran.stdout
    assert "đã kiểm tra %d tệp" % len(files) in ran.stdout


def test_due_skips_files_checked_within_the_interval(archive):
    var, ini, files = archive
    cli(ini, "fixity")
    ran = cli(ini, "fixity", "--due")
    assert "đã kiểm tra 0 tệp" in ran.stdout
    assert "bỏ qua (chưa đến hạn) %d" % len(files) in ran.stdout
