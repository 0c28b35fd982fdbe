"""The registration step (``retrying.run_step``): a conflict replays only
the step, never the rules; out of attempts it is 503 ``busy`` with
Retry-After and nothing of the request is stored.

The conflict is real: while the step runs, "another server" (a second
connection with its own transaction manager, on the same FileStorage)
commits a deposit of the very number the step is taking."""
import transaction

from tests.conftest import H38, build_env, close_env
from tests.foundation.test_deposit_http import error_of


def intrude(env, times):
    """On the next ``times`` deposits' RecordAdded, commit the number being
    taken from another connection first; returns the numbers taken so."""
    from archive_repo.events import RecordAdded
    from archive_repo.resources import Record
    taken = []

    def another_server(event):
        if len(taken) >= times:
            return
        conn = env.registry._zodb_databases[""].open(
            transaction_manager=transaction.TransactionManager())
        try:
            year = env.root(conn).agencies[H38].data[2026]
            year.add(event.record.number, Record(event.record.number,
                                                 dict(event.record.metadata), "other"))
            conn.transaction_manager.commit()
            taken.append(event.record.number)
        finally:
            conn.close()
    env.registry.registerHandler(another_server, (RecordAdded,))
    return taken


def count_rule_runs(env, monkeypatch):
    from archive_repo.views import containers
    runs = []
    real = containers.evaluate_file

    def counted(*args, **kw):
        runs.append(1)
        return real(*args, **kw)
    monkeypatch.setattr(containers, "evaluate_file", counted)
    return runs


def numbers(env):
    conn = env.conn()
    try:
        return list(env.root(conn).agencies[H38].data[2026].keys())
    finally:
        conn.close()


def test_a_conflict_replays_the_step_not_the_rules(env, monkeypatch):
    env.deposit()                               # the year exists: number 1
    runs = count_rule_runs(env, monkeypatch)
    taken = intrude(env, times=3)
    res = env.deposit()
    assert taken == [2, 3, 4]                   # three attempts lost their number
    assert res.json["number"] == 5
    assert len(runs) == 1                       # the rules ran once
    assert sorted(numbers(env)) == [1, 2, 3, 4, 5]
    # the winner's audit entry, feed entry and catalog entry are there once
    from tests.foundation.test_deposit_http import latest_audit
    entry = latest_audit(env)[0]
    assert entry["action"] == "deposit" and entry["target"].endswith("/2026/5")
    from archive_repo import db
    from archive_repo.dav.changes import get_log, sequence_now
    sequence_now(db.database(env.registry))        # as a feed reader does first
    conn = env.conn()
    try:
        feed = get_log(conn)
        assert [c.path for c in feed.since(0, 10)[0]] == ["/%s/2026/1" % H38,
                                                          "/%s/2026/5" % H38]
    finally:
        conn.close()


def test_out_of_attempts_is_503_busy_and_nothing_stored(tmp_path):
    env = build_env(tmp_path, **{"archive_repo.registration_attempts": "3"})
    try:
        env.deposit()
        taken = intrude(env, times=100)
        res = env.deposit(status=503)
        error = error_of(res, "busy", 503)
        assert res.headers["Retry-After"] == "2"
        assert error["details"] == [{"attempts": 3}]
        assert taken == [2, 3, 4]
        # only the other server's deposits: none of the refused request
        conn = env.conn()
        try:
            year = env.root(conn).agencies[H38].data[2026]
            assert [year[n].deposited_by for n in (2, 3, 4)] == ["other"] * 3
            from archive_repo.dav.changes import get_log
            # one feed entry (numbered or not yet): the first deposit's
            assert get_log(conn).agencies[H38].last_key() == 1
        finally:
            conn.close()
        from tests.foundation.test_deposit_http import blob_files
        assert len([f for f in blob_files(env) if f.endswith(".blob")]) == 1
        assert [f for f in blob_files(env) if not f.endswith(".blob")] == []
    finally:
        close_env(env)


def test_a_conflict_escaping_pyramid_retry_is_503_not_500(tmp_path):
    from ZODB.POSException import ConflictError
    env = build_env(tmp_path, **{"retry.attempts": "2"})
    try:
        def always_conflicts(request):
            raise ConflictError("made for the test")
        config_app(env, always_conflicts)
        res = env.testapp.get("/conflict-for-test", headers={"Accept": "application/json"},
                              status=503)
        error_of(res, "busy", 503)
        assert res.headers["Retry-After"] == "2"
    finally:
        close_env(env)


def config_app(env, view):
    from pyramid.config import Configurator
    config = Configurator(registry=env.registry)
    config.add_route("conflict_for_test", "/conflict-for-test")
    config.add_view(view, route_name="conflict_for_test", permission="__no_permission_required__")
    config.commit()
