"""Evolve step ``2026-12-change-feed-per-agency``: a change log of the
single-log shape (numbered entries of 4 fields, ``latest`` and the listing
summaries inside the log) is converted at start-up; the cursors and the feed
id handed out before keep their meaning, and the log goes on numbering."""
from BTrees.OOBTree import OOBTree

from tests.conftest import H38, STTTT, build_env, close_env

FEED = "/dav/changes"
STEP = "2026-12-change-feed-per-agency"


def feed(env, **params):
    return env.testapp.get(FEED, params=params, headers=env.auth("connector")).json


def write_old_shape(env):
    """What a release before this step stored."""
    from archive_repo.dav.changes import LOG_KEY
    from archive_repo.dav.summaries import SUMMARIES_KEY, TOUCHED_KEY
    conn = env.conn()
    with conn.transaction_manager:
        root = conn.root()
        log = root[LOG_KEY]
        latest = OOBTree()
        for seq, stored in list(log.entries.items()):
            log.entries[seq] = tuple(stored[:4])
            latest[stored[1]] = seq
        log.latest = latest
        log.summaries = root[SUMMARIES_KEY]
        del root[SUMMARIES_KEY]
        del root[TOUCHED_KEY]
        del log.agencies
        del log.sequenced
        del root["archive_repo"].evolved[STEP]
    conn.close()


def test_an_old_log_is_converted_and_old_cursors_keep_their_meaning(tmp_path):
    from archive_repo.dav.changes import LOG_KEY
    from archive_repo.dav.summaries import SUMMARIES_KEY, TOUCHED_KEY
    env = build_env(tmp_path)
    env.deposit()
    env.deposit(agency=STTTT, meta={"receivers": []})
    before = feed(env, since=0)
    assert before["head"] == 2
    write_old_shape(env)
    close_env(env)

    again = build_env(tmp_path)             # start-up runs the step
    conn = again.conn()
    with conn.transaction_manager:
        root = conn.root()
        log = root[LOG_KEY]
        assert "summaries" not in log.__dict__ and "latest" not in log.__dict__
        assert len(log.entries[1]) == 5 and (H38, 2026) in root[SUMMARIES_KEY]
        # ``latest`` became the records' touch stamps
        assert set(root[TOUCHED_KEY]) == {(H38, 2026), (STTTT, 2026)}
    conn.close()
    # the connector's stored cursor (1) and feed id still mean the same
    page = feed(again, since=1, feed=before["feed"])
    assert page["changes"] == before["changes"][1:] and page["head"] == 2
    again.deposit()
    page = feed(again, since=page["cursor"], feed=before["feed"])
    assert [(c["seq"], c["path"]) for c in page["changes"]] == [(3, "/%s/2026/2" % H38)]
    # listings read the moved summaries; last-modified from the agencies' logs
    body = again.testapp.request("/dav/%s/2026/" % H38, method="PROPFIND",
                                 headers=dict(again.auth("connector"), Depth="1")).body
    assert body.count(b"<D:response>") == 3 or body.count(b":response>") == 3
    close_env(again)
