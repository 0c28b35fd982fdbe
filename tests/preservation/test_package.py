"""AIP export and import: a BagIt bag (validated with ``bagit``) whose METS
and EAD pass the shipped schemas, holding the original bytes; imported into
an empty archive it gives the same records, reports and events plus a
transfer event."""
import json
import zipfile

import bagit
import pytest
from lxml import etree

from tests.support.cli import cli
from archive_repo.preservation import package

from .conftest import H38, STTTT, build_env, stop, write_ini

JSON = {"Accept": "application/json"}


def record_view(env, path):
    data = env.testapp.get(path, headers=dict(env.auth("archivist"), **JSON)).json
    for v in data["versions"]:
        v.pop("fixity", None)
        v.pop("url", None)
        v.pop("document_url", None)
    return {k: data[k] for k in ("subject", "notation", "number", "legal_status", "checks",
                                 "signatures", "sha256", "size", "filename", "deposited_at",
                                 "deposited_by", "versions")}


def events(env, path):
    from archive_repo.preservation.events import events_of
    conn = env.conn()
    try:
        return [(e["detail"]["id"], e["action"], e["at"], e["outcome"])
                for e in events_of(conn, path)]
    finally:
        conn.close()


def deliveries(env, path):
    data = env.testapp.get(path, headers=dict(env.auth("archivist"), **JSON)).json
    return {"deliveries": [{k: d[k] for k in ("receiver", "state", "sent_at", "accepted_at",
                                               "refused_at", "recall_requested_at",
                                               "recalled_at", "refusal", "incoming",
                                               "events")}
                           for d in data["deliveries"]],
            "recall": data.get("recall")}


def history(env, path):
    from archive_repo import audit
    conn = env.conn()
    try:
        return audit.get_log(conn.get_connection(audit.AUDIT_DB)).for_target(path)
    finally:
        conn.close()


def work_on_deliveries(var):
    """Record 1 accepted (an incoming number), 2 refused, 3 accepted then
    recalled and the recall acknowledged."""
    from tests.workflow.conftest import accept, acknowledge, recall, refuse
    env = build_env(var)
    try:
        one, two, three = ({"agency": H38, "year": 2026, "number": n} for n in (1, 2, 3))
        accept(env, one, STTTT)
        refuse(env, two, STTTT)
        accept(env, three, STTTT)
        recall(env, three)
        acknowledge(env, three, STTTT)
    finally:
        stop(env)


@pytest.fixture(scope="module")
def exported(archive, tmp_path_factory):
    var, ini, _ = archive
    work_on_deliveries(var)
    out = tmp_path_factory.mktemp("aip") / "aip.zip"
    ran = cli(ini, "export", "--agency", H38, "--year", 2026, "--to", out)
    assert "3 văn bản" in ran.stdout
    return var, ini, out


def test_the_package_is_a_valid_bag_with_valid_mets_and_ead(exported, tmp_path):
    var, ini, out = exported
    with zipfile.ZipFile(out) as z:
        z.extractall(tmp_path)
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert folder.name.startswith("urn_uuid_")
    bag = bagit.Bag(str(folder))
    bag.validate()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    for field in ("Source-Organization", "External-Identifier", "Bagging-Date",
                  "Payload-Oxum"):
        assert bag.info.get(field)
    aip = folder / "data"
    assert package.check_xml(str(aip)) == []
    mets = etree.parse(str(aip / "METS.xml")).getroot()
    assert mets.find("{%s}metsHdr" % package.METS_NS).get(
        "{%s}OAISPACKAGETYPE" % package.CSIP_NS) == "AIP"
    assert bag.info["External-Identifier"] == mets.get("OBJID")
    pdfs = sorted((aip / "representations/rep1/data").rglob("*.pdf"))
    assert len(pdfs) == 3
    # each document's edXML header, referenced in METS with its SHA-256
    listed = {f.find("{%s}FLocat" % package.METS_NS).get("{%s}href" % package.XLINK_NS):
              f.get("CHECKSUM") for f in mets.iter("{%s}file" % package.METS_NS)}
    for n in (1, 2, 3):
        rel = "representations/rep1/metadata/other/edxml-header_%d.xml" % n
        header = etree.parse(str(aip / rel)).getroot()
        assert etree.QName(header).localname == "MessageHeader"
        assert header.findtext(".//{*}Subject")
        assert header.findtext(".//{*}From/{*}OrganId") == H38
        assert listed[rel] == package.sha256_of(str(aip / rel))
    # a schema that accepts everything would prove nothing: a damaged METS fails
    mets.find("{%s}metsHdr" % package.METS_NS).attrib.pop("CREATEDATE")
    assert not package.schema("mets-aip.xsd").validate(etree.ElementTree(mets))
    (aip / pdfs[0].relative_to(aip)).write_bytes(b"%PDF-1.7 changed")
    assert "SHA-256" in " ".join(package.check_xml(str(aip)))
    (aip / rel).write_bytes(b"<MessageHeader/>")
    assert any(p.startswith(rel) for p in package.check_xml(str(aip)))


def test_round_trip_into_an_empty_archive(exported, tmp_path):
    var, ini, out = exported
    target = tmp_path / "var"
    target.mkdir()
    stop(build_env(target))
    target_ini = write_ini(target)
    with zipfile.ZipFile(out) as z:
        headers = [n for n in z.namelist() if "/metadata/other/edxml-header_" in n]
        # the history at export time (reading the source later adds views to it)
        exported_audit = {item["path"]: item["audit"] for item in (
            json.loads(z.read(n)) for n in z.namelist() if n.endswith(".json"))}
    assert sorted(h.rsplit("_", 1)[1] for h in headers) == ["1.xml", "2.xml", "3.xml"]
    assert "Đã nhập 3 văn bản" in cli(target_ini, "import-package", out).stdout
    source, copy = build_env(var), build_env(target)
    try:
        for n in (1, 2, 3):
            path = "/%s/2026/%d" % (H38, n)
            assert record_view(copy, path) == record_view(source, path)
            pdf = "%s/document.pdf" % path
            assert copy.testapp.get(pdf, headers=copy.auth("archivist")).body == \
                source.testapp.get(pdf, headers=source.auth("archivist")).body
            before, after = events(source, path), events(copy, path)
            assert after[:len(before)] == [e for e in before]
            assert [e[1] for e in after[len(before):]] == ["transfer"]
            assert "information package creation" in [e[1] for e in before]
            # deliveries, their states, incoming numbers, refusals and the recall
            assert deliveries(copy, path) == deliveries(source, path)
            assert deliveries(copy, path)["deliveries"]
            # the audit history, kept as imported entries, then the import's own
            had, has = exported_audit[path], history(copy, path)
            assert had == history(source, path)[:len(had)]
            assert had[0]["action"] == "deposit" and len(had) >= 2
            assert [dict(h, detail={k: v for k, v in h["detail"].items()
                                    if k != "imported_from"}) for h in has[:len(had)]] == had
            assert all(h["detail"]["imported_from"].startswith("urn:uuid:")
                       for h in has[:len(had)])
            # then the import's own entries (the replayed deliveries are named
            # after it), before this test's reads
            mine = [h["action"] for h in has[len(had):]
                    if h["action"] not in ("view_record", "read_document")]
            assert mine and set(mine) == {"import_package"}
            assert has[len(had)]["action"] == "import_package"
        states = [deliveries(copy, "/%s/2026/%d" % (H38, n))["deliveries"][0]["state"]
                  for n in (1, 2, 3)]
        assert states == ["accepted", "refused", "recalled"]
        assert deliveries(copy, "/%s/2026/3" % H38)["recall"]["reason"]
    finally:
        stop(source)
        stop(copy)
    again = cli(target_ini, "import-package", out, check=False)
    assert again.returncode == 2 and "đã có trong kho" in again.stderr


def test_a_dossier_package_holds_its_members_only(env, tmp_path):
    from tests.records.conftest import open_dossier, path_of, post
    inside, _ = env.deposit().json, env.deposit().json
    dossier = open_dossier(env).json
    post(env, path_of(dossier["url"]) + "/records", {"record": inside["url"]})
    name = path_of(dossier["url"]).rstrip("/").rsplit("/", 1)[1]
    out = tmp_path / "dossier.zip"
    done = package.export(env.registry, H38, 2026, str(out), dossier=name)
    assert done["records"] == 1
    with zipfile.ZipFile(out) as z:
        pdfs = [n for n in z.namelist() if n.endswith(".pdf")]
    assert len(pdfs) == 1 and "/data/%d/v1.pdf" % inside["number"] in pdfs[0]
