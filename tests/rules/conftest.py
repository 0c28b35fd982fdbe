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
# what a deposit's metadata always has (rule metadata_complete); a test
# gives its own where it matters
DESCRIBED = {"notation": "KH-UBND", "doctype": "KH", "subject": "Văn bản thử nghiệm",
             "issued_on": "2026-03-05", "signer": "Nguyễn Văn An"}


@pytest.fixture
def check(tmp_path, policy):
    """``check(pdf_bytes, **metadata, deposited_at=…) -> report``"""
    counter = iter(range(10 ** 6))

    def run(pdf, deposited_at=None, **metadata):
        path = os.path.join(tmp_path, "doc-%d.pdf" % next(counter))
        with open(path, "wb") as f:
            f.write(pdf)
        metadata = dict(DESCRIBED, **metadata)
        metadata.setdefault("receivers", [])
        return evaluate(path, metadata, deposited_at or SIGNED_AT + timedelta(hours=1), policy)
    return run


@pytest.fixture(scope="session")
def good_pdf(pki):
    return signed_document(pki, org_time=SIGNED_AT)


def by_code(report):
    return {c["code"]: c for c in report["checks"]}


@pytest.fixture(scope="session")
def rule_policy(pki):
    """A RulePolicy built directly (not from settings) on the test PKI."""
    from archive_repo.rules.model import RulePolicy
    return RulePolicy(trust_roots_dir=pki.trust_roots_dir, crl_dir=pki.crl_dir)


@pytest.fixture
def make_ctx(tmp_path, rule_policy):
    """``make_ctx(pdf_bytes, policy=None, **metadata) -> Context`` with the
    signatures read and classified, as the engine does, so a test can run
    one rule module's RULES by hand."""
    import pikepdf
    from archive_repo.rules import roles, signatures
    from archive_repo.rules.model import Context
    opened = []
    counter = iter(range(10 ** 6))

    def build(pdf, policy=None, **metadata):
        path = tmp_path / ("ctx-%d.pdf" % next(counter))
        path.write_bytes(pdf)
        policy = policy or rule_policy
        ctx = Context(path=str(path), metadata=metadata, policy=policy,
                      deposited_at=SIGNED_AT + timedelta(hours=1), pdf=pikepdf.open(path))
        opened.append(ctx.pdf)
        ctx.signatures = roles.classify(signatures.read_signatures(ctx), policy)
        return ctx
    yield build
    for pdf in opened:
        pdf.close()


@pytest.fixture(scope="session")
def urgent_pdf(pki):
    return signed_document(pki, urgent=True, org_time=SIGNED_AT)


@pytest.fixture(scope="session")
def digitized_pdf(pki):
    return signed_document(pki, kind="digitized", org_time=SIGNED_AT)
