"""The rule engine's time per document against pyHanko's bare validation of
the same signatures, measured in the same run (target ≤ 1.3×).

    .venv/bin/python bench/rules.py [--docs 12] [--repeat 3]

"Bare" = what any archive must do at least: open each PDF with pyHanko and
validate every embedded signature against the same trust roots and CRLs
(difference analysis included), nothing else.  The engine adds the
revocation double-check, pikepdf parsing, widget and image analysis, the
calendar and the report.
"""
import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive_repo import timeutil  # noqa: E402
from archive_repo.rules import evaluate, policy_from_settings  # noqa: E402
from tests.support.pki import build_pki  # noqa: E402
from tests.support.signing import signed_document  # noqa: E402


def make_documents(pki, count, folder):
    paths = []
    at = timeutil.now() - timedelta(hours=1)
    for i in range(count):
        pdf = signed_document(pki, urgent=(i % 3 == 0), org_time=at)
        path = Path(folder) / ("doc-%d.pdf" % i)
        path.write_bytes(pdf)
        paths.append(path)
    return paths


def bare(paths, policy):
    """pyHanko alone: every signature validated with the same context."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from archive_repo.rules.signatures import trust_material
    roots, crls = trust_material(policy)
    for path in paths:
        reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
        for sig in reader.embedded_signatures:
            context = ValidationContext(trust_roots=roots, crls=crls, allow_fetching=False,
                                        revocation_mode="hard-fail",
                                        moment=sig.self_reported_timestamp)
            validate_pdf_signature(sig, context)


def engine(paths, policy):
    meta = {"receivers": [], "urgency": "Khẩn"}
    for path in paths:
        evaluate(str(path), meta, timeutil.now(), policy)


def timed(fn, *args):
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-rules-")
    pki = build_pki(folder)
    policy = policy_from_settings({"archive_repo.trust_roots": pki.trust_roots_dir,
                                   "archive_repo.crl_dir": pki.crl_dir})
    paths = make_documents(pki, args.docs, folder)
    engine(paths[:1], policy)                      # warm caches (roots, CRLs, calendar)
    bare(paths[:1], policy)
    bare_times, engine_times = [], []
    for _ in range(args.repeat):                   # interleaved: same machine state
        bare_times.append(timed(bare, paths, policy))
        engine_times.append(timed(engine, paths, policy))
    b = statistics.median(bare_times) / len(paths)
    e = statistics.median(engine_times) / len(paths)
    print("documents: %d (2–3 signatures each), repeats: %d" % (len(paths), args.repeat))
    print("pyHanko bare validation : %.1f ms/document" % (b * 1000))
    print("rule engine             : %.1f ms/document" % (e * 1000))
    print("ratio engine / bare     : %.2fx (target <= 1.3x)" % (e / b))


if __name__ == "__main__":
    main()
