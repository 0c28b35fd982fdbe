"""The change feed: ordered, paged by cursor, complete, persistent."""
from datetime import timezone
from urllib.parse import urlsplit

from lxml import etree

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
    last = feed(archive, cursor)
    assert last == {"feed": last["feed"], "since": 4, "cursor": 4, "head": 4, "more": False,
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


def _at(env, seq):
    return feed(env, seq - 1, limit=1)["changes"][0]["at"]


def test_since_time_starts_at_the_first_change_at_or_after_it(archive):
    from datetime import datetime, timedelta
    import time
    time.sleep(1.1)                       # the feed's times count whole seconds
    archive.deposit()                     # change 4, a second after the first three
    fourth = datetime.fromisoformat(_at(archive, 4))
    for moment, first in ((fourth, 4), (fourth - timedelta(seconds=1), None),
                          (fourth + timedelta(seconds=1), None)):
        page = archive.testapp.get(FEED, params={"since_time": moment.isoformat()},
                                   headers=archive.auth("connector")).json
        seqs = [c["seq"] for c in page["changes"]]
        assert all(datetime.fromisoformat(c["at"]) >= moment for c in page["changes"])
        assert page["cursor"] == 4 and page["head"] == 4 and not page["more"]
        assert page["since"] == (seqs[0] - 1 if seqs else 4)
        if first:
            assert seqs == [4]
    # the same instant in UTC, and paging on from its cursor
    utc = (fourth - timedelta(days=1)).astimezone(timezone.utc).isoformat()
    page = archive.testapp.get(FEED, params={"since_time": utc, "limit": 2},
                               headers=archive.auth("connector")).json
    assert [c["seq"] for c in page["changes"]] == [1, 2] and page["more"]
    assert feed(archive, page["cursor"])["changes"][-1]["seq"] == 4


def test_since_time_with_an_unencoded_plus(archive):
    # "+07:00" typed into a query string arrives as " 07:00"
    res = archive.testapp.get(FEED + "?since_time=2000-01-01T00:00:00+07:00",
                              headers=archive.auth("connector"))
    assert [c["seq"] for c in res.json["changes"]] == [1, 2, 3]


def test_since_time_must_be_iso_8601_with_an_offset(archive):
    for value in ("2026-03-05", "2026-03-05T10:00:00", "hôm qua", "1741143600", ""):
        res = archive.testapp.get(FEED, params={"since_time": value},
                                  headers=archive.auth("connector"), status=400)
        error = res.json["error"]
        assert error["code"] == "invalid_since_time" and "múi giờ" in error["message"]
    res = archive.testapp.get(FEED, params={"since_time": "2026-03-05T10:00:00+07:00",
                                            "since": 1},
                              headers=archive.auth("connector"), status=400)
    assert res.json["error"]["code"] == "invalid_since_time"


def test_every_answer_names_the_feed_and_a_stale_feed_is_409(archive):
    first = feed(archive)["feed"]
    assert len(first) == 32 and feed(archive, 2)["feed"] == first
    tree = etree.fromstring(archive.testapp.request(
        "/dav/", method="PROPFIND", headers=dict(archive.auth("connector"), Depth="0")).body)
    assert tree.findtext(".//{urn:x-archive-repo:lao-cai:dav:1}change-feed") == first
    ok = archive.testapp.get(FEED, params={"since": 1, "feed": first},
                             headers=archive.auth("connector")).json
    assert [c["seq"] for c in ok["changes"]] == [2, 3]
    res = archive.testapp.get(FEED, params={"since": 1, "feed": "f" * 32},
                              headers=archive.auth("connector"), status=409)
    error = res.json["error"]
    assert error["code"] == "feed_changed" and "since=0" in error["message"]
    assert error["details"] == [{"feed": "f" * 32, "current": first}]


def test_a_feed_made_anew_or_renewed_after_a_restore_refuses_old_cursors(tmp_path):
    """The connector keeps (feed, cursor); a log rebuilt from scratch, or one
    given a new identity when a backup is restored, refuses that cursor
    even though new changes have pushed head past it."""
    from archive_repo.dav.changes import LOG_KEY, new_feed_id
    env = build_env(tmp_path)
    for _ in range(3):
        env.deposit()
    page = feed(env)
    kept = (page["feed"], page["cursor"])
    conn = env.conn()
    with conn.transaction_manager:
        del conn.root()[LOG_KEY]          # the log is lost and rebuilt
    conn.close()
    close_env(env)
    env = build_env(tmp_path)
    env.deposit()
    env.deposit()
    assert feed(env)["head"] == 5 > kept[1]
    res = env.testapp.get(FEED, params={"since": kept[1], "feed": kept[0]},
                          headers=env.auth("connector"), status=409)
    assert res.json["error"]["code"] == "feed_changed"
    current = feed(env)["feed"]
    conn = env.conn()
    with conn.transaction_manager:
        assert new_feed_id(conn) != current
    conn.close()
    env.testapp.get(FEED, params={"since": 5, "feed": current},
                    headers=env.auth("connector"), status=409)
    close_env(env)


def test_the_feed_id_survives_a_restart(tmp_path):
    env = build_env(tmp_path)
    first = feed(env)["feed"]
    close_env(env)
    again = build_env(tmp_path)
    assert feed(again)["feed"] == first
    close_env(again)


def test_a_revalidation_event_enters_the_feed(archive):
    """What ``archive-repo revalidate`` fires for each record it re-checks."""
    from archive_repo.events import RecordModified
    conn = archive.conn()
    with conn.transaction_manager:
        record = archive.root(conn).agencies[H38][2026][1]
        archive.registry.notify(RecordModified(record, None, what="revalidation"))
    conn.close()
    last = feed(archive, 3)["changes"]
    assert [(c["what"], c["path"], c["version"]) for c in last] == [
        ("revalidation", "/%s/2026/1" % H38, 1)]


def test_feed_urls_follow_the_mount_prefix(archive):
    from webtest import TestApp
    from tests.dav.conftest import PrefixMount
    mounted = TestApp(PrefixMount(archive.app, "/archive"), lint=False)
    change = mounted.get("/archive" + FEED, params={"since": 0, "limit": 1},
                         headers=archive.auth("connector")).json["changes"][0]
    assert change["url"] == "http://localhost/archive/%s/2026/1" % H38
    assert change["dav_url"] == "http://localhost/archive/dav/%s/2026/1/" % H38
    mounted.get(urlsplit(change["dav_url"]).path, headers=archive.auth("connector"))


def test_a_log_from_before_feed_ids_gets_one_at_startup(tmp_path):
    from archive_repo.dav.changes import LOG_KEY
    env = build_env(tmp_path)
    env.deposit()
    conn = env.conn()
    with conn.transaction_manager:
        # as stored before identities existed, by a release without the step
        del conn.root()[LOG_KEY].feed_id
        del conn.root()["archive_repo"].evolved["2026-12-change-feed-identity"]
    conn.close()
    close_env(env)
    again = build_env(tmp_path)
    page = feed(again)
    assert len(page["feed"]) == 32 and page["head"] == 1
    assert feed(again)["feed"] == page["feed"]
    close_env(again)


def test_entries_and_summaries_stored_as_datetimes_are_evolved_to_stamps(tmp_path):
    """Logs written before instants became stamps (aware datetimes in the
    tuples) are rewritten by the evolve step at start-up, and then answer the
    feed, since_time and PROPFIND alike."""
    from archive_repo.resources import get_root
    from archive_repo import timeutil
    from archive_repo.dav.changes import LOG_KEY
    from archive_repo.dav.summaries import SUMMARIES_KEY
    env = build_env(tmp_path)
    env.deposit()
    env.deposit()
    feed(env)                                       # numbers the two entries
    conn = env.conn()
    with conn.transaction_manager:
        log = conn.root()[LOG_KEY]
        stamp, path, what, version, visible = log.entries[1]
        assert isinstance(stamp, int)               # what a deposit stores now
        first_at = timeutil.from_stamp(stamp)
        log.entries[1] = (first_at, path, what, version, first_at)
        year = conn.root()[SUMMARIES_KEY][(H38, 2026)]
        stored = year[1]
        created_at = timeutil.from_stamp(stored[1])
        year[1] = (timeutil.from_stamp(stored[0]), created_at) + stored[2:]
        del get_root(conn).evolved["2026-12-change-feed-stamps"]
    conn.close()
    close_env(env)
    again = build_env(tmp_path)
    conn = again.conn()
    with conn.transaction_manager:
        log = conn.root()[LOG_KEY]
        assert isinstance(log.entries[1][0], int) and isinstance(log.entries[1][4], int)
        summaries = conn.root()[SUMMARIES_KEY]
        assert all(isinstance(v, int) for v in summaries[(H38, 2026)][1][:2])
    conn.close()
    changes = feed(again)["changes"]
    assert [c["at"] for c in changes][0] == timeutil.isoformat(first_at)
    page = again.testapp.get(FEED, params={"since_time": first_at.isoformat()},
                             headers=again.auth("connector")).json
    assert [c["seq"] for c in page["changes"]] == [1, 2]
    body = again.testapp.request("/dav/%s/2026/" % H38, method="PROPFIND",
                                 headers=dict(again.auth("connector"), Depth="1")).body
    tree = etree.fromstring(body)
    created = tree.xpath("//d:response[contains(d:href, '/2026/1/')]//d:creationdate/text()",
                         namespaces={"d": "DAV:"})
    from datetime import datetime
    assert len(created) == 1
    assert datetime.fromisoformat(created[0]) == created_at.replace(microsecond=0)
    close_env(again)


def test_stamps_round_trip_to_the_microsecond_in_vietnam_time():
    from datetime import datetime, timedelta
    from archive_repo import timeutil
    moment = datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=timezone.utc)
    back = timeutil.from_stamp(timeutil.to_stamp(moment))
    assert back == moment and back.utcoffset() == timedelta(hours=7)
    assert back.isoformat().startswith("2026-12-02T06:59:59.999999+07:00")
    assert timeutil.to_stamp(None) is None and timeutil.from_stamp(None) is None
