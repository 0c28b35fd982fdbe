"""Settings validated at start-up (one Vietnamese line naming the setting),
and evolve steps: named, ordered, recorded in the root, run by
``archive-repo evolve [--dry-run]`` and at start-up when safe."""
import pytest

from tests.conftest import H38, build_env, close_env, make_settings


def _ini(tmp_path, **extra):
    settings = make_settings(tmp_path, **extra)
    ini = tmp_path / "archive.ini"
    ini.write_text("[app:main]\nuse = egg:archive_repo\n" + "".join(
        "%s = %s\n" % item for item in settings.items()), encoding="utf-8")
    return str(ini)


def _cli(*argv):
    from archive_repo.scripts.main import main
    return main(list(argv))


@pytest.mark.parametrize("name,value,allowed", [
    ("revocation_mode", "soft-fial", "soft-fail hoặc hard-fail"),
    ("max_upload_mb", "lots", "số nguyên MB"),
    ("appearance_tolerance", "2", "từ 0 đến 1"),
    ("min_scan_dpi", "0", "từ 72 đến 2400"),
    ("calendar", "/nowhere/working-days.json", "phải tồn tại"),
])
def test_a_bad_setting_stops_start_up_with_one_line_naming_it(tmp_path, capsys, name, value,
                                                             allowed):
    ini = _ini(tmp_path, **{"archive_repo." + name: value})
    assert _cli("-c", ini, "token", "list") == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("lỗi: cấu hình archive_repo.%s = %r không hợp lệ" % (name, value))
    assert allowed in line


def test_a_missing_required_setting_is_named(tmp_path):
    from archive_repo.settings import SettingError, parse_settings
    settings = make_settings(tmp_path)
    del settings["archive_repo.index_dir"]
    with pytest.raises(SettingError, match="archive_repo.index_dir .*bắt buộc"):
        parse_settings(settings)


def test_the_calendar_ships_with_the_package():
    import os

    from archive_repo.settings import DEFAULT_CALENDAR, parse_settings
    assert os.path.isfile(DEFAULT_CALENDAR) and "/src/archive_repo/data/" in DEFAULT_CALENDAR
    assert parse_settings({}, complete=False).calendar == DEFAULT_CALENDAR


def _forget(tmp_path, step, older_shape):
    """The database as a release before ``step`` left it."""
    env = build_env(tmp_path)
    env.deposit()
    conn = env.conn()
    with conn.transaction_manager:
        root = env.root(conn)
        del root.evolved[step]
        older_shape(root)
    conn.close()
    close_env(env)


def _old_outbox(root):
    del root.index_outbox.failed


def test_evolve_lists_then_runs_a_pending_step_and_records_it(tmp_path, capsys):
    step = "2026-12-outbox-failed-set"
    _forget(tmp_path, step, _old_outbox)
    ini = _ini(tmp_path)
    assert _cli("-c", ini, "evolve", "--dry-run") == 1      # still pending after a dry run
    assert "sẽ chạy %s" % step in capsys.readouterr().out
    assert _cli("-c", ini, "evolve") == 0
    assert "không có bước nâng cấp nào đang chờ" not in capsys.readouterr().out
    assert _cli("-c", ini, "evolve") == 0
    assert "không có bước nâng cấp nào đang chờ" in capsys.readouterr().out
    env = build_env(tmp_path)
    conn = env.conn()
    root = env.root(conn)
    assert step in root.evolved and len(root.index_outbox.failed) == 0
    conn.close()
    close_env(env)


def test_a_step_not_safe_at_start_up_stops_the_server_until_evolve_runs(tmp_path):
    from archive_repo import make_config, start
    from archive_repo.evolution import Pending
    env = build_env(tmp_path)
    close_env(env)
    ran = []

    def slow_step(root):
        ran.append(len(root.agencies[H38]))

    def configured():
        config = make_config(make_settings(tmp_path))
        config.add_evolve_step(slow_step, "2027-01-slow", at_startup=False)
        return config
    config = configured()
    with pytest.raises(Pending, match="2027-01-slow"):
        start(config)
    for db in config.registry._zodb_databases.values():
        db.close()
    assert ran == []
    config = configured()
    config.commit()
    from archive_repo import evolution
    assert evolution.evolve(config.registry) == ["2027-01-slow"] and ran == [0]
    app = start(config)
    for db in app.registry._zodb_databases.values():
        db.close()


def test_a_fresh_database_has_every_step_done(tmp_path):
    from archive_repo.evolution import pending, steps_of
    env = build_env(tmp_path)
    try:
        assert steps_of(env.registry) and pending(env.registry) == []
    finally:
        close_env(env)
