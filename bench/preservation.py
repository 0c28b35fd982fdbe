"""Fixity throughput against ``sha256sum`` of the same blob files, and
backup / restore time per GB, measured in the same run.

    .venv/bin/python bench/preservation.py [--files 32] [--mb 8]

Deposits ``--files`` PDFs of about ``--mb`` MB each (a text page plus an
incompressible stream, so the bytes are real) through the WSGI app, then:

* ``archive-repo fixity`` over every version (MB/s) ÷ ``sha256sum`` of the
  very same blob files (MB/s), both with the files in the page cache (each
  is run twice, the second timed) — target ≥ 0.8×;
* ``backup --full`` to one destination, an incremental right after (nothing
  new: the cost of an unchanged archive), and ``restore`` with its
  verification, each in seconds per GB of blob data.
"""
import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pikepdf  # noqa: E402

from tests.conftest import build_env, close_env  # noqa: E402
from tests.support.cli import cli  # noqa: E402
from tests.support.pdfs import make_pdf  # noqa: E402
from tests.preservation.conftest import write_ini, versions_of  # noqa: E402
from archive_repo.indexing import worker_of  # noqa: E402


def padded_pdf(mb, seed):
    pdf = pikepdf.open(io.BytesIO(make_pdf(["Tài liệu thử số %d" % seed])))
    pdf.Root.ArchiveBenchPadding = pdf.make_stream(os.urandom(mb << 20))
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def timed(fn, repeat=2):
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    return elapsed, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=32)
    parser.add_argument("--mb", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-preservation-", dir=os.environ.get("TMPDIR")))
    var = work / "var"
    var.mkdir()
    env = build_env(var, **{"archive_repo.max_upload_mb": str(args.mb + 2),
                            "archive_repo.index_worker": "false"})
    for n in range(1, args.files + 1):
        env.deposit(meta={"number": n}, pdf=padded_pdf(args.mb, n))
    files = [f for _, _, f in versions_of(env)]
    worker_of(env.registry).stop()
    close_env(env)
    ini = write_ini(var)
    total = sum(os.path.getsize(f) for f in files)
    gb = total / 1e9
    print("%d files, %.0f MB of blobs" % (len(files), total / 1e6))

    sha, _ = timed(lambda: subprocess.run(["sha256sum", *files], check=True,
                                          stdout=subprocess.DEVNULL))
    fix, ran = timed(lambda: cli(ini, "fixity"))
    print("sha256sum: %.0f MB/s; fixity: %.0f MB/s; ratio %.2fx (target >= 0.8x)"
          % (total / 1e6 / sha, total / 1e6 / fix, sha / fix))

    full, _ = timed(lambda: cli(ini, "backup", "--full", "--to", work / "d1"), repeat=1)
    incr, _ = timed(lambda: cli(ini, "backup", "--to", work / "d1"), repeat=1)
    rest, _ = timed(lambda: cli(ini, "restore", "--from", work / "d1", "--to",
                                work / "restored"), repeat=1)
    print("backup --full: %.1f s/GB; incremental (unchanged): %.1f s/GB; "
          "restore + verification: %.1f s/GB" % (full / gb, incr / gb, rest / gb))


if __name__ == "__main__":
    main()
