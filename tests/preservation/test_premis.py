"""PREMIS 3 events written by the domain operations themselves, and
``…/{n}/premis.xml``."""
from lxml import etree

from archive_repo.preservation.premis import NS

from .conftest import H38

P = {"p": NS}


def premis_of(archive_env, path):
    xml = archive_env.testapp.get(path + "/premis.xml", headers=archive_env.auth("archivist"))
    assert xml.content_type == "application/xml"
    return etree.fromstring(xml.body)


def test_deposit_and_new_version_are_ingested_digested_identified_validated(env):
    created = env.deposit(meta={"number": 7}).json
    path = "/%s/2026/7" % H38
    from tests.support.pdfs import make_pdf
    env.testapp.post(path + "/versions", params={"kind": "update"},
                     upload_files=[("file", "v2.pdf", make_pdf(["Bản đính chính"]))],
                     headers=dict(env.auth(("clerk", H38)), Accept="application/json"),
                     status=201)
    doc = premis_of(env, path)
    types = [(e.findtext("p:eventType", namespaces=P),
              e.findtext("p:linkingObjectIdentifier/p:linkingObjectIdentifierValue",
                         namespaces=P))
             for e in doc.findall("p:event", P)]
    for number in (1, 2):
        obj = "%s/versions/%d" % (path, number)
        for kind in ("ingestion", "message digest calculation", "format identification",
                     "digital signature validation"):
            assert (kind, obj) in types
    digests = doc.xpath("//p:object/p:objectCharacteristics/p:fixity/p:messageDigest/text()",
                        namespaces=P)
    assert digests[0] == created["versions"][0]["sha256"] and len(digests) == 2
    assert doc.xpath("//p:formatVersion/text()", namespaces=P)
    agents = doc.xpath("//p:agent/p:agentName/text()", namespaces=P)
    assert "pikepdf" in agents and "archive_repo" in agents
    for when in doc.xpath("//p:eventDateTime/text()", namespaces=P):
        assert when.endswith("+07:00")
