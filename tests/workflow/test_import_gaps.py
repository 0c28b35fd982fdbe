"""What another system already issued is kept with its gaps: an edXML
message shaped like the Tây Ninh report the issue cites (empty SignerInfo,
zipped attachment — built here, the real message is not in the corpora) is
imported with ``metadata_complete`` failing and naming the field; a clerk's
own deposit without it is still refused, the field named in the JSON error
and on the console."""
import io
import zipfile

from lxml import etree

from tests.support.cli import cli
from tests.support.pdfs import make_pdf
from tests.workflow.conftest import H38, clerk, record_path, with_attachment
from tests.workflow.test_import_cli import make_target, opened, run_import

NS = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}


def _zipped(pdf):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2491-STC-BCTC.pdf", pdf)
    return buf.getvalue()


def _with_gaps(body, drop):
    """The message without the text of its elements named ``drop``."""
    root = etree.fromstring(body)
    for path in drop:
        for node in root.findall(".//" + "/".join("e:" + p for p in path.split("/")), NS):
            node.text = None
            for child in list(node):
                node.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _message(env, tmp_path, name, drop):
    record = env.deposit().json
    body = env.testapp.get(record_path(record) + "/edxml", headers=env.auth(clerk(H38))).body
    path = tmp_path / name
    path.write_bytes(_with_gaps(with_attachment(body, _zipped(make_pdf(["Báo cáo"]))), drop))
    return path


def test_a_message_with_an_empty_signer_is_kept_reference_only(env, tmp_path):
    gappy = _message(env, tmp_path, "gaps.edxml", ["SignerInfo"])
    undated = _message(env, tmp_path, "undated.edxml", ["PromulgationInfo/PromulgationDate"])
    ini = make_target(tmp_path)
    assert run_import(ini, [gappy]) == 0
    with opened(ini) as (root, _):
        [record] = root.agencies[H38].data[2026].values()
        checks = {c["code"]: c for c in record.current.report["checks"]}
        assert record.metadata.get("signer") is None
        assert checks["metadata_complete"]["passed"] is False
        assert checks["metadata_complete"]["details"]["missing"] == ["signer"]
        assert "người ký (signer)" in checks["metadata_complete"]["message"]
        assert record.legal_status == "reference_only"
        assert record.current.filename.endswith(".pdf")     # the zip's member was kept
    # without a date of issue there is no register to file it in: refused, named
    ran = cli(ini, "import", undated, check=False)
    assert ran.returncode == 2 and "PromulgationDate" in ran.stderr


def test_a_clerks_own_deposit_without_the_signer_is_refused_naming_it(env):
    meta = {"signer": ""}
    error = env.deposit(meta=meta, status=400).json["error"]
    assert error["code"] == "invalid_metadata" and "signer" in error["message"]
    assert [d["field"] for d in error["details"]] == ["signer"]


def test_the_console_names_the_refused_field(tmp_path, capsys):
    from archive_repo.errors import BadRequest
    from archive_repo.scripts import main as cli_main
    problem = BadRequest("invalid_metadata", "Metadata của văn bản không hợp lệ: signer",
                         [{"field": "signer", "message": "Thiếu trường bắt buộc."}])
    assert cli_main.report_error(problem) == 2
    err = capsys.readouterr().err
    assert "signer: Thiếu trường bắt buộc." in err


def test_the_rule_knows_every_required_field():
    from archive_repo.deposit.metadata import FIELDS
    from archive_repo.rules.completeness import REQUIRED
    assert set(REQUIRED) == {name for name, (_, required, _) in FIELDS.items() if required}


def test_the_receiver_answers_an_incomplete_message_with_a_02(env, tmp_path):
    """Art. 7.2: what is kept with gaps can still be refused by the receiving
    clerk as incomplete, and the sender gets the 02 status message naming
    the gap (the workflow's own refusal and status message)."""
    import transaction

    from archive_repo.edxml.status import build_status
    from archive_repo.workflow import actions
    gappy = _message(env, tmp_path, "gaps.edxml", ["SignerInfo"])
    ini = make_target(tmp_path)
    assert run_import(ini, [gappy], "--deliver") == 0       # came over the axis
    with opened(ini) as (root, registry):
        [record] = root.agencies[H38].data[2026].values()
        check = next(c for c in record.current.report["checks"]
                     if c["code"] == "metadata_complete")
        [delivery] = record.deliveries
        actions.refuse(delivery, None, record.deposited_at, "incomplete", check["message"],
                       registry=registry)
        status = etree.fromstring(build_status(delivery, lambda code: code))
        transaction.commit()
    assert status.findtext(".//e:StatusCode", namespaces=NS) == "02"
    description = status.findtext(".//e:Description", namespaces=NS)
    assert "Điều 7, khoản 1, điểm a" in description and "signer" in description
    assert status.findtext(".//e:ResponseFor/e:OrganId", namespaces=NS) == H38
