"""The audit trail on a real FileStorage: concurrent appends merge, a flush
racing appends merges, nothing is ever lost."""
import threading

import pytest
import transaction
import ZODB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

from archive_repo.audit import AuditLog, get_log, make_entry


@pytest.fixture(autouse=True)
def exact_flush(monkeypatch):
    """These tests place appends on either side of the flush threshold."""
    monkeypatch.setattr(AuditLog, "FLUSH_SPREAD", 0)


@pytest.fixture
def db(tmp_path):
    database = ZODB.DB(FileStorage(str(tmp_path / "Audit.fs")))
    tm = transaction.TransactionManager()
    conn = database.open(transaction_manager=tm)
    with tm:
        get_log(conn)
    conn.close()
    yield database
    database.close()


def _open(db):
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    tm.begin()
    return conn, tm


def _entry(target, n):
    return make_entry(None, "read_document", target, n=n)


def test_two_concurrent_appends_are_merged(db):
    c1, t1 = _open(db)
    c2, t2 = _open(db)
    get_log(c1).append(_entry("/a", 1))
    get_log(c2).append(_entry("/b", 2))
    t1.commit()
    t2.commit()                       # resolved, not refused
    c3, t3 = _open(db)
    log = get_log(c3)
    assert len(log) == 2
    assert [e["detail"]["n"] for e in log.for_target("/a")] == [1]
    assert [e["detail"]["n"] for e in log.for_target("/b")] == [2]
    for c in (c1, c2, c3):
        c.close()


def test_flush_racing_appends_keeps_every_entry(db):
    c0, t0 = _open(db)
    log = get_log(c0)
    for n in range(AuditLog.FLUSH_AT - 2):
        log.append(_entry("/doc", n))
    t0.commit()
    c1, t1 = _open(db)
    c2, t2 = _open(db)
    get_log(c1).append(_entry("/doc", "flusher"))
    get_log(c1).flush()
    get_log(c2).append(_entry("/doc", "racer"))          # one short of a flush
    assert get_log(c1).tail_of("/doc").entries == ()
    assert len(get_log(c2).tail_of("/doc").entries) == AuditLog.FLUSH_AT - 1
    t1.commit()
    t2.commit()                                         # merged: racer stays in the tail
    c3, _ = _open(db)
    log = get_log(c3)
    assert len(log) == AuditLog.FLUSH_AT
    assert len(log.tail_of("/doc").entries) == 1
    ns = [e["detail"]["n"] for e in log.for_target("/doc")]
    assert "flusher" in ns and "racer" in ns and len(ns) == AuditLog.FLUSH_AT
    assert log.latest(1)[0]["detail"]["n"] == "racer"
    for c in (c0, c1, c2, c3):
        c.close()


def test_two_flushes_conflict(db):
    """Both appenders fill the tail and flush: not mergeable, one replays."""
    c0, t0 = _open(db)
    log = get_log(c0)
    for n in range(AuditLog.FLUSH_AT - 1):
        log.append(_entry("/doc", n))
    t0.commit()
    c1, t1 = _open(db)
    c2, t2 = _open(db)
    get_log(c1).append(_entry("/doc", "one"))
    get_log(c2).append(_entry("/doc", "two"))
    t1.commit()
    with pytest.raises(ConflictError):
        t2.commit()
    t2.abort()
    for c in (c0, c1, c2):
        c.close()


def test_many_threads_append_without_losing_entries(db):
    errors = []

    def worker(i):
        for n in range(30):
            for attempt in range(20):
                conn, tm = _open(db)
                try:
                    get_log(conn).append(_entry("/t%d" % i, n))
                    tm.commit()
                    break
                except ConflictError:
                    tm.abort()
                finally:
                    conn.close()
            else:
                errors.append((i, n))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    conn, _ = _open(db)
    log = get_log(conn)
    assert len(log) == 180
    assert all(len(log.for_target("/t%d" % i)) == 30 for i in range(6))
    conn.close()


def test_a_lost_entry_is_an_error_an_operator_sees(tmp_path, caplog):
    """The audit database cannot be written: the entry is logged at ERROR
    (whole, to be re-entered) and counted for /health — never a silent line."""
    import logging
    from archive_repo import audit, db
    from tests.conftest import build_env, close_env
    env = build_env(tmp_path)
    try:
        db.database(env.registry, audit.AUDIT_DB).close()
        entry = audit.make_entry(None, "read", "/x/2026/1", "refused")
        with caplog.at_level(logging.ERROR, logger="archive_repo.audit"):
            assert audit.write_standalone(env.registry, entry) is False
        assert audit.health_of(env.registry).lost == 1
        assert '"target": "/x/2026/1"' in caplog.text and "AUDIT ENTRY LOST" in caplog.text
    finally:
        close_env(env)


def test_appends_flush_at_thresholds_spread_over_a_range(db, monkeypatch):
    """Every append at one threshold flushed together (two flushes cannot
    merge): each append draws its own in FLUSH_AT … FLUSH_AT+SPREAD-1."""
    monkeypatch.setattr(AuditLog, "FLUSH_SPREAD", 25)
    conn, tm = _open(db)
    log, sizes, before = get_log(conn), set(), 0
    for n in range(60 * AuditLog.FLUSH_AT):
        log.append(_entry("/doc", n))
        now = len(log.tail_of("/doc").entries)
        if now < before:
            sizes.add(before + 1)
        before = now
    assert min(sizes) >= AuditLog.FLUSH_AT and max(sizes) < AuditLog.FLUSH_AT + 25
    assert len(sizes) > 5
    assert len(log) == 60 * AuditLog.FLUSH_AT
    tm.abort()
    conn.close()
