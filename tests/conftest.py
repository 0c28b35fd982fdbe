"""Shared fixtures: a real app on a real FileStorage (+ blobs, + the audit
database) under a temp dir, real tokens, and a deposit helper.

Everything goes through the real WSGI stack (pyramid_tm, pyramid_retry,
pyramid_zodbconn, the security policy) with WebTest.
"""
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import transaction

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))          # so `tests.support` imports

from tests.support.pdfs import make_pdf  # noqa: E402
from tests.support.pki import ORGANISATION_MNS  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"

H38 = "000.00.00.H38"          # UBND tỉnh Lào Cai
STTTT = "000.00.14.H38"        # a department (test value)
SYT = "000.00.16.H38"          # another department (test value)


def make_settings(tmp_path, **extra):
    var = Path(tmp_path)
    (var / "blobs").mkdir(exist_ok=True)
    (var / "trust").mkdir(exist_ok=True)
    settings = {
        "zodbconn.uri": "file://%s/Data.fs?connection_pool_size=16&blobstorage_dir=%s/blobs" % (var, var),
        "zodbconn.uri.audit": "file://%s/Audit.fs?connection_pool_size=16" % var,
        "archive_repo.index_dir": str(var / "index"),
        "archive_repo.trust_roots": str(var / "trust"),
        "archive_repo.max_upload_mb": "2",
        "retry.attempts": "20",
    }
    settings.update(extra)
    return settings


@dataclass
class Env:
    app: object
    registry: object
    settings: dict
    tokens: dict = field(default_factory=dict)
    testapp: object = None

    def conn(self):
        """A fresh connection (own transaction manager) to look inside."""
        from archive_repo import db
        return db.database(self.registry).open(
            transaction_manager=transaction.TransactionManager())

    def root(self, conn):
        from archive_repo.resources import get_root
        return get_root(conn)

    def auth(self, who):
        return {"Authorization": "Bearer " + self.tokens[who]}

    def deposit(self, agency=H38, year=2026, meta=None, pdf=None, who=None,
                status=201, filename="vanban.pdf", accept_json=True, **kw):
        meta = dict(default_metadata(year), **(meta or {}))
        headers = self.auth(who or ("clerk", agency))
        if accept_json:
            headers["Accept"] = "application/json"
        return self.testapp.post(
            "/%s/%s/" % (agency, year),
            params={"metadata": json.dumps(meta, ensure_ascii=False)},
            upload_files=[("file", filename, make_pdf() if pdf is None else pdf)],
            headers=headers, status=status, **kw)


def default_metadata(year=2026):
    return {
        "notation": "QĐ-UBND", "doctype": "QĐ",
        "subject": "Về việc phê duyệt kế hoạch chuyển đổi số năm %d" % year,
        "issued_on": "%d-03-05" % year, "signer": "Nguyễn Văn An",
        "receivers": [STTTT], "page_count": 1,
    }


def add_agencies(registry, codes):
    from archive_repo import db
    from archive_repo.resources import Agency, get_root
    with db.transaction(registry) as conn:
        root = get_root(conn)
        for code, name in codes:
            if code not in root.agencies:
                root.agencies.add(code, Agency(code, name))


def register_seal(registry, code, mns):
    """``archive-repo agency add-cert CODE --mns X``, as the operator would."""
    from archive_repo import db
    from archive_repo.directory import add_certificate
    from archive_repo.resources import get_root
    with db.transaction(registry) as conn:
        add_certificate(get_root(conn), code, mns=mns)


def issue(registry, role, agency=None):
    from archive_repo import db
    from archive_repo.resources import get_root
    from archive_repo.security import issue_token
    with db.transaction(registry) as conn:
        token, _ = issue_token(get_root(conn), role, agency)
    return token


def build_env(tmp_path, **extra_settings):
    from webtest import TestApp

    from archive_repo import main
    settings = make_settings(tmp_path, **extra_settings)
    app = main({}, **settings)
    registry = app.registry
    add_agencies(registry, [(H38, "Ủy ban nhân dân tỉnh Lào Cai"),
                            (STTTT, "Sở Thông tin và Truyền thông"),
                            (SYT, "Sở Y tế")])
    # the test PKI's organisation certificate is the province's seal here
    register_seal(registry, H38, ORGANISATION_MNS)
    env = Env(app=app, registry=registry, settings=settings)
    for code in (H38, STTTT, SYT):
        env.tokens[("clerk", code)] = issue(registry, "clerk", code)
    env.tokens["archivist"] = issue(registry, "archivist")
    env.tokens["connector"] = issue(registry, "connector")
    env.tokens["admin"] = issue(registry, "admin")
    env.testapp = TestApp(app)
    return env


def close_env(env):
    from archive_repo import db
    db.close_all(env.registry)


@pytest.fixture
def env(tmp_path):
    env = build_env(tmp_path)
    yield env
    close_env(env)
