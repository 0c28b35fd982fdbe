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
