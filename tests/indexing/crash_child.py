"""Run as a separate process by test_consistency: deposit a record, then
die by SIGKILL right after the ZODB commit and before the full-text index
was written.

The index worker is stopped first, so the Whoosh write cannot happen
between the commit and the kill: the process dies exactly in the window
the outbox exists for.  Usage: ``python crash_child.py TMPDIR``.
"""
import os
import signal
import sys
from pathlib import Path
from archive_repo.indexing import worker_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import build_env  # noqa: E402
from tests.support.pdfs import make_pdf  # noqa: E402


def main(tmp):
    env = build_env(tmp)
    worker = worker_of(env.registry)
    worker.stop()
    worker.thread.join(10)
    assert not worker.thread.is_alive()
    env.deposit(meta={"number": 42, "subject": "Về việc thí điểm chữ ký số chuyên dùng"},
                pdf=make_pdf(lines=["QUYẾT ĐỊNH", "Thí điểm chữ ký số chuyên dùng"]))
    print("committed", flush=True)          # the 201 came after the commit
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main(sys.argv[1])
