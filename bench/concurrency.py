"""Concurrent deposits into one agency-year, over HTTP, against one
sequential client in the same run.

    .venv/bin/python bench/concurrency.py [--docs 96] [--port 7120]

Each scenario gets a fresh repository served by a child process (waitress,
8 threads, the whole stack and its background index worker — as an
operator runs pserve); the clients are threads of this process sending
real documents signed by the test PKI (tests/support/pki.py: the personal
signature and the organisation's seal, checked by the rule engine against
the test trust roots and CRLs).  Scenarios: 1 client sending ``--docs``
deposits one after another (the baseline), then 8 and 32 clients sharing
the same number of deposits.  Prints each one's deposits/second, its ratio
to the baseline, every non-201 answer, and checks the register: numbers
1..docs, no gap, no duplicate.

Targets (issue 12): 0 errors at 8 and 32 clients; throughput at 8 clients
≥ 0.9 × the sequential client.  Measured before ``retrying.run_step`` (the
issue's figures): 38 of 160 deposits answered 500 at 8 clients, 0.28×.
Measured after (this machine, 96 deposits of a 57 KB signed PDF,
2026-12-02, two runs on a machine shared with other jobs, hence noisy):
1 client 3.3 / 4.9 / 7.1 deposits/s; 8 clients 6.6 / 5.2 / 5.4 (2.01× /
1.06× / 0.76×); 32 clients 5.0 / 9.9 / 4.6 (1.53× / 2.02× / 0.65×); 0 errors,
numbers gap-free each time.  The third run (after merging main) misses the
0.9× target: on 2 shared cores the ratio moves with the other jobs' load
more than with the code; the 0-error target held in every run.
After the per-agency change feed and audit tails (issue 12, 2026-12-02,
three runs, load 4–6): 1 client 5.6 / 10.7 / 8.8 deposits/s; 8 clients
1.21× / 1.12× / 1.21×; 32 clients 1.75× / 1.07× / 1.08×; 0 errors,
numbers gap-free each time.
2026-12-03: the four files it cycled through were duplicates once the
archive refused the same bytes twice (409 ``duplicate_document``, issue 11):
each deposit now sends its own signed file.  One run, load 3–4 (another
job on both cores): 1 client 8.5 deposits/s; 8 clients 1.34×; 32 clients
1.22×; 0 errors, numbers gap-free.
The rule engine (signature validation, ~200 ms a document here) runs in
parallel in waitress's threads; only the registration is serialised per
agency-year.
"""
import argparse
import collections
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import H38, build_env, default_metadata  # noqa: E402

THREADS = 8


def serve(folder, port, pki_dir):
    """The child: a fresh repository on ``folder`` served on ``port``."""
    from waitress import serve as waitress_serve
    env = build_env(folder, **{"archive_repo.trust_roots": os.path.join(pki_dir, "trust-roots"),
                               "archive_repo.crl_dir": os.path.join(pki_dir, "crls"),
                               "archive_repo.max_upload_mb": "20", "retry.attempts": "10"})
    Path(folder, "tokens.json").write_text(json.dumps(env.tokens[("clerk", H38)]))
    import logging
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)   # 32 clients queue, by design
    waitress_serve(env.app, host="127.0.0.1", port=port, threads=THREADS, _quiet=True)


def start_server(port, pki_dir):
    folder = tempfile.mkdtemp(prefix="bench-concurrency-", dir=os.environ.get("TMPDIR"))
    child = subprocess.Popen([sys.executable, __file__, "--serve", folder, str(port), pki_dir],
                             env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    token_file = Path(folder, "tokens.json")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if token_file.exists():
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
                return child, json.loads(token_file.read_text())
            except OSError:
                pass
        time.sleep(0.1)
    child.kill()
    raise SystemExit("the server did not start")


def body_of(pdf):
    boundary = uuid.uuid4().hex
    meta = json.dumps(default_metadata(), ensure_ascii=False).encode("utf-8")
    body = b"".join([
        b"--%s\r\n" % boundary.encode(),
        b'Content-Disposition: form-data; name="metadata"\r\n\r\n', meta, b"\r\n",
        b"--%s\r\n" % boundary.encode(),
        b'Content-Disposition: form-data; name="file"; filename="vanban.pdf"\r\n',
        b"Content-Type: application/pdf\r\n\r\n", pdf, b"\r\n",
        b"--%s--\r\n" % boundary.encode()])
    return body, "multipart/form-data; boundary=" + boundary


def client(port, token, pdfs, statuses, numbers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for pdf in pdfs:
        body, content_type = body_of(pdf)
        conn.request("POST", "/%s/2026/" % H38, body=body, headers={
            "Authorization": "Bearer " + token, "Accept": "application/json",
            "Content-Type": content_type})
        response = conn.getresponse()
        data = response.read()
        statuses[response.status] += 1
        if response.status == 201:
            numbers.append(json.loads(data)["number"])
        else:
            print("  %d %s" % (response.status, data[:160].decode("utf-8", "replace")))
    conn.close()


def scenario(clients, docs, port, pki_dir, pdfs):
    child, token = start_server(port, pki_dir)
    statuses, numbers = collections.Counter(), []
    try:
        # each client its own files: the same bytes twice are a duplicate (409)
        threads = [threading.Thread(target=client,
                                    args=(port, token, pdfs[i::clients], statuses, numbers))
                   for i in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=30)
    gap_free = sorted(numbers) == list(range(1, len(numbers) + 1))
    return docs / elapsed, statuses, gap_free


def signed_pdfs(count):
    """``count`` distinct signed documents (sealed a second apart, this hour)."""
    from datetime import datetime, timedelta
    from tests.support.pki import build_pki
    from tests.support.signing import VN, signed_document
    folder = tempfile.mkdtemp(prefix="bench-pki-", dir=os.environ.get("TMPDIR"))
    pki = build_pki(folder)
    first = datetime.now(VN) - timedelta(hours=1)
    return folder, [signed_document(pki, org_time=first + timedelta(seconds=i))
                    for i in range(count)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=96)
    parser.add_argument("--port", type=int, default=7120)
    parser.add_argument("--serve", nargs=3, metavar=("FOLDER", "PORT", "PKI"))
    args = parser.parse_args()
    if args.serve:
        folder, port, pki_dir = args.serve
        return serve(folder, int(port), pki_dir)
    pki_dir, pdfs = signed_pdfs(args.docs)
    print("%d deposits of real signed PDFs (%d KB) into %s/2026, waitress %d threads"
          % (args.docs, len(pdfs[0]) >> 10, H38, THREADS))
    baseline = None
    for clients in (1, 8, 32):
        rate, statuses, gap_free = scenario(clients, args.docs, args.port, pki_dir, pdfs)
        baseline = baseline or rate
        errors = sum(n for status, n in statuses.items() if status != 201)
        print("%2d client(s): %6.1f deposits/s  ratio %.2f  errors %d  %s  numbers %s"
              % (clients, rate, rate / baseline, errors, dict(statuses),
                 "1..n gap-free" if gap_free else "WITH GAPS OR DUPLICATES"))


if __name__ == "__main__":
    main()
