"""Page timings for people's screens against a same-run baseline.

    .venv/bin/python bench/pages.py [--records 50] [--runs 20]

One app (real FileStorage, WebTest, a signed-in session), N deposited
records.  Baseline: the record's JSON for a token (the API: no template, no
menu, no session).  Measured: the sign-in page, the record page, the inbox,
the search page and the audit view as a signed-in person sees them.  Prints
the median of each and its ratio to the baseline (a page that needs more
than a few times the JSON is worth a look).
"""
import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.pdfs import make_pdf  # noqa: E402
from tests.conftest import H38, STTTT, build_env, close_env  # noqa: E402
from tests.people.test_people import add, sign_in  # noqa: E402

HTML = {"Accept": "text/html"}


def median_ms(call, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from webtest import TestApp
    from archive_repo.indexing import worker_of
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        env = build_env(folder)
        try:
            add(env, "minh", agency=STTTT, name="Phạm Văn Minh")
            add(env, "lan", roles=("archivist",), agency=None, name="Trần Thị Lan",
                position="Lưu trữ viên")
            for i in range(args.records):       # distinct bytes: a duplicate is a 409
                env.deposit(meta={"receivers": [STTTT]}, pdf=make_pdf(["Văn bản %d" % i]))
            worker_of(env.registry).wait_idle(120)
            clerk, archivist = TestApp(env.app), TestApp(env.app)
            sign_in(clerk, "minh")
            sign_in(archivist, "lan")
            record = "/%s/2026/1" % H38
            token = dict(env.auth("archivist"), Accept="application/json")
            base = median_ms(lambda: env.testapp.get(record, headers=token), args.runs)
            pages = {
                "sign-in page": lambda: TestApp(env.app).get("/login", headers=HTML),
                "record page": lambda: archivist.get(record, headers=HTML),
                "inbox (%d)" % args.records: lambda: clerk.get("/%s/inbox" % STTTT,
                                                               headers=HTML),
                "search page": lambda: archivist.get("/search?q=chuyen+doi+so",
                                                     headers=HTML),
                "audit view": lambda: archivist.get("/audit", headers=HTML),
            }
            print("baseline: record JSON (token) %.1f ms" % base)
            for name, call in pages.items():
                ms = median_ms(call, args.runs)
                print("%-22s %7.1f ms  %5.2f× baseline" % (name, ms, ms / base))
            assert re.search("Phạm Văn Minh", clerk.get("/%s/inbox" % STTTT,
                                                        headers=HTML).text)
        finally:
            close_env(env)


if __name__ == "__main__":
    main()
