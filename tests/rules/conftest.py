"""Rule-engine fixtures: one test PKI per session, real signed PDFs."""
import os
from datetime import datetime, timedelta

import pytest

from archive_repo.rules import evaluate, policy_from_settings
from tests.support.pki import build_pki
from tests.support.signing import VN, signed_document


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return build_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def settings(pki):
    return {"archive_repo.trust_roots": pki.trust_roots_dir,
            "archive_repo.crl_dir": pki.crl_dir}


@pytest.fixture
def policy(settings):
    return policy_from_settings(settings)


SIGNED_AT = datetime(2026, 3, 5, 9, 0, tzinfo=VN)     # a Thursday


@pytest.fixture
def check(tmp_path, policy):
    """``check(pdf_bytes, **metadata, deposited_at=…) -> report``"""
    counter = iter(range(10 ** 6))

    def run(pdf, deposited_at=None, **metadata):
        path = os.path.join(tmp_path, "doc-%d.pdf" % next(counter))
        with open(path, "wb") as f:
            f.write(pdf)
        metadata.setdefault("receivers", [])
        return evaluate(path, metadata, deposited_at or SIGNED_AT + timedelta(hours=1), policy)
    return run


@pytest.fixture(scope="session")
def good_pdf(pki):
    return signed_document(pki, org_time=SIGNED_AT)


def by_code(report):
    return {c["code"]: c for c in report["checks"]}
