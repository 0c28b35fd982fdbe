"""Fixtures for the WebDAV door: a small archive with Vietnamese names, a
real waitress server (optionally mounted under a path prefix, as behind a
reverse proxy), and a bulk year built straight in the database."""
import base64
import hashlib
from datetime import timedelta

import pytest
import transaction

from tests.support.threads import race

from tests.conftest import H38, STTTT, build_env, close_env
from tests.support.server import serving

SUBJECT = "Về việc phê duyệt đề án \"Chuyển đổi số\" <giai đoạn 1> & kế hoạch"
FILENAME = "Quyết định phê duyệt đề án.pdf"
PREFIX = "/archive"


class PrefixMount:
    """What a reverse proxy mounting the app under ``/archive/`` hands it:
    SCRIPT_NAME carries the prefix, PATH_INFO the rest."""

    def __init__(self, app, prefix):
        self.app = app
        self.prefix = prefix

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not (path == self.prefix or path.startswith(self.prefix + "/")):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"outside the mount"]
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self.prefix
        environ["PATH_INFO"] = path[len(self.prefix):]
        return self.app(environ, start_response)


def dav(env, method, path, depth="1", body=b"", who="connector", status="*", **kw):
    headers = dict(env.auth(who)) if who else {}
    if depth is not None:
        headers["Depth"] = depth
    headers.update(kw.pop("headers", {}))
    return env.testapp.request(path, method=method, body=body, headers=headers,
                               status=status, **kw)


def basic(token):
    return "Basic " + base64.b64encode(b"connector:" + token.encode()).decode()


@pytest.fixture
def archive(tmp_path):
    """Two records of H38 in 2026 (the first deposited under a Vietnamese
    file name, with XML-hostile characters in its subject), one of STTTT."""
    env = build_env(tmp_path)
    env.first = env.deposit(filename=FILENAME, meta={"subject": SUBJECT}).json
    env.second = env.deposit().json
    env.other = env.deposit(agency=STTTT, meta={"receivers": [H38]}).json
    yield env
    close_env(env)


@pytest.fixture
def server(archive):
    with serving(PrefixMount(archive.app, PREFIX)) as url:
        archive.url = url + PREFIX
        yield archive


def bulk_year(env, agency, year, count, start=1):
    """``count`` records built directly in the database (no rule engine, no
    blob data: listing them must not need either)."""
    from archive_repo.resources import Record, Year, get_root, new_version
    from archive_repo import timeutil
    from archive_repo.events import RecordAdded
    tm = transaction.TransactionManager()
    conn = env.registry._zodb_databases[""].open(transaction_manager=tm)
    at = timeutil.now()
    with tm:
        container = get_root(conn).agencies[agency].ensure_year(Year(year))
        for number in range(start, start + count):
            record = Record(number, {"notation": "CV-UBND", "doctype": "CV",
                                     "subject": "Công văn số %d" % number,
                                     "issued_on": "%d-01-02" % year}, "bulk")
            new_version(record, hashlib.sha256(b"%d" % number).hexdigest(), 1000,
                        "cv-%d.pdf" % number, "bulk", {"legal_status": "reference_only"},
                        at=at + timedelta(seconds=number))
            container.add(number, record)
            # as the deposit service does: the change feed and listing
            # summaries follow the event
            env.registry.notify(RecordAdded(record))
    conn.close()


def run_threads(count, target):
    _, errors = race(count, target)
    assert errors == []
