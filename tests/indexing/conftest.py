"""Fixtures for the indexing tests: the shared real app (FileStorage,
blobs, Whoosh on disk under tmp_path, its index worker thread), and helpers
that wait for the index worker and search over HTTP."""
from contextlib import contextmanager

import pytest

from tests.conftest import H38, SYT, STTTT, build_env, close_env  # noqa: F401
from archive_repo.indexing import worker_of  # noqa: E402

__all__ = ["H38", "SYT", "STTTT", "build_env", "close_env", "settle", "search", "paths",
           "restarted"]


@pytest.fixture
def ienv(tmp_path):
    env = build_env(tmp_path)
    yield env
    worker_of(env.registry).stop()
    close_env(env)


@contextmanager
def restarted(tmp_path):
    """The app started again on the files under ``tmp_path``, with what its
    start-up queued applied (closing it stops its worker)."""
    env = build_env(tmp_path)
    try:
        settle(env)
        yield env
    finally:
        close_env(env)


def settle(env):
    assert worker_of(env.registry).wait_idle(60), "index worker did not drain the outbox"


def search(env, who="archivist", status=200, **params):
    headers = dict(env.auth(who), Accept="application/json")
    return env.testapp.get("/search", params=params, headers=headers, status=status).json


def paths(found):
    return [r["url"].split("localhost", 1)[1] for r in found["results"]]
