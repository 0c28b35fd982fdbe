"""The change feed: ordered, paged by cursor, complete, persistent."""
from tests.conftest import H38, STTTT, build_env, close_env
from tests.dav.conftest import run_threads

FEED = "/dav/changes"


def feed(env, since=0, limit=None, status=200):
    params = {"since": since}
    if limit is not None:
        params["limit"] = limit
    return env.testapp.get(FEED, params=params, headers=env.auth("connector"),
                           status=status).json


def follow(env, cursor, limit=2):
    """Everything after ``cursor``, page by page, as a connector would."""
    seen = []
    while True:
        page = feed(env, cursor, limit)
        seen += page["changes"]
        cursor = page["cursor"]
        if not page["more"]:
            return seen, cursor


def test_deposits_and_recall_come_in_order_with_a_cursor(archive):
    archive.testapp.post_json("/%s/2026/2/recall" % H38, {"reason": "Sai thể thức."},
                              headers=archive.auth(("clerk", H38)))
    seen, cursor = follow(archive, 0)
    assert [c["seq"] for c in seen] == [1, 2, 3, 4]
    assert [(c["what"], c["path"]) for c in seen] == [
        ("added", "/%s/2026/1" % H38), ("added", "/%s/2026/2" % H38),
        ("added", "/%s/2026/1" % STTTT), ("recall", "/%s/2026/2" % H38)]
    assert cursor == 4
    assert seen[0]["dav_url"].endswith("/dav/%s/2026/1/" % H38)
    assert feed(archive, cursor) == {"since": 4, "cursor": 4, "head": 4, "more": False,
                                     "changes": []}


def test_delivery_state_changes_are_in_the_feed(archive):
    archive.testapp.post_json("/%s/2026/1/deliveries/%s/accept" % (STTTT, H38), {},
                              headers=archive.auth(("clerk", H38)))
    last = feed(archive, 3)["changes"]
    assert [(c["what"], c["path"]) for c in last] == [("delivery", "/%s/2026/1" % STTTT)]


def test_cursor_survives_a_restart(tmp_path):
    env = build_env(tmp_path)
    env.deposit()
    _, cursor = follow(env, 0)
    close_env(env)
    again = build_env(tmp_path)        # same FileStorage, new process state
    again.deposit()
    seen, cursor = follow(again, cursor)
    assert [(c["seq"], c["path"]) for c in seen] == [(2, "/%s/2026/2" % H38)]
    close_env(again)


def test_concurrent_deposits_get_contiguous_numbers_none_twice(archive):
    def deposit(i):
        archive.deposit(agency=(H38, STTTT)[i % 2], meta={"receivers": []})
    run_threads(6, deposit)
    seen, cursor = follow(archive, 0, limit=4)
    assert [c["seq"] for c in seen] == list(range(1, 10))
    assert len({c["path"] for c in seen}) == 9
    assert cursor == 9


def test_records_from_before_the_feed_are_backfilled(tmp_path):
    from archive_repo.dav.changes import LOG_KEY
    env = build_env(tmp_path)
    env.deposit()
    env.deposit(agency=STTTT)
    conn = env.conn()
    with conn.transaction_manager:
        del conn.root()[LOG_KEY]
    conn.close()
    close_env(env)
    again = build_env(tmp_path)
    seen, _ = follow(again, 0)
    assert sorted(c["path"] for c in seen) == ["/%s/2026/1" % H38, "/%s/2026/1" % STTTT]
    assert {c["what"] for c in seen} == {"added"}
    close_env(again)


def test_bad_and_future_cursors(archive):
    assert feed(archive, "abc", status=400)["error"]["code"] == "invalid_since"
    assert feed(archive, 0, limit=0, status=400)["error"]["code"] == "invalid_limit"
    error = feed(archive, 99, status=409)["error"]
    assert error["code"] == "cursor_ahead" and error["details"][0]["head"] == 3
    archive.testapp.get(FEED, status=401)


def test_feed_entry_commits_with_its_change(archive):
    """A refused deposit (aborted transaction) leaves no entry."""
    archive.deposit(meta={"number": 1}, status=409)
    assert feed(archive)["head"] == 3
