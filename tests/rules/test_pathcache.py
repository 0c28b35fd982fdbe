"""The certificate-path cache changes no verdict (rules/pathcache.py, pdfsig.py).

Each document is judged twice: with the cache off (pyHanko's own
``validate_pdf_signature``, a fresh chain every time) and through one cached
policy shared by the whole sequence, in an order that puts the tricky reuse
right after the entry it must not reuse (before/after a revocation, before/
after expiry, another trust-root set).  Reports must be identical but for
``made_at``.
"""
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from archive_repo.rules import evaluate, policy_from_settings
from archive_repo.rules.pathcache import PathCache, window
from tests.support.signing import VN, signed_document

SIGNED_AT = datetime(2026, 3, 5, 9, 0, tzinfo=VN)
# a deposit's metadata, complete (issue 11's rules judge it)
DESCRIBED = {"receivers": [], "notation": "QĐ-UBND", "doctype": "QĐ",
             "subject": "Về việc phê duyệt kế hoạch", "issued_on": "2026-03-05",
             "signer": "Nguyễn Văn An"}
LATER = SIGNED_AT + timedelta(hours=1)
BEFORE_REVOCATION = datetime(2015, 6, 1, 9, 0, tzinfo=VN)   # revoked 1/1/2016
WHILE_VALID = datetime(2016, 5, 2, 9, 0, tzinfo=VN)         # expired 1/1/2017
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "pyhanko" / "pdf"
# signed by pyHanko's own test PKI: untrusted here, the failure paths
PYHANKO_CORPUS = ["minimal-signed-twice-both-created.pdf", "sig-no-signed-attrs.pdf",
                  "pades-with-old-style-signing-cert-attr.pdf"]


@pytest.fixture(scope="module")
def documents(pki, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pathcache")
    made = {
        "good": signed_document(pki, org_time=SIGNED_AT),
        "good2": signed_document(pki, org_time=SIGNED_AT + timedelta(minutes=5)),
        "urgent": signed_document(pki, urgent=True, org_time=SIGNED_AT),
        "revoked": signed_document(pki, personal="revoked", personal_time=BEFORE_REVOCATION,
                                   org_time=SIGNED_AT),
        "revoked_stamped": signed_document(
            pki, personal="revoked", personal_time=BEFORE_REVOCATION, org_time=SIGNED_AT,
            personal_timestamper=pki.timestamper(BEFORE_REVOCATION)),
        "expired": signed_document(pki, personal="expired", personal_time=WHILE_VALID,
                                   org_time=SIGNED_AT),
        "expired_stamped": signed_document(
            pki, personal="expired", personal_time=WHILE_VALID, org_time=SIGNED_AT,
            personal_timestamper=pki.timestamper(WHILE_VALID)),
        "no_signing": signed_document(pki, organisation="no_signing", org_time=SIGNED_AT),
        "commercial": signed_document(pki, organisation="commercial", org_time=SIGNED_AT),
        "digitized": signed_document(pki, kind="digitized", org_time=SIGNED_AT),
    }
    paths = {}
    for name, data in made.items():
        paths[name] = str(folder / (name + ".pdf"))
        Path(paths[name]).write_bytes(data)
    for name in PYHANKO_CORPUS:
        paths[name] = str(CORPUS / name)
    return paths


@pytest.fixture(scope="module")
def commercial_roots(pki, tmp_path_factory):
    folder = tmp_path_factory.mktemp("commercial-roots")
    (folder / "commercial.pem").write_bytes(pki.commercial_root.pem())
    (folder / "gov.pem").write_bytes(pki.root.pem())
    return str(folder)


def _policy(settings, size, roots=None):
    raw = dict(settings, **{"archive_repo.path_cache_size": str(size)})
    if roots:
        raw["archive_repo.trust_roots"] = roots
    return policy_from_settings(raw)


def _report(path, at, policy):
    report = evaluate(path, DESCRIBED, at, policy)
    report.pop("made_at")
    return report


# (document, deposited at, roots): a verdict that differs from its
# neighbour's is served from the same cache entry if the key is too loose
SEQUENCE = [
    ("good", LATER, None), ("good2", LATER + timedelta(minutes=1), None),
    ("urgent", LATER, None), ("digitized", LATER, None),
    ("revoked", BEFORE_REVOCATION, None), ("revoked", LATER, None),
    ("revoked", BEFORE_REVOCATION + timedelta(days=1), None),
    ("revoked_stamped", LATER, None),
    ("expired", WHILE_VALID, None), ("expired", LATER, None),
    ("expired", WHILE_VALID + timedelta(days=1), None), ("expired_stamped", LATER, None),
    ("no_signing", LATER, None),
    ("commercial", LATER, None), ("commercial", LATER, "commercial"),
    ("commercial", LATER + timedelta(minutes=1), None),
    ("good", LATER, "commercial"),
] + [(name, LATER, None) for name in PYHANKO_CORPUS]


def test_reports_are_identical_with_and_without_the_cache(settings, documents,
                                                          commercial_roots):
    cached = {None: _policy(settings, 64), "commercial": _policy(settings, 64, commercial_roots)}
    # one cache for both root sets: the roots must be part of the key
    cached["commercial"].cache["paths"] = shared = PathCache(64)
    cached[None].cache["paths"] = shared
    verdicts = set()
    for name, at, roots in SEQUENCE:
        bare = _report(documents[name], at, _policy(settings, 0, roots and commercial_roots))
        assert _report(documents[name], at, cached[roots]) == bare, (name, at, roots)
        verdicts.add((name, bare["legal_status"],
                      tuple((s["trusted"], s["revocation"]) for s in bare["signatures"])))
    assert shared.hits > 10, "the sequence never reused a chain"
    # the sequence does hold different verdicts for one document
    assert {"reference_only", "equivalent_to_paper"} <= {v[1] for v in verdicts}
    assert len({v for v in verdicts if v[0] == "revoked"}) == 2
    assert len({v for v in verdicts if v[0] == "commercial"}) == 2


def test_the_cache_serves_the_second_document_by_the_same_signers(settings, documents):
    policy = _policy(settings, 64)
    _report(documents["good"], LATER, policy)
    misses = policy.cache["paths"].misses
    _report(documents["good2"], LATER + timedelta(minutes=3), policy)
    paths = policy.cache["paths"]
    assert paths.misses == misses and paths.hits >= 2


def test_a_moment_on_a_revocation_instant_is_never_served():
    revoked = datetime(2016, 1, 1, tzinfo=VN)
    assert window(revoked, [revoked]) is None
    span = window(revoked + timedelta(days=1), [revoked, revoked + timedelta(days=30)])
    assert span == (revoked + timedelta(seconds=1), revoked + timedelta(days=30, seconds=-1))
    assert window(revoked - timedelta(days=1), [revoked])[1] == revoked - timedelta(seconds=1)


def test_the_cache_is_bounded_least_recently_used_first():
    cache = PathCache(2)
    span = (None, None)
    for key in "abc":
        cache.store(key, span, key.upper())
        cache.lookup("a", SIGNED_AT)          # "a" stays in use
    assert len(cache) == 2
    assert cache.lookup("a", SIGNED_AT) == "A" and cache.lookup("b", SIGNED_AT) is None
    assert cache.lookup("c", SIGNED_AT) == "C"
