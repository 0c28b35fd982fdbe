"""The cursor each node's index follows the change feed with
(indexing/follow.py), on one process and a FileStorage: what another
node's worker took from the shared outbox still reaches this index; a
document already current is not rewritten; the cursor's rules."""
import json

import pytest

from tests.conftest import STTTT, build_env, close_env
from tests.workflow.conftest import accept


@pytest.fixture
def env(tmp_path):
    env = build_env(tmp_path, **{"archive_repo.index_worker": "false"})
    yield env
    close_env(env)


def follow_once(env):
    """One follower round in its own transaction, after numbering what
    waits (as the worker does): ``(entries read, rewritten)``."""
    from archive_repo import db
    from archive_repo.indexing import fulltext_of, worker_of
    from archive_repo.indexing.follow import follow, sequence_now
    worker = worker_of(env.registry)
    sequence_now(db.database(env.registry))
    conn = env.conn()
    try:
        conn.transaction_manager.begin()
        return follow(env.root(conn), fulltext_of(env.registry), worker.write_chunked)
    finally:
        conn.transaction_manager.abort()
        conn.close()


def take_outbox(env):
    """What another node's worker does: take (remove) every batch, without
    writing this node's index."""
    from archive_repo.indexing.outbox import get_outbox
    conn = env.conn()
    with conn.transaction_manager:
        outbox = get_outbox(env.root(conn))
        for key, _ in outbox.oldest(1000):
            outbox.done(key)
    conn.close()


def cursor(env):
    from archive_repo.indexing import fulltext_of
    from archive_repo.indexing.follow import CURSOR_FILE
    with open("%s/%s" % (fulltext_of(env.registry).directory, CURSOR_FILE)) as f:
        return json.load(f)


def paths(env):
    from archive_repo.indexing import fulltext_of
    return fulltext_of(env.registry).paths()


def test_what_another_node_took_from_the_outbox_is_indexed_from_the_feed(env):
    first = env.deposit().json
    env.deposit()
    take_outbox(env)
    assert paths(env) == set()
    assert follow_once(env) == (2, 2)
    assert paths(env) == {"/%s/2026/%d" % (first["agency"], n) for n in (1, 2)}
    assert cursor(env)["seq"] == 2
    assert follow_once(env) == (0, 0)          # nothing new


def test_a_document_already_current_is_not_rewritten(env):
    from archive_repo.indexing import worker_of
    record = env.deposit().json
    worker_of(env.registry).drain()             # the outbox wrote it; the feed confirms
    head = cursor(env)["seq"]
    accept(env, record, STTTT)                  # in the feed, the text unchanged
    read, rewritten = follow_once(env)
    assert (read, rewritten) == (1, 0) and cursor(env)["seq"] == head + 1


def test_a_new_feed_is_followed_from_its_start(env):
    from archive_repo.dav.changes import new_feed_id
    from archive_repo.indexing import worker_of
    env.deposit()
    env.deposit()
    worker_of(env.registry).drain()
    conn = env.conn()
    with conn.transaction_manager:
        new_feed_id(conn)                       # as after restoring a backup
    conn.close()
    assert follow_once(env) == (2, 0)           # read again, all current already


def test_an_index_without_a_cursor_starts_at_the_head_and_an_empty_one_at_zero(env, tmp_path):
    import os
    from archive_repo.indexing import fulltext_of, worker_of
    from archive_repo.indexing.follow import CURSOR_FILE, follow
    from archive_repo import db
    from archive_repo.indexing.fulltext import FullText
    from archive_repo.indexing.worker import IndexWorker
    from archive_repo.resources import get_root
    env.deposit()
    worker_of(env.registry).drain()
    os.remove(os.path.join(fulltext_of(env.registry).directory, CURSOR_FILE))
    env.deposit()
    take_outbox(env)
    # an index from before the cursor existed: trusted up to the head (record
    # 2, taken by "another node", stays missing here: check-index says so)
    assert follow_once(env) == (0, 0)
    assert cursor(env)["seq"] == 2
    # a new node's empty folder: built from the feed's start
    fresh = FullText(str(tmp_path / "new-node-index"))
    conn = env.conn()
    try:
        conn.transaction_manager.begin()
        other = IndexWorker(db.database(env.registry), fresh, get_root)
        assert follow(env.root(conn), fresh, other.write_chunked) == (2, 2)
    finally:
        conn.transaction_manager.abort()
        conn.close()
    assert fresh.paths() == {"/000.00.00.H38/2026/1", "/000.00.00.H38/2026/2"}
    fresh.close()
