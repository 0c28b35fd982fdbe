"""A module-scoped app (real FileStorage, blobs, audit database) for the
records-management tests, and small HTTP helpers."""
import pytest

from tests.conftest import H38, build_env, close_env
from tests.people.test_people import add
from tests.support.pki import build_pki

JSON = {"Accept": "application/json"}
CLERK = ("clerk", H38)


@pytest.fixture(scope="module")
def renv(tmp_path_factory):
    env = build_env(tmp_path_factory.mktemp("records"))
    yield env
    close_env(env)


@pytest.fixture(scope="module")
def senv(tmp_path_factory):
    """With the test PKI (signed decisions) and two people: a clerk and an
    archivist, for the screens."""
    pki = build_pki(tmp_path_factory.mktemp("pki"))
    env = build_env(tmp_path_factory.mktemp("screens"),
                    **{"archive_repo.trust_roots": pki.trust_roots_dir,
                       "archive_repo.crl_dir": pki.crl_dir})
    env.pki = pki
    add(env, "hoa")
    add(env, "lan", roles=("archivist",), agency=None, name="Trần Thị Lan",
        position="Lưu trữ viên")
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
