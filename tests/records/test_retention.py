"""The retention schedule as data: the shipped rows, the agency's own CSV
(``config/retention-schedule.csv``, named by both shipped ini files) added
to them, a code given again overriding, and a wrong row refused at start-up
naming its line."""
import configparser
import os

import pytest

from archive_repo.records.retention import DEFAULT_SCHEDULE, Schedule
from archive_repo.settings import SettingError
from tests.conftest import build_env, close_env

from .conftest import open_dossier

CONFIG = os.path.join(os.path.dirname(__file__), "..", "..", "config")


@pytest.mark.parametrize("ini", ["development.ini", "production.ini"])
def test_shipped_ini_files_name_the_config_table(ini):
    parser = configparser.ConfigParser(defaults={"here": os.path.abspath(CONFIG)})
    parser.read(os.path.join(CONFIG, ini))
    path = parser.get("app:main", "archive_repo.retention_schedule")
    assert os.path.samefile(path, os.path.join(CONFIG, "retention-schedule.csv"))
    shipped = {i.code for i in Schedule(DEFAULT_SCHEDULE)}
    assert shipped and {i.code for i in Schedule(DEFAULT_SCHEDULE, path)} == shipped


def test_the_agencys_rows_extend_and_override(tmp_path):
    table = tmp_path / "sector.csv"
    table.write_text("code,title,period,basis\n"
                     "YT.01,Hồ sơ khám chữa bệnh nội trú,20,Thông tư ngành y tế\n"
                     "TH.02,\"Kế hoạch, báo cáo quý, tháng\",5,Quyết định của tỉnh\n",
                     encoding="utf-8")
    env = build_env(tmp_path, **{"archive_repo.retention_schedule": str(table)})
    try:
        sector = open_dossier(env, retention_code=None, schedule_item="YT.01").json
        assert sector["retention"] == {"code": "05", "years": 20, "label": "20 năm",
                                       "permanent": False}
        override = open_dossier(env, retention_code=None, schedule_item="TH.02").json
        assert override["retention"]["years"] == 5 and override["retention_code"] == "07"
        open_dossier(env, retention_code=None, schedule_item="YT.99", status=400)
    finally:
        close_env(env)


def test_a_wrong_row_is_refused_at_start_up(tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text("code,title,period,basis\nYT.01,Hồ sơ,mãi mãi,x\n", encoding="utf-8")
    with pytest.raises(SettingError) as refused:
        build_env(tmp_path, **{"archive_repo.retention_schedule": str(table)})
    assert refused.value.code == "invalid_setting" and "dòng 2" in refused.value.message
