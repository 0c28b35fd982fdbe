"""The storage servers a multi-node deployment runs, started for real by the
tests: a throw-away PostgreSQL cluster (Debian's ``initdb`` / ``pg_ctl``)
for RelStorage and a ``runzeo`` serving two FileStorages (records + blobs,
audit).  Each hands out zodburi URIs; every client gets its own blob cache
(``shared_blob_dir=false``), as app nodes on separate hosts have.

Ports: ``ARCHIVE_TEST_PORT_BASE`` (when set) gives base+0 to ZEO, base+5 to
PostgreSQL and base+1… to app servers, for a machine where each developer
owns a port range; otherwise free ports."""
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
_app_ports = itertools.count(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port(offset):
    base = os.environ.get("ARCHIVE_TEST_PORT_BASE")
    return int(base) + offset if base else free_port()


def app_port():
    """A port for the next app server (base+1 … base+4, then again)."""
    return port(1 + next(_app_ports) % 4)


def wait_port(number, proc=None, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("server exited with %s" % proc.returncode)
        try:
            socket.create_connection(("127.0.0.1", number), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listens on port %d" % number)


# -- PostgreSQL ------------------------------------------------------------
def pg_bin(name):
    """``initdb``/``pg_ctl`` of the newest installed PostgreSQL (Debian keeps
    them off PATH, under /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name),
                   key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else shutil.which(name)


def _as_owner():
    """PostgreSQL refuses to run as root (CI is root): run it as the
    ``postgres`` system user the Debian package creates, via runuser."""
    if os.geteuid() != 0:
        return [], None
    for user in ("postgres", "nobody"):
        try:
            return ["runuser", "-u", user, "--"], pwd.getpwnam(user)
        except KeyError:
            continue
    raise RuntimeError("no system user to run PostgreSQL as")


class PostgresCluster:
    """initdb in ``folder`` (trust authentication, fsync off: throw-away),
    listening on 127.0.0.1 only."""

    USER = "archive"

    def __init__(self, folder):
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.port = port(5)
        self.prefix, owner = _as_owner()
        self.folder.mkdir(parents=True, exist_ok=True)
        if owner is not None:       # a folder directly under /tmp (reachable)
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)

    def _run(self, *argv, **kw):
        return subprocess.run(self.prefix + list(argv), check=True, capture_output=True,
                              text=True, timeout=120, **kw)

    def start(self):
        self._run(pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", self.USER,
                  "-E", "UTF8", "--no-sync", "--locale=C.UTF-8")
        options = ("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
                   % (self.port, self.folder))
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.folder / "server.log"), "-w", "start")
        return self

    def create_database(self, name):
        import psycopg2
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user=self.USER,
                                dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute('CREATE DATABASE "%s"' % name)
        conn.close()
        return name

    def uri(self, database, name, blob_dir=None):
        """``name``: the storage's sort key (see README "Topology": two
        RelStorages in one transaction need names, or nodes deadlock)."""
        uri = "postgres://%s@127.0.0.1:%d/%s?name=%s" % (self.USER, self.port, database, name)
        if blob_dir is not None:
            uri += "&blob_dir=%s&shared_blob_dir=false" % blob_dir
        return uri

    def stop(self):
        subprocess.run(self.prefix + [pg_bin("pg_ctl"), "-D", str(self.data), "-m",
                                      "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)


# -- ZEO -------------------------------------------------------------------
ZEO_CONF = """\
<zeo>
  address 127.0.0.1:{port}
</zeo>
<blobstorage 1>
  blob-dir {var}/blobs
  <filestorage>
    path {var}/Data.fs
  </filestorage>
</blobstorage>
<filestorage audit>
  path {var}/Audit.fs
</filestorage>
"""


class ZEOServer:
    """``runzeo`` with the records (storage ``1``, with blobs) and the audit
    trail (storage ``audit``) — the layout buildout's zeo.conf has."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.port = port(0)
        self.proc = None

    def start(self):
        (self.folder / "blobs").mkdir(parents=True, exist_ok=True)
        conf = self.folder / "zeo.conf"
        conf.write_text(ZEO_CONF.format(port=self.port, var=self.folder))
        self.proc = subprocess.Popen([str(BIN / "runzeo"), "-C", str(conf)],
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(self.folder / "zeo.log", "wb"))
        wait_port(self.port, self.proc)
        return self

    def uri(self, storage, blob_dir=None):
        uri = "zeo://127.0.0.1:%d?storage=%s" % (self.port, storage)
        if blob_dir is not None:
            uri += "&blob_dir=%s&shared_blob_dir=false" % blob_dir
        return uri

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
