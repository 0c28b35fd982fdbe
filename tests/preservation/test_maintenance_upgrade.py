"""Art. 12.5: an announced maintenance window shows on pages, /health and
API headers; writes answer 503 during it, reads continue.  ``upgrade`` runs
the evolve steps between two integrity checks and refuses a damaged archive
or one that differs afterwards."""
import json
import os
import shutil
from datetime import timedelta

import pytest

from tests.support.cli import cli
from archive_repo import timeutil
from archive_repo.preservation import maintenance, upgrade

from .conftest import H38, build_env, stop, write_ini


@pytest.fixture
def live(tmp_path):
    env = build_env(tmp_path)
    env.deposit(meta={"number": 1})
    yield env
    stop(env)


def test_announced_then_active_window(live):
    now = timeutil.now()
    maintenance.announce(live.registry, now + timedelta(hours=2), now + timedelta(hours=4),
                         "Nâng cấp phần mềm")
    health = live.testapp.get("/health").json["checks"]["maintenance"]
    assert health["status"] == "ok" and health["notice"]["message"] == "Nâng cấp phần mềm"
    page = live.testapp.get("/%s/2026/1" % H38, headers=live.auth("archivist"))
    assert "Thông báo bảo trì" in page.text and "Nâng cấp phần mềm" in page.text
    assert page.headers["Warning"].startswith("199 archive_repo")
    live.deposit(meta={"number": 2})                    # announced only: writes go on

    maintenance.announce(live.registry, now - timedelta(minutes=1), now + timedelta(hours=1),
                         "Nâng cấp phần mềm")
    refused = live.deposit(meta={"number": 3}, status=503)
    assert refused.json["error"]["code"] == "maintenance"
    assert 3000 < int(refused.headers["Retry-After"]) <= 3600
    assert "Nâng cấp phần mềm" in refused.json["error"]["message"]
    assert live.testapp.get("/%s/2026/1" % H38, headers=dict(
        live.auth("archivist"), Accept="application/json")).json["number"] == 1
    assert live.testapp.get("/health").json["checks"]["maintenance"]["status"] == "degraded"
    maintenance.clear(live.registry)
    live.deposit(meta={"number": 3})
    assert "Warning" not in live.testapp.get("/health").headers


def test_maintenance_command(archive):
    var, ini, _ = archive
    cli(ini, "maintenance", "announce", "--from", "2026-12-05 22:00", "--to",
        "2026-12-06 02:00", "--message", "Bảo trì định kỳ")
    shown = json.loads(cli(ini, "maintenance", "show").stdout)
    assert shown["from"] == "2026-12-05T22:00:00+07:00" and shown["message"] == "Bảo trì định kỳ"
    bad = cli(ini, "maintenance", "announce", "--from", "2026-12-06 02:00", "--to",
              "2026-12-05 22:00", "--message", "x", check=False)
    assert bad.returncode == 2
    cli(ini, "maintenance", "clear")


def test_upgrade_with_matching_checks_writes_a_report(archive, tmp_path):
    var, ini, files = archive
    out = tmp_path / "report.json"
    ran = cli(ini, "upgrade", "--full-fixity", "--report", out)
    report = json.loads(out.read_text())
    assert report["ok"] and report["before"]["versions"] == len(files)
    assert report["before"]["records"] == report["after"]["records"]
    assert "khớp nhau" in ran.stdout


def test_upgrade_refuses_a_damaged_archive(archive, tmp_path):
    var, _, files = archive
    copy = tmp_path / "var"
    shutil.copytree(var, copy)
    os.remove(str(copy / os.path.relpath(files[0][2], var)))
    out = tmp_path / "report.json"
    ran = cli(write_ini(copy), "upgrade", "--full-fixity", "--report", out, check=False)
    assert ran.returncode == 1 and "TỪ CHỐI" in ran.stdout
    report = json.loads(out.read_text())
    assert report["refused"] == "before" and report["ran"] == []
    assert any("missing" in p for p in report["before"]["fixity_problems"])


def test_upgrade_refuses_when_a_step_loses_a_record(tmp_path):
    env = build_env(tmp_path)
    try:
        for n in (1, 2):
            env.deposit(meta={"number": n})

        def lossy_step(registry):
            from archive_repo import db
            from archive_repo.resources import get_root
            with db.transaction(registry) as conn:
                del get_root(conn).agencies[H38].data[2026].data[2]
            return ["2026-12-lossy"]
        report = upgrade.upgrade(env.registry, run_steps=lossy_step)
        assert not report["ok"] and report["refused"] == "after"
        assert any(d.startswith("records") for d in report["differences"])
    finally:
        stop(env)
