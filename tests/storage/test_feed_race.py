"""The change feed under racing transactions (dav/changes.py): changes in
two agencies commit side by side without a ConflictError, and the feed
numbers every one of them once, gap-free, each agency in its own order —
also when a change that began first commits last.  On a real FileStorage
and on ZEO (``runzeo``)."""
import threading

import pytest
from ZODB.POSException import ConflictError

from tests.conftest import H38, STTTT, build_env, close_env
from tests.storage.conftest import _start
from tests.support.threads import race

NOTES = 25          # changes per agency in the threaded race


@pytest.fixture(scope="module", params=["file", "zeo"])
def env(request, tmp_path_factory):
    backend, server = _start(request.param, request, tmp_path_factory)
    folder = tmp_path_factory.mktemp("node")
    env = build_env(folder, **dict(backend.settings(folder),
                                   **{"archive_repo.index_worker": "false"}))
    env.paths = {code: env.deposit(agency=code, meta={"receivers": []}).json["url"]
                 for code in (H38, STTTT)}
    yield env
    close_env(env)
    if server is not None:
        server.stop()


def path_of(url):
    return "/" + url.split("/", 3)[3]


def note_in(conn, code, env, what):
    from archive_repo.dav.changes import note
    from archive_repo.indexing.rebuild import resolve
    note(resolve(env.root(conn), path_of(env.paths[code])), what)


def sequence(env):
    from archive_repo import db
    from archive_repo.dav.changes import sequence_now
    return sequence_now(db.database(env.registry))


def whole_feed(env, since=0):
    page = env.testapp.get("/dav/changes", params={"since": since, "limit": 5000},
                           headers=env.auth("connector")).json
    assert not page["more"]
    return page


def test_two_agencies_commit_side_by_side_and_the_late_one_is_not_skipped(env):
    head = whole_feed(env)["head"]
    early, late = env.conn(), env.conn()
    try:
        early.transaction_manager.begin()
        late.transaction_manager.begin()
        note_in(early, H38, env, "early")       # the older time…
        note_in(late, STTTT, env, "late")
        late.transaction_manager.commit()       # …commits last
        seen = whole_feed(env, head)            # numbers "late" now
        assert [c["what"] for c in seen["changes"]] == ["late"]
        early.transaction_manager.commit()      # no ConflictError: another agency
    finally:
        early.close()
        late.close()
    after = whole_feed(env, seen["cursor"])
    assert [(c["seq"], c["what"]) for c in after["changes"]] == [(head + 2, "early")]
    assert after["head"] == head + 2


def test_racing_writers_of_two_agencies_and_a_sequencer(env):
    head = whole_feed(env)["head"]
    conflicts, stop = [], threading.Event()

    def writer(i):
        code = (H38, STTTT)[i]
        conn = env.conn()
        try:
            for n in range(NOTES):
                with conn.transaction_manager:
                    note_in(conn, code, env, "race-%s-%02d" % (code, n))
        except ConflictError as exc:
            conflicts.append(repr(exc))
        finally:
            conn.close()

    def sequencer():
        while not stop.is_set():
            sequence(env)

    numbering = threading.Thread(target=sequencer)
    numbering.start()
    try:
        _, errors = race(2, writer)
    finally:
        stop.set()
        numbering.join()
    assert errors == [] and conflicts == []
    changes = whole_feed(env, head)["changes"]
    assert [c["seq"] for c in changes] == list(range(head + 1, head + 1 + 2 * NOTES))
    for code in (H38, STTTT):
        mine = [c["what"] for c in changes if c["path"] == path_of(env.paths[code])]
        assert mine == ["race-%s-%02d" % (code, n) for n in range(NOTES)]
    assert whole_feed(env, head)["changes"] == changes      # numbers are stable


def test_two_agencies_changing_one_record_at_once_do_not_conflict(env):
    """Two receivers accepting deliveries of one record: each change goes to
    the log of the agency that made it, the listing summary is not
    rewritten (nothing it shows changed) and the record's touch stamps
    merge — the newest wins."""
    from archive_repo.dav.changes import note
    from archive_repo.dav.summaries import get_touched, touched_at
    from archive_repo.indexing.rebuild import resolve
    head = whole_feed(env)["head"]
    path = path_of(env.paths[H38])
    first, second = env.conn(), env.conn()
    try:
        for conn, writer in ((first, STTTT), (second, "000.00.50.H38")):
            conn.transaction_manager.begin()
            note(resolve(env.root(conn), path), "delivery", writer)
        first.transaction_manager.commit()
        second.transaction_manager.commit()         # merged, not refused
    finally:
        first.close()
        second.close()
    changes = whole_feed(env, head)["changes"]
    assert [(c["path"], c["what"]) for c in changes] == [(path, "delivery")] * 2
    conn = env.conn()
    try:
        conn.transaction_manager.begin()
        record = resolve(env.root(conn), path)
        stamp = touched_at(get_touched(conn), H38, 2026, record.number)
        from archive_repo import timeutil
        assert timeutil.isoformat(stamp) == max(c["at"] for c in changes)   # the newest
    finally:
        conn.transaction_manager.abort()
        conn.close()
