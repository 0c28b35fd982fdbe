"""Art. 6.2, 6.3b, 9.2c: the organisation signature is the issuing agency's
own (CN and registered MST/MNS/fingerprints, never O), and the personal
signature is the signer's the metadata names — in the engine, over HTTP and
with ``archive-repo agency add-cert``."""
import pytest

from archive_repo.audit import AUDIT_DB, get_log
from archive_repo.rules import evaluate
from archive_repo.rules.issuer import folded_name
from archive_repo.rules.model import Issuer
from archive_repo.rules.signatures import fingerprint
from tests.conftest import H38, build_env, close_env
from tests.support.cli import cli
from tests.support.pki import FINANCE_MST, ORGANISATION_MNS
from tests.support.signing import signed_document

from .conftest import DESCRIBED, SIGNED_AT, by_code

PROVINCE = "Ủy ban nhân dân tỉnh Lào Cai"
FINANCE_CODE = "000.00.11.H38"


@pytest.fixture(scope="module")
def finance_pdf(pki):
    return signed_document(pki, organisation="finance", org_time=SIGNED_AT)


@pytest.fixture
def judge(tmp_path, policy):
    def run(pdf, issuer, **metadata):
        path = tmp_path / "doc.pdf"
        path.write_bytes(pdf)
        return evaluate(str(path), dict(DESCRIBED, receivers=[], **metadata), SIGNED_AT, policy,
                        issuer)
    return run


def _asn1_cert(party):
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    return asn1_x509.Certificate.load(party.cert.public_bytes(serialization.Encoding.DER))


def test_abbreviations_case_and_diacritics_fold_alike():
    assert folded_name("UBND tỉnh LÀO CAI") == folded_name(PROVINCE) == "uy ban nhan dan tinh lao cai"
    assert folded_name("SỞ TÀI CHÍNH") == folded_name("Sở Tài chính")


def test_a_registered_budget_code_identifies_the_issuer(judge, good_pdf):
    report = judge(good_pdf, Issuer(H38, PROVINCE, mns=(ORGANISATION_MNS,)))
    check = by_code(report)["organisation_signature"]
    assert check["passed"] is True and check["details"]["matched_by"] == "mns"
    assert report["legal_status"] == "equivalent_to_paper", report["legal_status_reasons"]


def test_another_agencys_seal_is_not_the_issuers(judge, finance_pdf):
    report = judge(finance_pdf, Issuer(H38, PROVINCE, mns=(ORGANISATION_MNS,)))
    check = by_code(report)["organisation_signature"]
    assert check["passed"] is False
    assert "Sở Tài chính tỉnh Lào Cai" in check["message"] and PROVINCE in check["message"]
    assert report["legal_status"] == "reference_only" and not report["rejections"]


def test_o_is_never_matched_only_cn(judge, good_pdf):
    # the department's certificate says O=Ủy ban nhân dân tỉnh Lào Cai
    check = by_code(judge(good_pdf, Issuer(H38, PROVINCE)))["organisation_signature"]
    assert check["passed"] is False
    assert "Sở Thông tin và Truyền thông" in check["message"]


def test_cn_with_the_locality_names_the_department(judge, finance_pdf):
    issuer = Issuer(FINANCE_CODE, "Sở Tài chính", locality="tinh lao cai")
    check = by_code(judge(finance_pdf, issuer))["organisation_signature"]
    assert check["passed"] is True and check["details"]["matched_by"] == "name"
    elsewhere = Issuer(FINANCE_CODE, "Sở Tài chính", locality="tinh yen bai")
    assert by_code(judge(finance_pdf, elsewhere))["organisation_signature"]["passed"] is False


def test_tax_code_and_fingerprint_identify_the_issuer(judge, finance_pdf, pki):
    by_mst = Issuer(H38, PROVINCE, mst=(FINANCE_MST,))
    assert by_code(judge(finance_pdf, by_mst))["organisation_signature"]["details"][
        "matched_by"] == "mst"
    by_print = Issuer(H38, PROVINCE, sha256=(fingerprint(_asn1_cert(pki.finance)),))
    assert by_code(judge(finance_pdf, by_print))["organisation_signature"]["details"][
        "matched_by"] == "fingerprint"
    # a registered code of another kind does not stand for this one
    assert by_code(judge(finance_pdf, Issuer(H38, PROVINCE, mns=(FINANCE_MST,))))[
        "organisation_signature"]["passed"] is False


def test_signer_matches_metadata_folded(judge, good_pdf):
    issuer = Issuer(H38, PROVINCE, mns=(ORGANISATION_MNS,))
    check = by_code(judge(good_pdf, issuer, signer="NGUYEN VAN AN"))["signer_matches_metadata"]
    assert check["passed"] is True and check["article"] == "6.2"
    report = judge(good_pdf, issuer, signer="Trần Văn Bình")
    check = by_code(report)["signer_matches_metadata"]
    assert check["passed"] is False
    assert "Nguyễn Văn An" in check["message"] and "Trần Văn Bình" in check["message"]
    assert report["legal_status"] == "reference_only" and not report["rejections"]


def test_signer_check_does_not_apply_to_a_digitised_copy(judge, digitized_pdf):
    report = judge(digitized_pdf, None, digitized=True)
    assert by_code(report)["signer_matches_metadata"]["passed"] is None


# -- over HTTP and from the console ---------------------------------------------------

INI = """[app:main]
use = egg:archive_repo
zodbconn.uri = file://{var}/Data.fs?blobstorage_dir={var}/blobs
zodbconn.uri.audit = file://{var}/Audit.fs
archive_repo.index_dir = {var}/index
archive_repo.trust_roots = {roots}
archive_repo.crl_dir = {crls}
"""


@pytest.fixture(scope="module")
def var(tmp_path_factory, pki):
    var = tmp_path_factory.mktemp("issuer")
    env = build_env(var, **{"archive_repo.trust_roots": pki.trust_roots_dir,
                            "archive_repo.crl_dir": pki.crl_dir})
    yield var, env
    close_env(env)


def _deposit(env, pdf):
    return env.deposit(pdf=pdf, meta={"issued_on": "2026-03-05"}).json


def test_another_agencys_seal_is_stored_reference_only_and_shown(var, finance_pdf):
    _, env = var
    record = _deposit(env, finance_pdf)
    checks = {c["code"]: c for c in record["checks"]}
    assert checks["organisation_signature"]["passed"] is False
    assert record["legal_status"] == "reference_only"
    page = env.testapp.get(record["url"].replace("http://localhost", ""),
                           headers=env.auth("archivist")).text
    assert "signer_matches_metadata" in page
    assert "không phải của cơ quan ban hành" in page


def test_agency_add_cert_makes_the_seal_the_issuers_and_is_audited(tmp_path, finance_pdf, pki):
    settings = {"archive_repo.trust_roots": pki.trust_roots_dir, "archive_repo.crl_dir": pki.crl_dir}
    close_env(build_env(tmp_path, **settings))      # the console opens the FileStorage itself
    pem = tmp_path / "finance.pem"
    pem.write_bytes(pki.finance.pem())
    ini = tmp_path / "app.ini"
    ini.write_text(INI.format(var=tmp_path, roots=pki.trust_roots_dir, crls=pki.crl_dir))
    ran = cli(ini, "agency", "add-cert", H38, "--cert", pem)
    assert "SHA256" in ran.stdout
    bad = cli(ini, "agency", "add-cert", "000.00.99.H38", "--mst", "1", check=False)
    assert bad.returncode == 2 and "000.00.99.H38" in bad.stderr
    env = build_env(tmp_path, **settings)
    try:
        checks = {c["code"]: c for c in _deposit(env, finance_pdf)["checks"]}
        assert checks["organisation_signature"]["details"]["matched_by"] == "fingerprint"
        conn = env.conn()
        entries = get_log(conn.get_connection(AUDIT_DB)).for_target("/" + H38)
        assert [e["action"] for e in entries] == ["agency_add_cert"]
        assert entries[0]["detail"] == {"kind": "sha256",
                                        "value": fingerprint(_asn1_cert(pki.finance))}
        conn.close()
    finally:
        close_env(env)


def test_start_up_gives_older_agencies_their_certificate_map(tmp_path):
    step = "2026-12-agency-certificate-ids"
    env = build_env(tmp_path)
    conn = env.conn()
    with conn.transaction_manager:
        root = env.root(conn)
        del root.evolved[step]
        for agency in root.agencies.values():
            del agency.certificate_ids          # the shape before this release
    conn.close()
    close_env(env)
    env = build_env(tmp_path)                   # start-up runs the step
    try:
        conn = env.conn()
        root = env.root(conn)
        assert step in root.evolved
        assert dict(root.agencies[H38].certificate_ids) == {"mns": (ORGANISATION_MNS,)}
        assert all(a.certificate_ids is not None for a in root.agencies.values())
        conn.close()
    finally:
        close_env(env)
