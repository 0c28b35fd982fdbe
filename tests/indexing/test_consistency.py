"""The full-text index never disagrees with ZODB for long: a crash between
the commit and the index write is repaired at start-up, an aborted
transaction never reaches the index, changes after deposit reach both
indexes, and applying the outbox twice is harmless."""
import subprocess
import sys
from pathlib import Path

from ZODB import DB
from ZODB.FileStorage import FileStorage

from archive_repo.events import RecordAdded
from tests.support.pdfs import make_pdf

from .conftest import H38, STTTT, paths, restarted, search, settle
from archive_repo.indexing import fulltext_of, worker_of  # noqa: E402

CHILD = Path(__file__).with_name("crash_child.py")
CRASHED = "/%s/2026/42" % H38


def _peek(tmp_path):
    """Outbox and catalog as stored, read straight from the FileStorage."""
    from archive_repo.indexing.catalog import get_catalog
    from archive_repo.indexing.outbox import get_outbox
    from archive_repo.resources import get_root
    db = DB(FileStorage(str(tmp_path / "Data.fs"), read_only=True))
    try:
        conn = db.open()
        root = get_root(conn)
        return get_outbox(root).paths(), get_catalog(root).contains(CRASHED)
    finally:
        db.close()


def test_crash_after_commit_before_index_write_is_repaired_at_start_up(tmp_path):
    child = subprocess.run([sys.executable, str(CHILD), str(tmp_path)], capture_output=True,
                           text=True, timeout=120)
    assert child.returncode == -9, child.stderr[-2000:]
    assert "committed" in child.stdout

    from archive_repo.indexing.fulltext import FullText
    index = FullText(str(tmp_path / "index"))
    assert CRASHED not in index.paths()          # the crash beat the index write
    index.close()
    pending, catalogued = _peek(tmp_path)
    assert pending == {CRASHED} and catalogued   # ...but the outbox kept the work

    with restarted(tmp_path) as env:
        assert paths(search(env, q="chu ky so chuyen dung")) == [CRASHED]
        assert _peek(tmp_path)[0] == set()


def test_aborted_deposit_is_never_findable(ienv):
    def fail_after_indexing(event):
        raise RuntimeError("a later step of the deposit fails")

    ienv.registry.registerHandler(fail_after_indexing, (RecordAdded,))
    try:
        ienv.deposit(meta={"number": 9, "subject": "Văn bản bị hủy giữa chừng"},
                     pdf=make_pdf(lines=["Văn bản bị hủy giữa chừng"]), status=500,
                     expect_errors=True)
    except RuntimeError:
        pass                                     # no exception view: same abort
    ienv.registry.unregisterHandler(fail_after_indexing, (RecordAdded,))
    ienv.deposit(meta={"number": 10})            # a later commit wakes the worker
    settle(ienv)
    assert search(ienv, q="huy giua chung")["total"] == 0
    conn = ienv.conn()
    try:
        from archive_repo.indexing.catalog import get_catalog
        catalog = get_catalog(ienv.root(conn))
        assert not catalog.contains("/%s/2026/9" % H38)
        assert catalog.contains("/%s/2026/10" % H38)
    finally:
        conn.close()
    assert "/%s/2026/9" % H38 not in fulltext_of(ienv.registry).paths()


def test_recall_reaches_catalog_and_full_text(ienv):
    record = ienv.deposit(meta={"number": 3}).json
    settle(ienv)
    assert search(ienv, q="chuyen doi so", recalled="true")["total"] == 0
    ienv.testapp.post_json("/%s/2026/3/recall" % H38, {"reason": "Ban hành sai thẩm quyền."},
                           headers=dict(ienv.auth(("clerk", H38)), Accept="application/json"))
    settle(ienv)
    found = search(ienv, q="chuyen doi so", recalled="true")
    assert paths(found) == [record["url"].split("localhost", 1)[1]]
    assert found["results"][0]["recalled"] is True
    conn = ienv.conn()
    try:
        from archive_repo.indexing.catalog import get_catalog
        catalog = get_catalog(ienv.root(conn))
        assert catalog.query(recalled=True)[0] == 1
        assert catalog.query(delivery_states_any=["recall_requested"])[0] == 1
    finally:
        conn.close()


def test_applying_the_same_entries_twice_keeps_one_document(ienv):
    ienv.deposit(meta={"number": 4})
    settle(ienv)
    worker = worker_of(ienv.registry)
    conn = ienv.conn()
    try:
        from archive_repo.indexing.outbox import get_outbox
        root = ienv.root(conn)
        get_outbox(root).new_batch().add("/%s/2026/4" % H38)
        get_outbox(root).new_batch().add("/%s/2026/4" % H38)
        conn.transaction_manager.commit()
    finally:
        conn.close()
    settle(ienv)
    worker.drain()
    assert fulltext_of(ienv.registry).doc_count() == 1
    assert search(ienv, q="chuyen doi so")["total"] == 1


def test_bulk_transaction_and_worker_acknowledging_do_not_conflict(ienv):
    """A console job adding many records in one transaction while the
    worker removes applied batches: both commit (one BTree key each)."""
    from archive_repo.events import RecordAdded as Added
    from archive_repo.indexing.outbox import get_outbox
    from archive_repo.resources import Record, Year, new_version
    ienv.deposit(meta={"number": 1})                  # a batch for the worker
    conn = ienv.conn()
    tm = conn.transaction_manager
    with tm:
        year = ienv.root(conn).agencies[H38].ensure_year(Year(2024))
        for number in range(1, 2001):
            record = Record(number, {"notation": "CV-UBND", "doctype": "CV",
                                     "subject": "Công văn số %d" % number,
                                     "issued_on": "2024-01-02"}, "bulk")
            new_version(record, "%064x" % number, 1000, "cv.pdf", "bulk",
                        {"legal_status": "reference_only"})   # no bytes: a stub
            year.add(number, record)
            ienv.registry.notify(Added(record))
        settle(ienv)                                  # the worker acknowledges meanwhile
    conn.close()
    settle(ienv)
    conn = ienv.conn()
    try:
        assert len(get_outbox(ienv.root(conn))) == 0
    finally:
        conn.close()
    assert search(ienv, q="cong van", year="2024")["total"] == 2000


def test_deposit_is_searchable_within_seconds(ienv):
    import time
    ienv.deposit(meta={"number": 5, "receivers": [STTTT]})
    started = time.monotonic()
    while search(ienv, q="chuyển đổi số")["total"] == 0:
        assert time.monotonic() - started < 5, "not searchable 5 s after the deposit"
        time.sleep(0.05)


def test_only_changes_the_full_text_holds_are_queued_for_it(ienv):
    """An accepted delivery changes the catalog (delivery states) but not
    what the full-text index holds: no rewrite is queued.  A recall is."""
    from archive_repo.indexing.catalog import get_catalog
    from archive_repo.indexing.outbox import get_outbox
    record = ienv.deposit(meta={"number": 6, "receivers": [STTTT]}).json
    path = record["url"].split("localhost", 1)[1]
    settle(ienv)
    worker_of(ienv.registry).stop()              # what is queued stays visible

    def queued_and_states():
        conn = ienv.conn()
        try:
            root = ienv.root(conn)
            catalog = get_catalog(root)
            return (get_outbox(root).paths(),
                    [state for state in ("sent", "accepted", "recall_requested")
                     if catalog.query(delivery_states=state)[1] == [path]])
        finally:
            conn.close()

    ienv.testapp.post_json(path + "/deliveries/%s/accept" % STTTT, {},
                           headers=dict(ienv.auth(("clerk", STTTT)), Accept="application/json"))
    assert queued_and_states() == (set(), ["accepted"])
    ienv.testapp.post_json(path + "/recall", {"reason": "Ban hành sai thẩm quyền."},
                           headers=dict(ienv.auth(("clerk", H38)), Accept="application/json"))
    assert queued_and_states() == ({path}, ["recall_requested"])


def test_a_record_that_cannot_be_indexed_is_kept_as_failed_not_acknowledged(ienv, monkeypatch):
    """The worker moves on past a record it cannot index (the queue is not
    blocked), keeps it in the failed set — which check-index reports — and
    clears it once the record is indexed after all."""
    from archive_repo.indexing import documents, fulltext_of, worker_of
    from archive_repo.indexing.outbox import get_outbox
    from archive_repo.indexing.rebuild import differences
    real = documents.version_text

    from tests.support.pdfs import make_pdf
    worker = worker_of(ienv.registry)
    worker.stop()
    first = ienv.deposit(pdf=make_pdf(["Văn bản thứ nhất"])).json
    second = ienv.deposit(pdf=make_pdf(["Văn bản thứ hai"])).json

    def extractor_crashes_on_the_first(version, store, *bounds):
        if version.sha256 == first["sha256"]:
            raise RuntimeError("pdfminer crashed")
        return real(version, store, *bounds)
    monkeypatch.setattr(documents, "version_text", extractor_crashes_on_the_first)
    worker.drain()
    conn = ienv.conn()
    root = ienv.root(conn)
    outbox = get_outbox(root)
    failed_path = "/%s/2026/%d" % (H38, first["number"])
    assert len(outbox) == 0                              # the queue moved on
    assert list(outbox.failed) == [failed_path]
    assert "pdfminer crashed" in outbox.failed[failed_path][1]
    diff = differences(root, fulltext_of(ienv.registry))
    assert diff["failed"] == [failed_path] and diff["missing_fulltext"] == []
    assert "/%s/2026/%d" % (H38, second["number"]) in fulltext_of(ienv.registry).paths()
    conn.close()
    monkeypatch.setattr(documents, "version_text", real)
    ienv.testapp.post_json(failed_path + "/recall", {"reason": "Sai thể thức."},
                           headers=ienv.auth(("clerk", H38)))
    worker.drain()
    conn = ienv.conn()
    assert list(get_outbox(ienv.root(conn)).failed) == []
    assert failed_path in fulltext_of(ienv.registry).paths()
    conn.close()
