"""Archival information packages (Circular 05/2025/TT-BNV on the E-ARK
model), wrapped as BagIt bags (RFC 8493, the ``bagit`` package).

Inside the zip, one folder named from the package's OBJID (``urn:uuid:…``,
``:`` → ``_``) is the bag; its payload ``data/`` is the AIP::

    METS.xml                                  OAISPACKAGETYPE="AIP", SHA-256 on every file
    metadata/descriptive/EAD.xml              the agency's year (or dossier) and its documents
    metadata/preservation/PREMIS.xml          objects, events, agents of every record
    representations/rep1/data/<n>/v<k>.pdf    every version's original bytes, unchanged
    representations/rep1/metadata/descriptive/EAD_doc_<n>.xml
    representations/rep1/metadata/preservation/PREMIS_doc_<n>.xml
    representations/rep1/metadata/other/record_<n>.json   metadata, versions, validation
                                              reports, audit history (what import reads)
    representations/rep1/metadata/other/edxml-header_<n>.xml   the document's edXML
                                              MessageHeader (QCVN 102:2016), as sent
    schemas/                                  the XSDs the METS and EAD are checked against

Every reference is a relative path with its SHA-256; times are +07:00.
``import_package`` brings a package into an archive that does not hold its
records yet and gives the same records (bytes, metadata, reports, events)
plus a ``transfer`` event each; the record's audit history comes along as
imported entries, and its deliveries and recall are replayed through the
workflow (:mod:`.carried`).
"""
import hashlib
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from datetime import datetime

import bagit
from lxml import etree

from .. import audit, db, timeutil
from ..errors import ArchiveError
from ..edxml.build import message_header
from ..events import RecordAdded, fire
from ..records.dossiers import dossiers_of
from ..resources import Agency, Record, Version, get_root
from . import premis
from .carried import replay_carried, send_carried
from .events import append_standalone, archive_repo, events_of, make_event, object_id

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")
METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XLINK_NS = "http://www.w3.org/1999/xlink"
EAD_NS = "http://ead3.archivists.org/schema/"
PROFILE = "https://earkaip.dilcis.eu/profile/E-ARK-AIP.xml"
REP = "representations/rep1"


class PackageError(ArchiveError):
    status = 400


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


# -- what goes in --------------------------------------------------------------

def select_records(root, agency, year, dossier=None):
    """The agency's records of ``year``, or the members of its dossier
    ``dossier`` (its name under ``/{agency}/dossiers/``; members held by
    reference from other agencies included); never destroyed ones."""
    container = root.agencies.get(agency)
    if dossier is not None and container is not None:
        found = next((d for d in dossiers_of(container).data.values()
                      if d.__name__ == str(dossier)), None)
        if found is None:
            raise PackageError("nothing_to_export", "Không có hồ sơ %s của cơ quan %s."
                               % (dossier, agency))
        return container, [r for r in found.members if not r.destroyed]
    if container is None or year not in container.data:
        raise PackageError("nothing_to_export", "Không có văn bản nào của cơ quan %s năm %s."
                           % (agency, year))
    return container, [r for r in container.data[year].values() if not r.destroyed]


def record_json(conn, record, files):
    def version(v):
        return {"number": v.number, "sha256": v.sha256, "size": v.size, "filename": v.filename,
                "deposited_at": timeutil.isoformat(v.deposited_at),
                "deposited_by": v.deposited_by, "reason": v.reason, "report": v.report,
                "reports": list(v.reports), "file": files[object_id(record.path, v)]}
    agency = record.__parent__.__parent__
    return {"path": record.path, "agency": record.agency_code, "year": record.year,
            "agency_name": agency.name,
            "number": record.number, "metadata": record.metadata,
            "deposited_by": record.deposited_by,
            "versions": [version(v) for v in record.versions],
            "deliveries": [d.as_json() if hasattr(d, "as_json") else str(d)
                           for d in record.deliveries],
            "recall": record.recall.as_json() if hasattr(record.recall, "as_json") else None,
            "audit": audit.get_log(conn.get_connection(audit.AUDIT_DB)).for_target(record.path)}


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def xml_bytes(node):
    return etree.tostring(node, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# -- EAD -------------------------------------------------------------------------

def e(parent, name, text=None, **attrs):
    node = etree.SubElement(parent, "{%s}%s" % (EAD_NS, name), **attrs)
    if text is not None:
        node.text = str(text)
    return node


def did(parent, unitid, title, date=None, origination=None, pages=None, href=None):
    node = e(parent, "did")
    e(node, "unitid", unitid)
    e(node, "unittitle", title or "")
    if date:
        e(node, "unitdate", date, normal=date, unitdatetype="inclusive")
    if origination:
        e(node, "origination", origination)
    if pages:
        e(node, "physdesc", "%s trang" % pages)
    if href:
        e(node, "dao", daotype="borndigital", href=href)
    return node


def ead_document(objid, title, agency, created, components):
    root = etree.Element("{%s}ead" % EAD_NS, nsmap={None: EAD_NS})
    control = e(root, "control")
    e(control, "recordid", objid)
    e(e(e(control, "filedesc"), "titlestmt"), "titleproper", title)
    e(control, "maintenancestatus", value="new")
    e(e(control, "maintenanceagency"), "agencyname", agency)
    event = e(e(control, "maintenancehistory"), "maintenanceevent")
    e(event, "eventtype", value="created")
    e(event, "eventdatetime", created, standarddatetime=created)
    e(event, "agenttype", value="machine")
    e(event, "agent", archive_repo().label)
    return root, control


def ead_of_year(objid, container, year, records, created):
    root, _ = ead_document(objid, "%s — năm %d" % (container.name or container.code, year),
                           container.name or container.code, created, records)
    desc = e(root, "archdesc", level="series")
    did(desc, "%s/%d" % (container.code, year), "Văn bản điện tử năm %d" % year,
        origination=container.name or container.code)
    dsc = e(desc, "dsc")
    for record in records:
        c = e(dsc, "c", level="item", id="doc-%d" % record.number)
        document_did(c, record)
    return root


def document_did(parent, record, href=None):
    meta = record.metadata
    did(parent, "%s/%s" % (record.number, meta.get("notation") or ""), meta.get("subject"),
        meta.get("issued_on"), meta.get("signer"), meta.get("page_count"), href)


def ead_of_document(objid, record, href, created):
    root, _ = ead_document(objid, record.metadata.get("subject") or record.path,
                           record.agency_code, created, [record])
    desc = e(root, "archdesc", level="item")
    document_did(desc, record, href)
    return root


# -- METS ------------------------------------------------------------------------

def m(parent, name, **attrs):
    return etree.SubElement(parent, "{%s}%s" % (METS_NS, name), **attrs)


def file_attrs(base, rel, created):
    path = os.path.join(base, rel)
    return {"SIZE": str(os.path.getsize(path)), "CREATED": created,
            "CHECKSUM": sha256_of(path), "CHECKSUMTYPE": "SHA-256"}


def locat(node, rel):
    m(node, "FLocat", LOCTYPE="URL", **{"{%s}type" % XLINK_NS: "simple",
                                         "{%s}href" % XLINK_NS: rel})


def md_ref(parent, id, base, rel, mdtype, created, other=None):
    sec = m(parent, parent_kind(parent), ID=id, CREATED=created)
    attrs = dict(file_attrs(base, rel, created), MDTYPE=mdtype, MIMETYPE="text/xml",
                 LOCTYPE="URL", **{"{%s}type" % XLINK_NS: "simple",
                                   "{%s}href" % XLINK_NS: rel})
    if other:
        attrs["OTHERMDTYPE"] = other
    m(sec, "mdRef", **attrs)


def parent_kind(parent):
    return "digiprovMD" if parent.tag == "{%s}amdSec" % METS_NS else "dmdSec"


def mets_document(objid, label, base, groups, created):
    """``groups``: [(use, [(relative path, mime type)])]; base: the AIP folder."""
    root = etree.Element("{%s}mets" % METS_NS, nsmap={"mets": METS_NS, "csip": CSIP_NS,
                                                      "xlink": XLINK_NS},
                         OBJID=objid, TYPE="Mixed", LABEL=label, PROFILE=PROFILE)
    root.set("{%s}CONTENTINFORMATIONTYPE" % CSIP_NS, "MIXED")
    header = m(root, "metsHdr", CREATEDATE=created)
    header.set("{%s}OAISPACKAGETYPE" % CSIP_NS, "AIP")
    agent = m(header, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    m(agent, "name").text = "archive_repo"
    m(agent, "note").text = archive_repo().version
    holder = root
    md_ref(holder, "dmd-ead", base, "metadata/descriptive/EAD.xml", "EAD", created)
    amd = m(root, "amdSec")
    md_ref(amd, "premis", base, "metadata/preservation/PREMIS.xml", "PREMIS", created)
    files = m(root, "fileSec")
    struct = m(root, "structMap", TYPE="PHYSICAL", LABEL="CSIP")
    top = m(struct, "div", LABEL=objid)
    for g, (use, entries) in enumerate(groups, 1):
        group = m(files, "fileGrp", ID="grp-%d" % g, USE=use)
        div = m(top, "div", LABEL=use)
        for i, (rel, mime) in enumerate(entries, 1):
            fid = "file-%d-%d" % (g, i)
            node = m(group, "file", ID=fid, MIMETYPE=mime, **file_attrs(base, rel, created))
            locat(node, rel)
            m(div, "fptr", FILEID=fid)
    return root


# -- export ----------------------------------------------------------------------

def organ_namer(root):
    """An agency's name for the edXML header (its code when it has none)."""
    def name(code):
        agency = root.agencies.get(code)
        return agency.name if agency is not None and agency.name else code
    return name


def build_aip(conn, aip, objid, container, year, records, created, creation):
    files, groups_rep, groups_meta = {}, [], []
    for record in records:
        for version in record.versions:
            rel = "%s/data/%d/v%d.pdf" % (REP, record.number, version.number)
            with version.blob.open("r") as src:
                os.makedirs(os.path.dirname(os.path.join(aip, rel)), exist_ok=True)
                with open(os.path.join(aip, rel), "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            files[object_id(record.path, version)] = rel
            groups_rep.append((rel, "application/pdf"))
    events = [(r, events_of(conn, r.path) + [creation[r.path]]) for r in records]
    organ_name = organ_namer(get_root(conn))
    for record, evs in events:
        base = "%s/metadata" % REP
        first = files[object_id(record.path, record.versions[0])]
        items = {
            "%s/descriptive/EAD_doc_%d.xml" % (base, record.number):
                xml_bytes(ead_of_document(objid, record, first, created)),
            "%s/preservation/PREMIS_doc_%d.xml" % (base, record.number):
                premis.serialise([(record, evs)], files),
            "%s/other/record_%d.json" % (base, record.number):
                json.dumps(dict(record_json(conn, record, files), premis_events=evs),
                           ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"),
            "%s/other/edxml-header_%d.xml" % (base, record.number):
                xml_bytes(message_header(record, organ_name)),
        }
        for rel, data in items.items():
            write(os.path.join(aip, rel), data)
            groups_meta.append((rel, "application/json" if rel.endswith(".json")
                                else "text/xml"))
    write(os.path.join(aip, "metadata/descriptive/EAD.xml"),
          xml_bytes(ead_of_year(objid, container, year, records, created)))
    write(os.path.join(aip, "metadata/preservation/PREMIS.xml"),
          premis.serialise(events, files))
    shutil.copytree(SCHEMAS, os.path.join(aip, "schemas"))
    schemas = [("schemas/" + name, "text/xml") for name in sorted(os.listdir(SCHEMAS))]
    label = "%s/%d" % (container.code, year)
    mets = mets_document(objid, label, aip, [(REP + "/data", groups_rep),
                                             (REP + "/metadata", groups_meta),
                                             ("schemas", schemas)], created)
    write(os.path.join(aip, "METS.xml"), xml_bytes(mets))


def export(registry, agency, year, to, dossier=None, who="system"):
    """Write the AIP of ``agency``'s ``year`` (or one dossier of it) to the
    zip file ``to``; its summary.  Each record gets an ``information package
    creation`` event."""
    objid = "urn:uuid:%s" % uuid.uuid4()
    created = timeutil.isoformat(timeutil.now())
    work = tempfile.mkdtemp(prefix="aip-", dir=os.path.dirname(os.path.abspath(to)))
    try:
        bag_dir = os.path.join(work, objid.replace(":", "_"))
        os.makedirs(bag_dir)
        with db.reading(registry) as conn:
            container, records = select_records(get_root(conn), agency, year, dossier)
            # the package carries its own creation event, kept here once it is made
            creation = {r.path: make_event(
                r.path, "information package creation", "success", archive_repo(),
                {"package": objid, "file": os.path.basename(to), "by": who},
                objects=[object_id(r.path, v) for v in r.versions]) for r in records}
            build_aip(conn, bag_dir, objid, container, year, records, created, creation)
            source = container.name or container.code
        bag = bagit.make_bag(bag_dir, {
            "Source-Organization": source,
            "External-Identifier": objid,
            "External-Description": "Gói thông tin lưu trữ (AIP) %s năm %d" % (agency, year),
            "Bagging-Date": created[:10],
            "Bag-Software-Agent": archive_repo().label,
        }, checksums=["sha256", "sha512"])
        bag.validate()
        zip_folder(work, to)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    append_standalone(registry, list(creation.values()))
    return {"objid": objid, "records": len(creation), "file": os.path.abspath(to),
            "sha256": sha256_of(to)}


def zip_folder(folder, to):
    tmp = to + ".partial"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
        for base, _, names in os.walk(folder):
            for name in sorted(names):
                full = os.path.join(base, name)
                z.write(full, os.path.relpath(full, folder))
    os.replace(tmp, to)


# -- checking a package ------------------------------------------------------------

def schema(name):
    return etree.XMLSchema(etree.parse(os.path.join(SCHEMAS, name)))


def unpack(file, into):
    """Unzip ``file`` into ``into``; the bag folder, validated."""
    with zipfile.ZipFile(file) as z:
        for name in z.namelist():
            if name.startswith("/") or ".." in name.split("/"):
                raise PackageError("invalid_package", "Gói có đường dẫn không hợp lệ: %s" % name)
        z.extractall(into)
    folders = [n for n in os.listdir(into) if os.path.isdir(os.path.join(into, n))]
    if len(folders) != 1:
        raise PackageError("invalid_package", "Gói phải chứa đúng một thư mục (bag).")
    bag_dir = os.path.join(into, folders[0])
    try:
        bagit.Bag(bag_dir).validate()
    except (bagit.BagError, bagit.BagValidationError) as exc:
        raise PackageError("invalid_package", "Gói không hợp lệ (BagIt): %s" % exc) from None
    return bag_dir


def check_xml(aip):
    """The package's METS and EAD against the shipped schemas, and every
    METS file reference's SHA-256 against the file."""
    problems = []
    for rel, xsd in (("METS.xml", "mets-aip.xsd"), ("metadata/descriptive/EAD.xml",
                                                    "ead-aip.xsd")):
        checker = schema(xsd)
        if not checker.validate(etree.parse(os.path.join(aip, rel))):
            problems.append("%s: %s" % (rel, checker.error_log.last_error))
    mets = etree.parse(os.path.join(aip, "METS.xml"))
    for node in mets.iter("{%s}file" % METS_NS, "{%s}mdRef" % METS_NS):
        href = node.get("{%s}href" % XLINK_NS) or node.find(
            "{%s}FLocat" % METS_NS).get("{%s}href" % XLINK_NS)
        if sha256_of(os.path.join(aip, href)) != node.get("CHECKSUM"):
            problems.append("%s: SHA-256 khác METS" % href)
    return problems


# -- import ------------------------------------------------------------------------

def import_package(registry, file, who="system"):
    """Bring the records of the package ``file`` into this archive; the
    paths imported.  Nothing is written unless every record can be."""
    work = tempfile.mkdtemp(prefix="aip-in-", dir=os.path.dirname(os.path.abspath(file)))
    try:
        aip = os.path.join(unpack(file, work), "data")
        problems = check_xml(aip)
        if problems:
            raise PackageError("invalid_package", "Gói không hợp lệ: " + "; ".join(problems))
        objid = etree.parse(os.path.join(aip, "METS.xml")).getroot().get("OBJID")
        other = os.path.join(aip, REP, "metadata", "other")
        items = [json.load(open(os.path.join(other, n), encoding="utf-8"))
                 for n in sorted(os.listdir(other)) if n.endswith(".json")]
        with db.transaction(registry) as conn:
            root = get_root(conn)
            for item in items:
                add_record(registry, root, aip, item, objid, who)
        return [item["path"] for item in items]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def add_record(registry, root, aip, item, objid, who):
    agency = root.agencies.get(item["agency"])
    if agency is None:
        agency = root.agencies.add(item["agency"], Agency(item["agency"],
                                                          item.get("agency_name") or ""))
    year = agency.ensure_year(agency[item["year"]])
    if item["number"] in year.data:
        raise PackageError("record_exists", "Văn bản %s đã có trong kho: không nhập đè."
                           % item["path"], status=409)
    record = Record(item["number"], item["metadata"], item["deposited_by"])
    for v in item["versions"]:
        version = Version(v["number"], v["sha256"], v["size"], v["filename"],
                          datetime.fromisoformat(v["deposited_at"]), v["deposited_by"],
                          v["report"], v["reason"])
        version.reports.extend(v["reports"])
        path = os.path.join(aip, v["file"])
        if sha256_of(path) != v["sha256"]:
            raise PackageError("invalid_package", "Tệp %s khác mã băm đã ghi." % v["file"])
        copy = path + ".blob"
        shutil.copyfile(path, copy)
        version.store_file(copy)
        record.add_version(version)
    year.add(item["number"], record)
    send_carried(root, record, item)
    fire(registry, RecordAdded(record, None, action="import_package", actor=None,
                               detail={"package": objid, "by": who},
                               carried_events=item["premis_events"],
                               carried_audit=item.get("audit") or (), package=objid))
    replay_carried(registry, root, record, item, objid)
