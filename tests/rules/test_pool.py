"""Bulk jobs judge documents in worker processes and get the single-process
reports (rules/pool.py, rules/revalidate.py, scripts/import_edxml.py)."""
from datetime import datetime, timedelta

import pytest

from archive_repo.rules import evaluate
from archive_repo.rules.pool import RulePool, evaluate_job
from archive_repo.rules.revalidate import job_of
from tests.support.signing import VN, signed_document

SIGNED_AT = datetime(2026, 3, 5, 9, 0, tzinfo=VN)
# a deposit's metadata, complete (issue 11's rules judge it)
DESCRIBED = {"receivers": [], "notation": "QĐ-UBND", "doctype": "QĐ",
             "subject": "Về việc phê duyệt kế hoạch", "issued_on": "2026-03-05",
             "signer": "Nguyễn Văn An"}


def _plain(report):
    return {k: v for k, v in report.items() if k not in ("made_at", "run_id")}


@pytest.fixture(scope="module")
def jobs(pki, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pool")
    made = [signed_document(pki, org_time=SIGNED_AT), signed_document(pki, urgent=True),
            signed_document(pki, personal="revoked", org_time=SIGNED_AT),
            signed_document(pki, organisation="commercial", org_time=SIGNED_AT),
            b"%PDF-1.4 not really"]
    found = []
    for i, data in enumerate(made):
        path = folder / ("%d.pdf" % i)
        path.write_bytes(data)
        found.append((str(path), dict(DESCRIBED, urgency="Khẩn" if i == 1 else None),
                      SIGNED_AT + timedelta(hours=1, minutes=i)))
    return found * 2        # each worker sees a chain twice: its own cache at work


def test_the_pool_gives_the_single_process_reports_in_order(policy, jobs):
    with RulePool(policy, 2) as pool:
        pooled = pool.map(jobs)
        workers = {p.pid for p in pool._executor._processes.values()}
    assert len(workers) == 2
    alone = [evaluate(path, meta, at, policy) for path, meta, at in jobs]
    assert [_plain(r) for r in pooled] == [_plain(r) for r in alone]
    assert {r["legal_status"] for r in pooled} == {"equivalent_to_paper", "reference_only"}


def test_one_worker_runs_in_this_process(policy, jobs):
    with RulePool(policy, 1) as pool:
        assert pool._executor is None
        assert [_plain(r) for r in pool.map(jobs[:2])] == \
            [_plain(evaluate(p, m, a, policy)) for p, m, a in jobs[:2]]


def test_revalidate_in_the_pool_writes_what_one_process_writes(env, pki):
    import transaction
    from archive_repo.rules import rule_policy
    from archive_repo.rules.revalidate import revalidate
    for i in range(3):
        env.deposit(pdf=signed_document(pki, org_time=SIGNED_AT + timedelta(minutes=i)))
    conn = env.conn()
    tm = conn.transaction_manager
    try:
        root, policy = env.root(conn), rule_policy(env.registry)
        with RulePool(policy, 2) as pool:
            pooled = revalidate(root, policy, tm.commit, every=2, registry=env.registry,
                                pool=pool)
        alone = revalidate(root, policy, tm.commit, every=2, registry=env.registry)
        assert pooled == alone and sum(pooled.values()) == 3
        reports = [v.reports for r in root.agencies["000.00.00.H38"].data[2026].values()
                   for v in r.versions]
        # the deposit's own report stays apart; one report per run beside it
        assert [len(r) for r in reports] == [2, 2, 2]
        for first, second in reports:
            assert _plain(first) == _plain(second) and first["run_id"] != second["run_id"]
    finally:
        transaction.abort()
        conn.close()


def test_import_in_the_pool_stores_what_one_process_stores(env, pki, tmp_path):
    from tests.workflow.conftest import clerk, record_path
    from tests.workflow.test_import_cli import make_target, opened, run_import
    files = []
    for i in range(3):
        record = env.deposit(pdf=signed_document(pki, org_time=SIGNED_AT + timedelta(minutes=i))
                             ).json
        path = tmp_path / ("%d.edxml" % i)
        path.write_bytes(env.testapp.get(record_path(record) + "/edxml",
                                         headers=env.auth(clerk("000.00.00.H38"))).body)
        files.append(path)
    (tmp_path / "target").mkdir()
    ini = make_target(tmp_path / "target")
    ini.write_text(ini.read_text() + "archive_repo.rule_workers = 2\n")
    assert run_import(ini, files) == 0
    with opened(ini) as (root, registry):
        from archive_repo.rules import rule_policy
        year = root.agencies["000.00.00.H38"].data[2026]
        assert sorted(year.keys()) == [1, 2, 3]
        for record in year.values():
            version = record.current
            # the report the worker made is the one this process makes
            alone = evaluate_job(job_of(record, version), rule_policy(registry))
            assert _plain(version.report) == _plain(alone)
            assert version.report["signatures"]


def test_a_report_carries_plain_values_only(policy, jobs):
    """What crosses from a worker is the report alone: a pyHanko string
    (a field name) pickled the reader it came from — 235 KB a report, a
    quarter of the pool's time spent pickling."""
    import pickle
    report = evaluate_job(jobs[1], policy)
    names = [s["field"] for s in report["signatures"]]
    names += [f for r in report.get("revisions", ()) for f in r.get("changed_fields") or ()]
    assert names and all(type(name) is str for name in names)
    assert len(pickle.dumps(report)) < 50_000
