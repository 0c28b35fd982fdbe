"""The console commands on a real repository (.ini, FileStorage): bulk
close, the daily deposit reminder on a given day, holds, disposal
candidates; one run as the operator's subprocess."""
from datetime import timedelta

import pytest

from archive_repo import timeutil

from tests.conftest import H38, build_env, close_env
from tests.support.cli import cli

from .conftest import open_dossier, path_of, post

INI = """[app:main]
use = egg:archive_repo
zodbconn.uri = file://{var}/Data.fs?blobstorage_dir={var}/blobs
zodbconn.uri.audit = file://{var}/Audit.fs
archive_repo.index_dir = {var}/index
archive_repo.trust_roots = {var}/trust
"""


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    var = tmp_path_factory.mktemp("cli")
    env = build_env(var)
    made = []
    for title in ("Hồ sơ một", "Hồ sơ hai"):
        dossier = open_dossier(env, title=title).json
        post(env, path_of(dossier["url"]) + "/records", {"record": env.deposit().json["url"]})
        made.append(dossier)
    old = open_dossier(env, title="Hồ sơ cũ", retention_code="06", start_date="2010-01-01",
                       end_date="2010-12-31").json
    post(env, path_of(old["url"]) + "/records", {"record": env.deposit().json["url"]})
    post(env, path_of(old["url"]) + "/close")
    close_env(env)
    ini = var / "app.ini"
    ini.write_text(INI.format(var=var))
    return str(ini), made, old


def test_close_remind_hold_dispose(repo):
    ini, made, old = repo
    keys = [str(d["key"]) for d in made]
    ran = cli(ini, "dossiers", "close", "--agency", H38, *keys)
    assert "Đã kết thúc 2 hồ sơ." in ran.stdout and "Kết thúc hồ sơ" in ran.stderr
    listed = cli(ini, "dossiers", "list", "--agency", H38, "--state", "closed").stdout
    assert all(path_of(d["url"]) in listed for d in made)
    bad = cli(ini, "dossiers", "close", "--agency", H38, "999", check=False)
    assert bad.returncode == 2 and "không có hồ sơ số 999" in bad.stderr

    # closed today: due in a year, the reminder from 30 days before
    today = timeutil.now().date()
    due = today.replace(year=today.year + 1)
    early = (due - timedelta(days=31)).isoformat()
    assert cli(ini, "dossiers", "remind", "--on", early).stdout.strip() == "Đã nhắc 0 hồ sơ."
    on = (due - timedelta(days=29)).isoformat()
    ran = cli(ini, "dossiers", "remind", "--on", on)
    assert "Đã nhắc 3 hồ sơ." in ran.stdout and "reminder\t" in ran.stdout
    assert "Đã nhắc 0 hồ sơ." in cli(ini, "dossiers", "remind", "--on", on).stdout
    overdue = cli(ini, "dossiers", "due", "--agency", H38,
                  "--on", (due + timedelta(days=1)).isoformat()).stdout
    assert overdue.count("overdue\t") == 3

    assert path_of(old["url"]) in cli(ini, "disposal", "candidates", "--agency", H38).stdout
    placed = cli(ini, "holds", "place", "--agency", H38, "--reason", "Thanh tra",
                 path_of(old["url"])).stdout
    assert "Đã phong tỏa 1 mục" in placed
    assert path_of(old["url"]) not in cli(ini, "disposal", "candidates",
                                          "--agency", H38).stdout
    assert "Thanh tra" in cli(ini, "holds", "list", "--agency", H38).stdout
    cli(ini, "holds", "lift", "--agency", H38, "--hold", "1", "--reason", "Xong")
    assert cli(ini, "holds", "list", "--agency", H38).stdout == ""
    missing = cli(ini, "disposal", "execute", "--agency", H38, "--batch", "7", check=False)
    assert missing.returncode == 2

    smoke = cli(ini, "dossiers", "due", "--on", "nope", check=False, subprocess_run=True)
    assert smoke.returncode == 2 and "YYYY-MM-DD" in smoke.stderr
