"""The rule engine's time per document against pyHanko's bare validation of
the same signatures — same files, same run.

    .venv/bin/python bench/rules.py [--docs 40] [--repeat 3]
    .venv/bin/python bench/rules.py --bulk [--docs 80] [--repeat 3]

Makes ``--docs`` born-digital documents signed by the test PKI (personal +
organisation signature; every fifth one urgent, with the third signature),
then times, file by file:

* **engine** — ``archive_repo.rules.evaluate``: open, read and classify the
  signatures, every rule table, the report;
* **bare** — ``PdfFileReader`` + ``validate_pdf_signature`` for each
  embedded signature with a ``ValidationContext`` on the same roots and CRLs
  (loaded once, outside the timing), revocation required as the engine's
  first pass does, difference analysis included: the least any archive must
  do.

* **engine, no path cache** — the same with ``path_cache_size = 0``
  (pyHanko's own ``validate_pdf_signature``, every chain validated anew).

Both runs assert their verdict (the engine: *equivalent to paper*), so the
bench cannot time a short cut.  Prints the median per document over
``--repeat`` interleaved rounds (CPU time of this process) and the ratios
(target with the path cache: ≤ 0.7× bare).  The documents are signed by the
same two certificates, as a province's are by a few hundred: the cache's
case.

``--bulk`` times the rule pool instead (``rules/pool.py``): the same
documents judged by ``RulePool(policy, 1)`` (this process) and by
``RulePool(policy, 2)`` (two worker processes, started and warmed before the
timing), wall time, target ≥ 1.6×.  2026-12-03, quiet machine, 80
documents: 1.39× until the reports crossed from the workers as plain values
(a field name kept as pyHanko's ``TextStringObject`` pickled its reader:
235 KB a report, 9 ms to pickle and unpickle), then **1.79× / 1.85×**.  The engine's rendering check (``rules/rendering.py``)
draws page 1 twice per document: the personal signature is followed by
the organisation's revision.
"""
import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive_repo.rules import evaluate, policy_from_settings  # noqa: E402
from archive_repo.rules.signatures import trust_material  # noqa: E402
from tests.support.pki import build_pki  # noqa: E402
from tests.support.signing import VN, signed_document  # noqa: E402

SIGNED_AT = datetime(2026, 3, 5, 9, 0, tzinfo=VN)


def make_documents(pki, folder, n):
    paths = []
    for i in range(n):
        data = signed_document(pki, urgent=(i % 5 == 4), org_time=SIGNED_AT + timedelta(seconds=i))
        path = Path(folder) / ("doc-%03d.pdf" % i)
        path.write_bytes(data)
        paths.append((path, i % 5 == 4))
    return paths


# a deposit's metadata (rule metadata_complete; signer_matches_metadata)
DESCRIBED = {"receivers": [], "notation": "QĐ-UBND", "doctype": "QĐ",
             "subject": "Về việc phê duyệt kế hoạch", "issued_on": "2026-03-05",
             "signer": "Nguyễn Văn An"}


def run_engine(paths, policy):
    for path, urgent in paths:
        report = evaluate(str(path), dict(DESCRIBED, urgency="Khẩn" if urgent else None),
                          SIGNED_AT + timedelta(hours=1), policy)
        assert report["legal_status"] == "equivalent_to_paper", report["legal_status_reasons"]


def run_pool(pool, paths):
    jobs = [(str(path), dict(DESCRIBED, urgency="Khẩn" if urgent else None),
             SIGNED_AT + timedelta(hours=1)) for path, urgent in paths]
    for report in pool.map(jobs):
        assert report["legal_status"] == "equivalent_to_paper", report["legal_status_reasons"]


def run_bare(paths, roots, crls):
    """pyHanko as shipped: without the engine's ``rules/speedups.py``
    (installed when the engine is imported)."""
    from archive_repo.rules import speedups
    speedups.uninstall()
    try:
        _bare(paths, roots, crls)
    finally:
        speedups.install()


def _bare(paths, roots, crls):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    for path, _ in paths:
        reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
        for sig in reader.embedded_signatures:
            context = ValidationContext(trust_roots=roots, crls=crls, allow_fetching=False,
                                        revocation_mode="hard-fail", moment=SIGNED_AT)
            status = validate_pdf_signature(sig, context)
            assert status.intact and status.valid and status.trusted


def timed(fn, *args):
    # CPU time: the machine is shared, wall time would measure the neighbours
    start = time.process_time()
    fn(*args)
    return time.process_time() - start


def wall(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def bulk(args, paths, policy):
    from archive_repo.rules.pool import RulePool
    one, two = [], []
    load = os.getloadavg()[0]
    with RulePool(policy, 1) as alone, RulePool(policy, 2) as pool:
        run_pool(pool, paths[:8])            # workers started, imports and caches warm
        run_pool(alone, paths[:2])
        for _ in range(args.repeat):
            one.append(wall(run_pool, alone, paths) / args.docs)
            two.append(wall(run_pool, pool, paths) / args.docs)
    a, b = statistics.median(one), statistics.median(two)
    # wall time needs two idle cores: say how busy the machine was
    print("documents: %d, repeats: %d (wall time), load average before/after: %.2f / %.2f"
          % (args.docs, args.repeat, load, os.getloadavg()[0]))
    print("one process:             %7.1f ms/document" % (a * 1000))
    print("pool of 2 workers:       %7.1f ms/document" % (b * 1000))
    print("speed-up:                %7.2f×  (target ≥ 1.60×)" % (a / b))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bulk", action="store_true", help="time the rule pool")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pki = build_pki(Path(tmp) / "pki")
        raw = {"archive_repo.trust_roots": pki.trust_roots_dir,
               "archive_repo.crl_dir": pki.crl_dir}
        policy = policy_from_settings(raw)
        uncached = policy_from_settings(dict(raw, **{"archive_repo.path_cache_size": "0"}))
        print("making %d signed documents…" % args.docs, file=sys.stderr)
        paths = make_documents(pki, tmp, args.docs)
        if args.bulk:
            return bulk(args, paths, policy)
        roots, crls = trust_material(policy)
        run_engine(paths[:2], policy)          # warm up imports and caches
        run_engine(paths[:2], uncached)
        run_bare(paths[:2], roots, list(crls))
        engine, plain, bare = [], [], []
        for _ in range(args.repeat):              # interleaved: same machine state
            bare.append(timed(run_bare, paths, roots, list(crls)) / args.docs)
            engine.append(timed(run_engine, paths, policy) / args.docs)
            plain.append(timed(run_engine, paths, uncached) / args.docs)
    e, p, b = statistics.median(engine), statistics.median(plain), statistics.median(bare)
    print("documents: %d (2-3 signatures each), repeats: %d" % (args.docs, args.repeat))
    print("engine (all rules):      %7.1f ms/document" % (e * 1000))
    print("engine, no path cache:   %7.1f ms/document" % (p * 1000))
    print("pyHanko bare validation: %7.1f ms/document" % (b * 1000))
    print("ratio engine / bare:     %7.2f×  (target ≤ 0.70×)" % (e / b))
    print("ratio uncached / bare:   %7.2f×" % (p / b))


if __name__ == "__main__":
    main()
