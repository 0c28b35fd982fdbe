"""Long jobs retry a conflicting batch (``retrying.commit_retrying``), on a
real FileStorage: another connection commits a conflicting change while the
batch is in hand, so its commit really raises ConflictError."""
import transaction
from persistent.mapping import PersistentMapping
from ZODB import DB
from ZODB.FileStorage import FileStorage


def test_a_conflicting_batch_is_run_again_and_the_job_carries_on(tmp_path):
    from archive_repo.retrying import commit_retrying
    db = DB(FileStorage(str(tmp_path / "Data.fs")))
    try:
        with db.transaction() as conn:
            conn.root.tree = PersistentMapping()
        job_tm = transaction.TransactionManager(explicit=True)
        job = db.open(transaction_manager=job_tm)
        job_tm.begin()
        runs = []

        def batch():
            runs.append(1)
            job.root.tree["count"] = len(runs)
            if len(runs) <= 2:          # a concurrent writer wins twice
                with db.transaction() as other:
                    other.root.tree["count"] = -len(runs)
            return "done"
        assert commit_retrying(job_tm, batch) == "done"
        assert len(runs) == 3
        job_tm.abort()
        with db.transaction() as conn:
            assert conn.root.tree["count"] == 3
        job.close()
    finally:
        db.close()


def test_out_of_attempts_the_conflict_is_raised(tmp_path):
    import pytest
    from ZODB.POSException import ConflictError
    from archive_repo.retrying import commit_retrying
    db = DB(FileStorage(str(tmp_path / "Data.fs")))
    try:
        with db.transaction() as conn:
            conn.root.tree = PersistentMapping()
        tm = transaction.TransactionManager(explicit=True)
        job = db.open(transaction_manager=tm)
        tm.begin()

        def batch():
            job.root.tree["k"] = 1
            with db.transaction() as other:
                other.root.tree["k"] = 2
        with pytest.raises(ConflictError):
            commit_retrying(tm, batch, attempts=3)
        tm.abort()
        job.close()
    finally:
        db.close()


def test_revalidate_resumes_after_a_conflict_and_does_each_record_once(env):
    """``revalidate`` as its command runs it: a concurrent writer changes a
    record the job has revalidated but not yet committed; the job's commit
    conflicts, it resumes, and every record ends with one report of the run."""
    import transaction as txn
    from archive_repo import db
    from archive_repo.events import RecordModified
    from archive_repo.resources import get_root
    from archive_repo.retrying import rerun_on_conflict
    from archive_repo.rules import rule_policy
    from archive_repo.rules.revalidate import job_state, JOB, revalidate
    from tests.conftest import H38
    for _ in range(3):
        env.deposit()
    intruded = []

    def another_writer(event):
        if intruded or event.info.get("what") != "revalidation":
            return
        with db.opened(db.database(env.registry)) as other:
            other.transaction_manager.begin()
            record = get_root(other).agencies[H38].data[2026][event.record.number]
            record.current.reports.append({"kind": "note"})
            other.transaction_manager.commit()
        intruded.append(event.record.number)
    env.registry.registerHandler(another_writer, (RecordModified,))
    tm = txn.TransactionManager(explicit=True)
    conn = db.database(env.registry).open(transaction_manager=tm)
    try:
        tm.begin()
        root = get_root(conn)

        def commit():
            tm.commit()
            tm.begin()
        rerun_on_conflict(tm, lambda resume: revalidate(
            root, rule_policy(env.registry), commit, resume=resume, every=50,
            registry=env.registry))
        assert intruded                     # the race really happened…
        # …and was not overwritten: the job's commit conflicted and resumed
        noted = root.agencies[H38].data[2026][intruded[0]].current.reports
        assert {"kind": "note"} in list(noted)
        run_id = job_state(root)[JOB]["run_id"]
        assert job_state(root)[JOB]["finished"]
        for record in root.agencies[H38].data[2026].values():
            runs = [r for r in record.current.reports if r.get("run_id") == run_id]
            assert len(runs) == 1
        tm.abort()
    finally:
        conn.close()
