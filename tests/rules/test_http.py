"""The rule engine through HTTP: deposit real signed PDFs, read the verdict
in the record JSON and page; revalidate from the command line."""
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from archive_repo import timeutil
from tests.conftest import H38, build_env, close_env
from tests.support.signing import signed_document


@pytest.fixture
def signed_env(tmp_path, pki):
    env = build_env(tmp_path, **{"archive_repo.trust_roots": pki.trust_roots_dir,
                                 "archive_repo.crl_dir": pki.crl_dir})
    yield env
    close_env(env)


def _recent():
    return timeutil.now() - timedelta(minutes=20)


def _meta(**extra):
    return dict({"issued_on": timeutil.now().date().isoformat()}, **extra)


def test_correct_document_is_equivalent_to_paper_over_http(signed_env, pki):
    pdf = signed_document(pki, org_time=_recent())
    year = timeutil.now().year
    res = signed_env.deposit(year=year, pdf=pdf, meta=_meta())
    record = res.json
    assert record["legal_status"] == "equivalent_to_paper", record["legal_status_reasons"]
    codes = {c["code"]: c for c in record["checks"]}
    assert codes["organisation_signature"]["passed"] is True
    assert codes["sent_in_time"]["article"] == "6.1b"
    assert {s["role"] for s in record["signatures"]} == {"personal", "organisation"}
    assert record["report"]["trust_roots"]
    page = signed_env.testapp.get(res.headers["Location"], headers=signed_env.auth("archivist"))
    assert "Có giá trị pháp lý tương đương văn bản giấy" in page.text
    assert "Nguyễn Văn An" in page.text


def test_missing_personal_signature_is_reference_only_with_reason(signed_env, pki):
    pdf = signed_document(pki, with_personal=False, org_time=_recent())
    record = signed_env.deposit(year=timeutil.now().year, pdf=pdf, meta=_meta()).json
    assert record["legal_status"] == "reference_only"
    assert any("người có thẩm quyền" in m for m in record["legal_status_reasons"])
    page = signed_env.testapp.get(record["url"].replace("http://localhost", ""),
                                  headers=signed_env.auth("archivist"))
    assert "Chỉ có giá trị để biết, tham khảo" in page.text


def test_tampered_document_is_refused_and_nothing_kept(signed_env, pki):
    pdf = bytearray(signed_document(pki, org_time=_recent()))
    index = pdf.find(b"stream", 2000)
    pdf[index + 20] ^= 0x01
    res = signed_env.deposit(year=timeutil.now().year, pdf=bytes(pdf), meta=_meta(), status=422)
    error = res.json["error"]
    assert error["code"] == "rejected"
    assert "signatures_intact" in [d["code"] for d in error["details"]]
    listing = signed_env.testapp.get("/%s/%d" % (H38, timeutil.now().year),
                                     headers=dict(signed_env.auth("archivist"),
                                                  Accept="application/json"))
    assert listing.json["total"] == 0


def test_revalidate_keeps_the_original_report(signed_env, pki, tmp_path):
    pdf = signed_document(pki, org_time=_recent())
    url = signed_env.deposit(year=timeutil.now().year, pdf=pdf, meta=_meta()).headers["Location"]
    ini = tmp_path / "app.ini"
    ini.write_text("[app:main]\nuse = egg:archive_repo\n" + "".join(
        "%s = %s\n" % item for item in signed_env.settings.items()), encoding="utf-8")
    from tests.conftest import close_env as _close
    _close(signed_env)                      # the CLI opens the FileStorage itself
    cli = Path(sys.executable).parent / "archive-repo"
    proc = subprocess.run([str(cli), "-c", str(ini), "revalidate", "--agency", H38],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Tương đương văn bản giấy: 1" in proc.stdout
    import transaction
    import ZODB
    from ZODB.FileStorage import FileStorage
    var = signed_env.settings["zodbconn.uri"][len("file://"):].split("?")[0]
    db = ZODB.DB(FileStorage(var, blob_dir=os.path.join(os.path.dirname(var), "blobs")))
    conn = db.open()
    from archive_repo.resources import get_root
    number = int(url.rsplit("/", 1)[1])
    record = get_root(conn).agencies[H38][str(timeutil.now().year)][str(number)]
    version = record.current
    assert version.report["legal_status"] == "equivalent_to_paper"
    assert len(version.reports) == 1 and version.reports[0]["kind"] == "revalidation"
    assert version.reports[0]["made_at"] != version.report["made_at"] or \
        version.reports[0]["run_id"]
    conn.close()
    db.close()
    transaction.abort()
