"""kill -9 during concurrent deposits: a server killed at random moments
loses no acknowledged deposit, gives no number twice, leaves no gap, and
after a restart the catalog and the full-text index agree with ZODB."""
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import H38, build_env, close_env, default_metadata
from tests.foundation.test_deposit_http import settle
from tests.support.pdfs import make_pdf

CHILD = Path(__file__).resolve().parents[1] / "support" / "serve_child.py"
PORT = 7121
CYCLES = 4
CLIENTS = 6


def start(folder):
    token = Path(folder, "token")
    if token.exists():
        token.unlink()
    child = subprocess.Popen([sys.executable, str(CHILD), str(folder), str(PORT)],
                             env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    deadline = time.monotonic() + 60
    while not token.exists():
        assert time.monotonic() < deadline and child.poll() is None, "server did not start"
        time.sleep(0.05)
    while True:
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).connect()
            return child, token.read_text()
        except OSError:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def body(i):
    boundary = "kill9-%d" % i
    meta = json.dumps(dict(default_metadata(), subject="Văn bản thử %d" % i),
                      ensure_ascii=False).encode()
    pdf = make_pdf(["Văn bản thử %d" % i])
    return b"".join([b"--%s\r\n" % boundary.encode(),
                     b'Content-Disposition: form-data; name="metadata"\r\n\r\n', meta, b"\r\n",
                     b"--%s\r\n" % boundary.encode(),
                     b'Content-Disposition: form-data; name="file"; filename="a.pdf"\r\n',
                     b"Content-Type: application/pdf\r\n\r\n", pdf, b"\r\n",
                     b"--%s--\r\n" % boundary.encode()]), "multipart/form-data; boundary=" + boundary


def client(token, stop, acknowledged, counter):
    while not stop.is_set():
        with counter["lock"]:
            counter["n"] += 1
            i = counter["n"]
        data, content_type = body(i)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            conn.request("POST", "/%s/2026/" % H38, body=data, headers={
                "Authorization": "Bearer " + token, "Accept": "application/json",
                "Content-Type": content_type})
            response = conn.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            return                      # the server died under us: not acknowledged
        assert response.status == 201, answer[:300]
        record = json.loads(answer)
        acknowledged.append((record["number"], record["sha256"]))


def test_kill9_loses_no_acknowledged_deposit(tmp_path):
    rng = random.Random(12)
    acknowledged, counter = [], {"n": 0, "lock": threading.Lock()}
    for _ in range(CYCLES):
        child, token = start(tmp_path)
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(token, stop, acknowledged, counter))
                   for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.8, 2.5))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        stop.set()
        for t in threads:
            t.join(60)
    assert len(acknowledged) >= CYCLES        # deposits were acknowledged in each run
    env = build_env(tmp_path)
    try:
        settle(env)
        conn = env.conn()
        try:
            year = env.root(conn).agencies[H38].data[2026]
            numbers = list(year.keys())
            assert numbers == list(range(1, len(numbers) + 1))      # no gap
            for number, sha256 in acknowledged:                     # none lost
                assert year[number].current.sha256 == sha256
            assert len({n for n, _ in acknowledged}) == len(acknowledged)  # none twice
            from archive_repo.indexing import fulltext_of
            from archive_repo.indexing.rebuild import differences
            diff = differences(env.root(conn), fulltext_of(env.registry))
            assert not any(diff.values()), diff
        finally:
            conn.close()
    finally:
        close_env(env)
