"""App nodes as an operator runs them: ``pserve`` processes with their own
ini, index folder and blob cache, on one shared database; HTTP clients."""
import json
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from tests.conftest import default_metadata
from tests.foundation.test_cli_and_server import multipart
from tests.support.backends import BIN, app_port, wait_port
from tests.support.pdfs import make_pdf

INI = """
[app:main]
use = egg:archive_repo
{settings}

[server:main]
use = egg:waitress#main
listen = 127.0.0.1:{port}
threads = 4
"""


def write_ini(folder, settings, port=0):
    folder = Path(folder)
    for sub in ("index", "trust-roots", "crls"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    settings = dict({"archive_repo.index_dir": folder / "index",
                     "archive_repo.trust_roots": folder / "trust-roots",
                     "archive_repo.crl_dir": folder / "crls",
                     "retry.attempts": 30}, **settings)
    ini = folder / "node.ini"
    ini.write_text(INI.format(settings="\n".join("%s = %s" % item for item in settings.items()),
                              port=port), encoding="utf-8")
    return ini


class Node:
    """One ``pserve`` app server."""

    def __init__(self, folder, backend):
        self.folder = Path(folder)
        self.port = app_port()
        self.ini = write_ini(self.folder, backend.settings(self.folder), self.port)
        self.base = "http://127.0.0.1:%d" % self.port
        self.proc = None

    def start(self, wait=True):
        self.log = open(self.folder / "pserve.log", "ab")
        self.proc = subprocess.Popen([str(BIN / "pserve"), str(self.ini)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        if wait:
            self.wait()
        return self

    def wait(self):
        wait_port(self.port, self.proc, seconds=60)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        if self.proc is not None:
            self.log.close()

    def kill(self):
        """kill -9: no clean-up of any kind."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    # -- HTTP ----------------------------------------------------------------
    def request(self, path, token, data=None, headers=None, method=None, timeout=60):
        headers = dict({"Authorization": "Bearer " + token, "Accept": "application/json"},
                       **(headers or {}))
        req = urllib.request.Request(self.base + path, data=data, headers=headers,
                                     method=method)
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, json.load(res)

    def deposit(self, token, agency, subject, year=2026):
        meta = dict(default_metadata(year), subject=subject)
        body, ctype = multipart({"metadata": json.dumps(meta, ensure_ascii=False)},
                                {"file": ("vanban.pdf", make_pdf([subject]))})
        status, record = self.request("/%s/%s/" % (agency, year), token, data=body,
                                      headers={"Content-Type": ctype}, method="POST")
        assert status == 201
        return record

    def search_paths(self, token, query, size=100):
        _, found = self.request("/search?size=%d&q=%s" % (size, quote(query)), token)
        return {r["url"][len(self.base):] for r in found["results"]}

    def health(self):
        try:
            with urllib.request.urlopen(self.base + "/health", timeout=10) as res:
                return json.load(res)
        except urllib.error.HTTPError as exc:
            return json.load(exc)


def until(check, seconds=20, every=0.2):
    """``check()``'s value once truthy, or its last value after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)
