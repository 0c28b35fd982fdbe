"""The people tests' app: short lock-out and idle timeout, two persons."""
import pytest

from tests.conftest import build_env, close_env


@pytest.fixture(scope="module")
def penv(tmp_path_factory):
    env = build_env(tmp_path_factory.mktemp("people"),
                    **{"archive_repo.lockout_attempts": "5",
                       "archive_repo.lockout_seconds": "1",
                       "archive_repo.session_idle_seconds": "5"})
    from tests.people.test_people import add
    add(env, "hoa")
    add(env, "lan", roles=("archivist",), agency=None, name="Trần Thị Lan",
        position="Lưu trữ viên")
    yield env
    close_env(env)
