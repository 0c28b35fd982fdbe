"""One audit tail per agency (audit/__init__.py): requests about two
agencies never write the same object, readers merge the tails with the
filed entries, and an audit log of the one-tail shape is converted by its
evolve step."""
import transaction
import ZODB
from ZODB.FileStorage import FileStorage

from archive_repo.audit import AuditLog, AuditTail, get_log, make_entry

A, B = "/000.00.00.H38/2026/1", "/000.00.04.STTTT/2026/1"


def _open(db):
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    tm.begin()
    return conn, tm


def _entry(target, n):
    return make_entry(None, "read_document", target, n=n)


def written_oids(storage, last):
    """The oids each of the ``last`` transactions wrote."""
    return [{record.oid for record in txn} for txn in storage.iterator()][-last:]


def test_appends_about_two_agencies_write_no_object_in_common(tmp_path, monkeypatch):
    """Each request rewrote the single tail: two requests of two agencies
    wrote one object (merged by conflict resolution, and invalidated in
    every other connection's cache).  Now they write disjoint objects."""
    monkeypatch.setattr(AuditLog, "FLUSH_SPREAD", 0)    # no flush before the end
    storage = FileStorage(str(tmp_path / "Audit.fs"))
    db = ZODB.DB(storage)
    try:
        c0, t0 = _open(db)
        log = get_log(c0)
        for n in range(AuditLog.FLUSH_AT - 2):
            log.append(_entry(A, n))
            log.append(_entry(B, n))
        t0.commit()
        c1, t1 = _open(db)
        c2, t2 = _open(db)
        get_log(c1).append(_entry(A, "a"))
        get_log(c2).append(_entry(B, "b"))
        t1.commit()
        t2.commit()
        first, second = written_oids(storage, 2)
        assert first and second and not first & second
        c3, t3 = _open(db)
        log = get_log(c3)
        assert len(log) == 2 * AuditLog.FLUSH_AT - 2
        for target, last in ((A, "a"), (B, "b")):
            ns = [e["detail"]["n"] for e in log.for_target(target)]
            assert ns == list(range(AuditLog.FLUSH_AT - 2)) + [last]
        log.flush()                                 # the BTrees, then a tail again
        log.append(_entry(A, "after"))
        newest = [e["detail"]["n"] for e in log.newest_first() if e["target"] == A]
        assert newest == ["after", "a"] + list(range(AuditLog.FLUSH_AT - 3, -1, -1))
        assert [e["detail"]["n"] for e in log.latest(2)] == ["after", "b"]
        t3.abort()
        for c in (c0, c1, c2, c3):
            c.close()
    finally:
        db.close()


def test_a_one_tail_log_is_converted_at_start_up(tmp_path):
    from archive_repo import audit
    from tests.conftest import build_env, close_env
    env = build_env(tmp_path)
    conn = env.conn()
    with conn.transaction_manager:
        log = get_log(conn.get_connection(audit.AUDIT_DB))
        before = len(log)
        old = AuditTail()                       # as the one-tail release kept it
        old.entries = tuple(row for tail in log.tails.values() for row in tail.entries)
        old.append((1,) + audit._pack(_entry(A, "old")))
        log.tail = old
        del log.tails
        del conn.root()["archive_repo"].evolved["2026-12-audit-tails-per-agency"]
    conn.close()
    close_env(env)
    again = build_env(tmp_path)
    conn = again.conn()
    with conn.transaction_manager:
        log = get_log(conn.get_connection(audit.AUDIT_DB))
        assert "tail" not in log.__dict__ and len(log) >= before + 1
        assert [e["detail"]["n"] for e in log.for_target(A)] == ["old"]
    conn.close()
    close_env(again)
