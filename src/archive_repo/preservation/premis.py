"""A record's preservation metadata as PREMIS 3 XML: every version as a
file object (SHA-256, size, format as identified), every event, every
agent.  The same serialiser writes ``…/{n}/premis.xml`` and the packages'
``PREMIS.xml``."""
from lxml import etree

from .events import EVENT_TYPES, object_id

NS = "http://www.loc.gov/premis/v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://www.loc.gov/premis/v3 https://www.loc.gov/standards/premis/premis.xsd"
EVENT_TYPE_URI = "http://id.loc.gov/vocabulary/preservation/eventType/"


def q(name):
    return "{%s}%s" % (NS, name)


def sub(parent, name, text=None, **attrs):
    node = etree.SubElement(parent, q(name), **attrs)
    if text is not None:
        node.text = str(text)
    return node


def identifier(parent, kind, type, value):
    node = sub(parent, kind + "Identifier")
    sub(node, kind + "IdentifierType", type)
    sub(node, kind + "IdentifierValue", value)
    return node


def document(records_events, file_names=None):
    """The ``premis`` element for ``[(record, events), …]``; ``file_names``
    maps an object id to its path in a package (``contentLocation``)."""
    root = etree.Element(q("premis"), nsmap={None: NS, "xsi": XSI}, version="3.0")
    root.set("{%s}schemaLocation" % XSI, SCHEMA)
    agents = {}
    for record, events in records_events:
        formats = latest_formats(events)
        for version in record.versions:
            add_object(root, record, version, formats, file_names or {})
    for record, events in records_events:
        for event in events:
            add_event(root, event)
            agents[agent_key(event)] = event
    for key, event in sorted(agents.items()):
        add_agent(root, key, event)
    return root


def serialise(records_events, file_names=None):
    return etree.tostring(document(records_events, file_names), xml_declaration=True,
                          encoding="UTF-8", pretty_print=True)


def latest_formats(events):
    found = {}
    for event in events:
        if event["action"] == "format identification":
            for obj in event["detail"]["objects"]:
                found[obj] = event["detail"]["detail"]
    return found


def add_object(root, record, version, formats, file_names):
    oid = object_id(record.path, version)
    obj = sub(root, "object")
    obj.set("{%s}type" % XSI, "file")
    identifier(obj, "object", "local", oid)
    chars = sub(obj, "objectCharacteristics")
    fixity = sub(chars, "fixity")
    sub(fixity, "messageDigestAlgorithm", "SHA-256")
    sub(fixity, "messageDigest", version.sha256)
    sub(fixity, "messageDigestOriginator", "archive_repo")
    sub(chars, "size", version.size)
    facts = formats.get(oid, {})
    fmt = sub(chars, "format")
    designation = sub(fmt, "formatDesignation")
    sub(designation, "formatName", facts.get("mime_type", "application/pdf"))
    if facts.get("pdf_version"):
        sub(designation, "formatVersion", facts["pdf_version"])
    if version.filename:
        sub(obj, "originalName", version.filename)
    if oid in file_names:
        storage = sub(obj, "storage")
        location = sub(storage, "contentLocation")
        sub(location, "contentLocationType", "relative path")
        sub(location, "contentLocationValue", file_names[oid])


def agent_key(event):
    version = event["detail"].get("agent_version") or ""
    return (event["role"] or "software", event["actor"] or "unknown", version)


def agent_id(key):
    kind, name, version = key
    return "%s:%s%s" % (kind, name, (" " + version) if version else "")


def add_event(root, event):
    node = sub(root, "event")
    identifier(node, "event", "urn", event["detail"]["id"])
    code = EVENT_TYPES[event["action"]][0]
    sub(node, "eventType", event["action"], valueURI=EVENT_TYPE_URI + code)
    sub(node, "eventDateTime", event["at"])
    detail = event["detail"]["detail"]
    if detail:
        info = sub(node, "eventDetailInformation")
        sub(info, "eventDetail", "; ".join("%s=%s" % (k, detail[k]) for k in sorted(detail)
                                           if not isinstance(detail[k], (list, dict))))
    outcome = sub(node, "eventOutcomeInformation")
    sub(outcome, "eventOutcome", event["outcome"])
    agent = sub(node, "linkingAgentIdentifier")
    sub(agent, "linkingAgentIdentifierType", "local")
    sub(agent, "linkingAgentIdentifierValue", agent_id(agent_key(event)))
    for obj in event["detail"]["objects"]:
        link = sub(node, "linkingObjectIdentifier")
        sub(link, "linkingObjectIdentifierType", "local")
        sub(link, "linkingObjectIdentifierValue", obj)


def add_agent(root, key, event):
    kind, name, version = key
    node = sub(root, "agent")
    identifier(node, "agent", "local", agent_id(key))
    sub(node, "agentName", name)
    sub(node, "agentType", kind)
    if version:
        sub(node, "agentVersion", version)
