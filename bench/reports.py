"""Reports benchmark (issue 16): a year's report over N records (100 000 by
default) against merely iterating the same records' catalog entries, in the
same run, on the same FileStorage, each from a cold database (a fresh
``ZODB.DB`` over the files: nothing cached).

    .venv/bin/python bench/reports.py             # 100 000 records
    .venv/bin/python bench/reports.py --n 5000    # a quick look
    .venv/bin/python bench/reports.py --rebuild   # re-seed the archive

The archive (kept under ``--dir``, default /tmp/h16/bench, and reused):
30 agencies, N records issued over 2026 with realistic shares (70 %
equivalent to paper, failing rules for the rest, 15 % scans, 12 % urgent),
1–3 deliveries each (accepted, refused, waiting, recalled), 2 % recalls,
the catalog (``indexing.catalog.RecordCatalog``), the facts ledger (rows
made by ``reports.facts.row_of``, what the subscriber writes) and an audit
trail of one entry per deposit and per delivery decision.  Records carry a
real-shaped rule-engine report but no PDF (a report never opens one).

Measured: the baseline reads, for every record, its catalog entry
(``issued_on`` from the field index, the ``facets`` words of the keyword
index); the report is ``service.make_report`` for period ``2026``, the whole
province — facts, the incoming register rows and the audit trail's refused
deposits — plus its JSON.  Prints both medians (of ``--reps`` cold runs)
and the ratio; the target is < 10 s and ≤ 3× the baseline.

Measured (this machine, shared by seven engineers, load ≈ 5; 100 000 records,
554 MB Data.fs, 5 cold repetitions, 2026-12-02): catalog iteration median
1.54 s, the year's report median 3.55 s: **2.31×** (best runs 0.86 s / 1.79 s,
2.1×).  Before: 6.2 s, 3.17× — a namedtuple per row and per delivery, the
calendar asked per sending day, and the refused deposits found by reading
every audit key of the year (270 000) instead of skipping through targets.
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

AGENCIES = ["000.00.00.H38"] + ["000.00.%02d.H38" % i for i in range(1, 30)]
FAILING = [("6.1a", "organisation_signature"), ("6.1b", "sent_in_time"),
           ("6.2", "personal_signature_role"), ("6.1c", "pdf_format"),
           ("9.1a", "signature_image")]
REASONS = ["not_competent", "incomplete", "wrong_receiver", "not_legally_valid"]
YEAR = 2026


def open_db(folder):
    import ZODB
    from ZODB.FileStorage import FileStorage
    databases = {}
    ZODB.DB(FileStorage(str(folder / "Data.fs")), databases=databases, database_name="")
    ZODB.DB(FileStorage(str(folder / "Audit.fs")), databases=databases,
            database_name="audit")
    return databases[""]


def close_db(database):
    for db in list(database.databases.values()):
        db.close()


def make_report_json(rng, equivalent, urgent, digitized):
    failing = [] if equivalent else rng.sample(FAILING, rng.randint(1, 2))
    checks = [{"code": code, "article": art, "passed": False, "severity": "status",
               "message": "…", "details": {}} for art, code in failing]
    timing = ("6.1b", "sent_in_time") in failing
    checks.append({"code": "sent_in_time", "article": "6.1b", "passed": not timing,
                   "severity": "status", "message": "…", "details": {}})
    if urgent:
        checks.append({"code": "urgent_sent_immediately", "article": "6.4c",
                       "passed": rng.random() < 0.8, "severity": "flag", "message": "…",
                       "details": {}})
    signatures = [{"field": "ChuKyToChuc", "role": "organisation"}]
    if not digitized:
        signatures.append({"field": "ChuKyCaNhan", "role": "personal"})
    return {"checks": checks, "signatures": signatures,
            "legal_status": "equivalent_to_paper" if equivalent else "reference_only"}


def make_record(rng, agency, number, tz):
    from archive_repo.resources import Record
    from archive_repo.resources.record import Version
    issued = datetime(YEAR, 1, 1, 8, tzinfo=tz) + timedelta(
        days=rng.randrange(360), minutes=rng.randrange(600))
    equivalent, urgent, digitized = rng.random() < 0.7, rng.random() < 0.12, rng.random() < 0.15
    receivers = rng.sample([a for a in AGENCIES if a != agency], rng.randint(1, 3))
    meta = {"notation": "QĐ-UBND", "doctype": "QĐ", "subject": "Văn bản số %d" % number,
            "issued_on": issued.date().isoformat(), "signer": "Nguyễn Văn An",
            "receivers": receivers, "urgency": "Khẩn" if urgent else None,
            "digitized": digitized}
    record = Record(number, meta, "bench")
    version = Version.__new__(Version)       # no blob: a report never opens the PDF
    version.number, version.sha256, version.size = 1, "0" * 64, 1000
    version.filename, version.deposited_at, version.deposited_by = "x.pdf", issued, "bench"
    version.report = make_report_json(rng, equivalent, urgent, digitized)
    version.reason = "new"
    record.add_version(version)
    return record, issued


def add_deliveries(rng, record, issued):
    from archive_repo.workflow.deliveries import Delivery
    for code in record.metadata["receivers"]:
        d = Delivery(record, code, issued)
        roll = rng.random()
        if roll < 0.8:
            d.state, d.accepted_at = "accepted", issued + timedelta(hours=rng.expovariate(1 / 6))
        elif roll < 0.85:
            d.state, d.refused_at = "refused", issued + timedelta(hours=rng.expovariate(1 / 12))
            d.refusal = (rng.choice(REASONS), "…")
        record.deliveries.append(d)


def seed(folder, n):
    import transaction
    from archive_repo import audit, timeutil
    from archive_repo.indexing.catalog import RecordCatalog
    from archive_repo.reports import facts
    from archive_repo.resources import Agency, get_root
    from archive_repo.resources.agency import Year
    from archive_repo.workflow.recall import RecallNotice
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(16)
    database = open_db(folder)
    conn = database.open()
    root = get_root(conn)
    root.catalog = RecordCatalog()
    ledger = facts.ledger_in(conn)
    log = audit.get_log(conn.get_connection("audit"))
    for code in AGENCIES:
        agency = root.agencies.add(code, Agency(code, "Cơ quan %s" % code))
        agency.add(YEAR, Year(YEAR))
    started = time.perf_counter()
    for i in range(n):
        agency = root.agencies[AGENCIES[i % len(AGENCIES)]]
        year = agency.data[YEAR]
        record, issued = make_record(rng, agency.code, year.highest() + 1, timeutil.VN_TZ)
        year.add(record.number, record)
        add_deliveries(rng, record, issued)
        if rng.random() < 0.02:
            record.recall = RecallNotice(record, "…", "bench", issued + timedelta(days=2))
        root.catalog.index(record)
        ledger.put(facts.row_of(record))
        log.append(audit.make_entry(None, "deposit", record.path))
        for d in record.deliveries:
            if d.state != "sent":
                log.append(audit.make_entry(None, "accept", record.path))
        if i % 2000 == 1999:
            transaction.commit()
            conn.cacheMinimize()
            print("\rseeded %d/%d (%.0f/s)" % (i + 1, n, (i + 1) / (time.perf_counter()
                                                                   - started)),
                  end="", file=sys.stderr)
    root.evolved["bench_n"] = n
    transaction.commit()
    conn.close()
    close_db(database)
    print(file=sys.stderr)


def iterate_catalog(conn):
    from archive_repo.resources import get_root
    catalog = get_root(conn).catalog
    issued = catalog.catalog["issued_on"]._rev_index
    words = catalog.catalog["facets"]._rev_index
    seen = 0
    for docid, path in catalog.docs.docid_to_address.items():
        if issued.get(docid, "")[:4] == str(YEAR) and words.get(docid) is not None:
            seen += 1
    return seen


def registry_for():
    from pyramid.registry import Registry
    from archive_repo.rules import policy_from_settings
    from archive_repo.rules.model import IRulePolicy
    from archive_repo.settings import ISettings, parse_settings
    registry = Registry("bench")
    registry.registerUtility(parse_settings({}, complete=False), ISettings)
    registry.registerUtility(policy_from_settings({}), IRulePolicy)
    return registry


def year_report(conn, registry):
    from archive_repo.reports import service
    from archive_repo.reports.outputs import jsonfile
    from archive_repo.resources import get_root
    root = get_root(conn)
    report = service.report_for(conn, root, registry, str(YEAR))
    jsonfile.render(report)
    return report["indicators"]["out_total"]


def cold(folder, work):
    """``work(conn)`` on a freshly opened database: ``(seconds, result)``."""
    database = open_db(folder)
    try:
        conn = database.open()
        started = time.perf_counter()
        result = work(conn)
        elapsed = time.perf_counter() - started
        conn.close()
    finally:
        close_db(database)
    return elapsed, result


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--dir", default="/tmp/h16/bench")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    folder = Path(args.dir) / str(args.n)
    if args.rebuild or not (folder / "Data.fs").exists():
        started = time.perf_counter()
        seed(folder, args.n)
        print("seeded %d records in %.0f s" % (args.n, time.perf_counter() - started))
    registry = registry_for()
    base, rep = [], []
    for _ in range(args.reps):
        t, seen = cold(folder, iterate_catalog)
        base.append(t)
        t, total = cold(folder, lambda conn: year_report(conn, registry))
        rep.append(t)
    assert seen == total == args.n, (seen, total)
    b, r = statistics.median(base), statistics.median(rep)
    print("records %d, Data.fs %.0f MB" % (args.n, os.path.getsize(folder / "Data.fs") / 1e6))
    print("iterate catalog entries: median %.2f s  (%s)" % (b, " ".join("%.2f" % x for x in base)))
    print("year report (facts):     median %.2f s  (%s)" % (r, " ".join("%.2f" % x for x in rep)))
    print("report / catalog iteration: %.2f×  (target ≤ 3×; report < 10 s: %s)"
          % (r / b, "yes" if r < 10 else "NO"))


if __name__ == "__main__":
    main()
