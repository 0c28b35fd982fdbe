"""A module-scoped app (real FileStorage, blobs, audit database) for the
records-management tests, and small HTTP helpers."""
import pytest

from tests.conftest import H38, build_env, close_env

JSON = {"Accept": "application/json"}
CLERK = ("clerk", H38)


@pytest.fixture(scope="module")
def renv(tmp_path_factory):
    env = build_env(tmp_path_factory.mktemp("records"))
    yield env
    close_env(env)


def call(env, method, path, body=None, who=CLERK, status=200):
    headers = dict(env.auth(who), **JSON)
    send = getattr(env.testapp, method.lower() + "_json")
    return send(path, body or {}, headers=headers, status=status)


def post(env, path, body=None, who=CLERK, status=200):
    return call(env, "POST", path, body, who, status)


def get(env, path, who=CLERK, status=200):
    return env.testapp.get(path, headers=dict(env.auth(who), **JSON), status=status)


def open_dossier(env, agency=H38, who=CLERK, status=201, **fields):
    body = dict({"title": "Hồ sơ thử nghiệm", "retention_code": "06", "year": 2026}, **fields)
    return post(env, "/%s/dossiers/" % agency, body, who, status)


def path_of(url):
    return url.replace("http://localhost", "")
