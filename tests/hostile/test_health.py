"""``GET /health`` and the self-healing search: an index folder removed,
replaced or damaged under the running server makes ``/search`` 503
``search_unavailable`` while the worker rebuilds it, and search comes back
by itself, without a restart."""
import glob
import os
import shutil
import time

import pytest

from tests.conftest import H38, build_env, close_env
from tests.foundation.test_deposit_http import error_of, settle

JSON = {"Accept": "application/json"}
QUERY = "/search?q=k%E1%BA%BF+ho%E1%BA%A1ch"      # "kế hoạch"


@pytest.fixture(scope="module")
def henv(tmp_path_factory):
    env = build_env(tmp_path_factory.mktemp("health"))
    for _ in range(3):
        env.deposit()
    settle(env)
    yield env
    close_env(env)


def search(env):
    return env.testapp.get(QUERY, headers=dict(env.auth("archivist"), **JSON),
                           expect_errors=True)


def health(env):
    return env.testapp.get("/health", expect_errors=True)


def until_back(env, seconds=30):
    """Searches until they answer 200 again; every answer before is the
    contract's 503 ``search_unavailable`` with Retry-After."""
    end, unavailable = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        res = search(env)
        if res.status_int == 200:
            return res, unavailable
        error_of(res, "search_unavailable", 503)
        assert res.headers["Retry-After"] == "30"
        unavailable += 1
        time.sleep(0.1)
    raise AssertionError("search did not come back by itself")


def test_health_is_public_json_without_record_data(henv):
    res = henv.testapp.get("/health")           # no token
    assert res.status_int == 200 and res.headers["Cache-Control"] == "no-store"
    body = res.json
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"storage", "audit", "index", "disk"}
    assert all(c["status"] == "ok" for c in body["checks"].values())
    index = body["checks"]["index"]
    assert index["outbox_depth"] == 0 and index["rebuilding"] is False
    assert index["feed_behind"] == 0
    assert body["checks"]["disk"]["free_mb"] > 0
    assert H38 not in res.text and "Nguyễn" not in res.text


def count(env):
    conn = env.conn()
    try:
        return len(env.root(conn).agencies[H38].data[2026])
    finally:
        conn.close()


@pytest.mark.parametrize("damage", ["removed", "replaced_by_a_file"])
def test_search_heals_itself_when_the_folder_is_gone(henv, damage):
    folder = henv.settings["archive_repo.index_dir"]
    assert search(henv).json["total"] == count(henv)
    shutil.rmtree(folder)
    if damage == "replaced_by_a_file":
        with open(folder, "w") as f:
            f.write("not an index")
    error_of(search(henv), "search_unavailable", 503)
    during = health(henv).json
    assert during["status"] == "degraded" and during["checks"]["index"]["rebuilding"]
    res, _ = until_back(henv)
    assert res.json["total"] == count(henv)         # every record indexed again
    after = health(henv).json
    assert after["status"] == "ok" and after["checks"]["index"]["rebuilding"] is False
    assert os.path.isdir(folder)


def test_a_garbled_index_is_set_aside_and_rebuilt(henv):
    # open searchers keep serving from the files they hold; the next write
    # (a deposit) reads the table of contents again, fails, and the worker
    # sets the folder aside and rebuilds
    folder = henv.settings["archive_repo.index_dir"]
    aside = set(glob.glob(folder + ".set-aside-*"))
    for toc in glob.glob(os.path.join(folder, "*.toc")):
        with open(toc, "wb") as f:
            f.write(b"\0garbage")
    henv.deposit()
    end = time.monotonic() + 30
    while set(glob.glob(folder + ".set-aside-*")) == aside and time.monotonic() < end:
        time.sleep(0.1)
    assert len(set(glob.glob(folder + ".set-aside-*")) - aside) == 1
    res, _ = until_back(henv)
    assert res.json["total"] == count(henv) == 4


def test_a_failing_check_is_503(tmp_path):
    env = build_env(tmp_path, **{"archive_repo.min_free_mb": str(10 ** 7)})
    try:
        res = health(env)
        assert res.status_int == 503
        assert res.json["status"] == "failed"
        assert res.json["checks"]["disk"]["status"] == "failed"
    finally:
        close_env(env)


def test_health_shows_how_far_this_node_is_behind_the_change_feed(tmp_path):
    """A node's own lag (what other nodes changed that its index has not
    followed yet) is in /health; its own worker then follows."""
    from archive_repo.indexing import worker_of
    env = build_env(tmp_path, **{"archive_repo.index_worker": "false"})
    try:
        env.deposit()
        env.deposit()
        worker = worker_of(env.registry)
        # the outbox is taken by "another node": only the feed tells this one
        from archive_repo import db
        from archive_repo.dav.changes import get_log, sequence_now
        from archive_repo.indexing.outbox import get_outbox
        sequence_now(db.database(env.registry))     # the entries get their numbers
        conn = env.conn()
        with conn.transaction_manager:
            outbox = get_outbox(env.root(conn))
            for key, _ in outbox.oldest(100):
                outbox.done(key)
            head = get_log(conn).head()
        conn.close()
        assert head >= 2
        assert health(env).json["checks"]["index"]["feed_behind"] == head
        while worker.follow_feed():
            pass
        assert health(env).json["checks"]["index"]["feed_behind"] == 0
    finally:
        close_env(env)
