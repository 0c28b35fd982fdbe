"""File nodes: a version's PDF (bytes in a blob, properties from the
version's pickle) and small files generated from stored metadata
(metadata.json, metadata.xml, validation.json, recall.json, register
entries).  A generated file is rendered once per node, so its length and
ETag (SHA-256 of the bytes) are exactly what a GET returns."""
import hashlib
import json
from datetime import datetime

from .. import timeutil
from ..resources.record import version_facts
from .tree import Node, nfc, record_modified

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
RESERVED = ("validation.json",)


def pdf_name(version):
    """The name the clerk deposited the file with, made safe for a path
    segment; ``document.pdf`` when there is none."""
    name = (version.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name in RESERVED or name.startswith("."):
        return "document.pdf"
    return nfc(name)


class PdfNode(Node):
    content_type = "application/pdf"

    def __init__(self, site, parent, name, version):
        super().__init__(site, parent, name)
        self.version = version
        self.record = parent.record

    def modified(self):
        return self.version.deposited_at

    created = modified

    def length(self):
        return self.version.size

    def etag(self):
        return '"sha256:%s"' % self.version.sha256

    def extra(self):
        return {"sha256": self.version.sha256, "version": str(self.version.number)}


class GeneratedNode(Node):
    """A file whose bytes ``render()`` makes from stored metadata;
    ``modified()`` says when the state they come from last changed."""

    def __init__(self, site, parent, name, content_type, render, modified):
        super().__init__(site, parent, name)
        self.content_type = content_type
        self._render = render
        self._modified = modified
        self._body = None

    def body(self):
        if self._body is None:
            self._body = self._render()
        return self._body

    def modified(self):
        return self._modified()

    created = modified

    def length(self):
        return len(self.body())

    def etag(self):
        return '"sha256:%s"' % hashlib.sha256(self.body()).hexdigest()


def dump_json(data):
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def _metadata_json(node):
    from ..http.serialize import record_json
    return dump_json(record_json(node.site.request, node.record, with_history=False))


def _metadata_xml(node):
    from lxml import etree

    from ..edxml.build import message_header as build
    agencies = node.site.root.agencies

    def organ_name(code):
        agency = agencies.get(code)
        return agency.name if agency is not None and agency.name else code
    return etree.tostring(build(node.record, organ_name), xml_declaration=True,
                          encoding="utf-8", pretty_print=True)


def _made_at(report):
    """The report's time; None when it has none readable (its bytes, and
    so the ETag, still change)."""
    try:
        return timeutil.to_vn(datetime.fromisoformat((report or {})["made_at"]))
    except (KeyError, TypeError, ValueError):
        return None


def reports_modified(version):
    """When the version's reports last changed: ``archive-repo revalidate``
    appends a report (with its ``made_at``) without a new deposit, and a
    Last-Modified left at the deposit would let If-Modified-Since answer
    304 for the stale file."""
    made = [_made_at(report) for report in (version.report, *version.reports)]
    return max([version.deposited_at] + [moment for moment in made if moment])


def validation_node(parent, version):
    def render():
        return dump_json(dict({"version": version.number, "report": version.report,
                               "revalidations": list(version.reports)},
                              **version_facts(parent.site.request.registry, parent.record,
                                              version)))
    return GeneratedNode(parent.site, parent, "validation.json", JSON_TYPE, render,
                         lambda: reports_modified(version))


def generated_for(node):
    """Name → factory of the generated files of a record node."""
    record, site = node.record, node.site

    def when():
        # metadata.json also counts each version's revalidations
        return max([record_modified(site, record)]
                   + [reports_modified(version) for version in record.versions])

    def make(name, content_type, render):
        return lambda: GeneratedNode(site, node, name, content_type, render, when)
    found = {"metadata.json": make("metadata.json", JSON_TYPE, lambda: _metadata_json(node))}
    found["metadata.xml"] = make("metadata.xml", XML_TYPE, lambda: _metadata_xml(node))
    found["validation.json"] = lambda: validation_node(node, record.current)
    if record.recall is not None:
        found["recall.json"] = make("recall.json", JSON_TYPE,
                                    lambda: dump_json(_as_json(record.recall)))
    return found


def _as_json(item):
    return item.as_json() if hasattr(item, "as_json") else item


class JsonEntryNode(GeneratedNode):
    """A leaf of a named register (``as_json()``), e.g. an incoming entry."""

    def __init__(self, site, parent, name, entry):
        moment = getattr(entry, "cancelled_at", None) or getattr(entry, "received_at", None)
        super().__init__(site, parent, name, JSON_TYPE,
                         lambda: dump_json(entry.as_json()), lambda: moment)
