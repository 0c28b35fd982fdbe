"""Importing an edXML message into a year: the national axis, other
systems and historical bulk imports all come through here.

The header becomes deposit metadata and goes through the same steps as a
multipart deposit (prepare → rules.engine.evaluate_file → deposit);
``BussinessDocType`` picks what the message does:

    0 new      a new record (the number must be free: a repeated message is 409)
    1 revoke   recall the record it names
    2 update   a new version ("update") of the record it names
    3 replace  a new version ("replace") of the record it names

An update/replace whose attachment has the sha256 of one of the record's
versions is a replay (the axis delivers at least once): it answers that
version and adds nothing (``ctx.duplicate``).

The operation it performs fires its event with ``because=import_edxml``: one
audit entry per message, named as the import.
"""
import json

from ..deposit import service
from ..rules.engine import evaluate_file
from ..rules.issuer import issuer_of
from ..deposit.upload import Spooled, safe_filename
from ..errors import ArchiveError, BadRequest
from ..events import Because
from ..workflow import recall as rc
from ..workflow import versions as vs
from .parse import Node
from .schema import BUSINESS, DOCTYPE_BY_NAME, URGENCY_OF, AR_NS, parse_edxml_date


def _int(text, field):
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise BadRequest("invalid_metadata", "Trường %s của edXML phải là số nguyên." % field,
                         [{"field": field, "value": text}])


def _date(text, field):
    if not text:
        return None
    try:
        return parse_edxml_date(text)
    except ValueError:
        raise BadRequest("invalid_metadata", "Ngày %s của edXML không đúng dạng yyyy/MM/dd."
                         % field, [{"field": field, "value": text}])


def _doctype(header):
    ext = _extension(header)
    code = ext.value("DocType") if ext is not None else None
    name = header.value("DocumentType/TypeName") or ""
    return code or DOCTYPE_BY_NAME.get(name.lower()) or name


def _extension(header):
    return next((c for c in header.children if c.tag == "ArchiveInfo" and c.ns == AR_NS), None)


def metadata_of(header: Node):
    """Deposit metadata (the contract's fields) from a MessageHeader."""
    meta = {
        "number": _int(header.value("Code/CodeNumber"), "CodeNumber"),
        "notation": header.value("Code/CodeNotation"),
        "doctype": _doctype(header),
        "subject": header.value("Subject"),
        "issued_on": _date(header.value("PromulgationInfo/PromulgationDate"),
                           "PromulgationDate"),
        "signer": header.value("SignerInfo/FullName"),
        "signer_position": header.value("SignerInfo/Position"),
        "urgency": URGENCY_OF.get(header.value("OtherInfo/Priority", "0")),
        "receivers": [to.value("OrganId") for to in header.findall("To") if to.value("OrganId")],
        "page_count": _int(header.value("OtherInfo/PageAmount"), "PageAmount"),
        "issued_amount": _int(header.value("OtherInfo/PromulgationAmount"),
                              "PromulgationAmount"),
        "due_date": _date(header.value("DueDate"), "DueDate"),
    }
    meta.update(_extension_fields(_extension(header)))
    return {k: v for k, v in meta.items() if v not in (None, "", [])}


def _extension_fields(ext):
    if ext is None:
        return {}
    return {"digitized": ext.value("Digitized") == "true",
            "language": ext.value("Language"), "description": ext.value("Description"),
            "keywords": [k.text.strip() for k in ext.findall("Keyword")]}


def business_of(message):
    trace = message.trace
    code = trace.value("Bussiness/BussinessDocType", "0") if trace is not None else "0"
    reason = trace.value("Bussiness/BussinessDocReason") if trace is not None else None
    if code not in BUSINESS:
        raise BadRequest("edxml_business", "BussinessDocType %s không được hỗ trợ "
                         "(0 mới, 1 thu hồi, 2 cập nhật, 3 thay thế)." % code)
    return BUSINESS[code], reason


class ImportContext:
    """What an import needs besides the message; after it, ``version`` is
    the version the message brought (or found) and ``duplicate`` is true
    when an update/replace was a replay of bytes already kept."""

    version = None
    duplicate = False
    # (sha256, metadata, report) a worker made ahead (scripts/import_edxml.py)
    made_ahead = None

    def __init__(self, year, actor, at, policy, registry, request=None, limit=None,
                 tmpdir=None, deliver=True, detail=None):
        self.year, self.actor, self.at, self.policy = year, actor, at, policy
        self.registry, self.request, self.limit, self.tmpdir = registry, request, limit, tmpdir
        self.deliver = deliver
        self.detail = dict(detail or {})     # more for the audit entry (the CLI: file)

    def because(self, business, **detail):
        return Because("import_edxml", dict(self.detail, business=business, **detail))


def import_message(message, ctx, known_agency):
    """Apply ``message`` to ``ctx.year``; return ``(business, record)``."""
    header = message.header
    sender = header.value("From/OrganId")
    if sender != ctx.year.agency_code:
        raise BadRequest("edxml_wrong_agency",
                         "Thông điệp do cơ quan %s ban hành, không nhập vào kho của %s."
                         % (sender, ctx.year.agency_code),
                         [{"from": sender, "agency": ctx.year.agency_code}])
    business, reason = business_of(message)
    return business, HANDLERS[business](message, ctx, known_agency, business, reason)


def _spooled(message, ctx):
    pdfs = message.attachments()
    if not pdfs:
        raise BadRequest("missing_file", "Thông điệp edXML không có tệp đính kèm.",
                         [{"element": "AttachmentEncoded"}])
    a = message.unzipped(pdfs[0], ctx.limit or (1 << 40), ctx.tmpdir)
    return Spooled(a.path, a.sha256, a.size, safe_filename(a.name or "document.pdf"))


def _new_metadata(message, ctx, known_agency):
    """A new record's validated metadata (also what ``precheck`` judges);
    what another system issued is kept with its gaps (rule metadata_complete)."""
    return service.prepare(json.dumps(metadata_of(message.header)), ctx.year, known_agency,
                           complete=False)


def _new(message, ctx, known_agency, business, reason):
    meta = _new_metadata(message, ctx, known_agency)
    spooled = _spooled(message, ctx)
    report = evaluate_file(spooled, meta, ctx.at, ctx.policy, issuer_of(ctx.year),
                           report=_made_ahead(ctx, spooled, meta))
    record = service.deposit(ctx.year, meta, spooled, report, ctx.actor, ctx.at,
                             registry=ctx.registry, request=ctx.request, deliver=ctx.deliver,
                             because=ctx.because(business, version=1))
    ctx.version = record.current
    return record


def _made_ahead(ctx, spooled, meta):
    """The report made ahead, if it was made for exactly these bytes and
    this metadata (else None: the rules run here)."""
    ahead = ctx.made_ahead
    return ahead[2] if ahead and ahead[:2] == (spooled.sha256, meta) else None


def precheck(message, ctx, known_agency):
    """``(sha256, metadata, job)`` if ``message`` is a new record whose
    metadata is valid — ``job`` being the arguments of ``evaluate`` but the
    policy (``rules/pool.py``) — else None (the import itself then raises
    what is wrong).  Reads only: the rules run elsewhere meanwhile."""
    try:
        if business_of(message)[0] != "new" \
                or message.header.value("From/OrganId") != ctx.year.agency_code:
            return None
        meta = _new_metadata(message, ctx, known_agency)
        spooled = _spooled(message, ctx)
    except ArchiveError:
        return None
    return spooled.sha256, meta, (spooled.path, meta, ctx.at, issuer_of(ctx.year))


def _existing(message, ctx):
    number = _int(message.header.value("Code/CodeNumber"), "CodeNumber")
    record = ctx.year.get(str(number)) if number else None
    if record is None:
        raise ArchiveError("record_not_found", "Không có văn bản số %s năm %s của cơ quan %s "
                           "để cập nhật hoặc thu hồi." % (number, ctx.year.year,
                                                           ctx.year.agency_code), status=404)
    return record


def _version(message, ctx, known_agency, business, reason):
    """A new version — unless the axis replays a message: bytes the record
    already has are that version again, and nothing is added."""
    record = _existing(message, ctx)
    vs.check_allowed(record, ctx.actor)
    spooled = _spooled(message, ctx)
    ctx.version, ctx.duplicate = vs.add_version(
        record, business, spooled, ctx.actor, ctx.at, ctx.policy, registry=ctx.registry,
        request=ctx.request, because=ctx.because(business))
    return record


def _revoke(message, ctx, known_agency, business, reason):
    record = _existing(message, ctx)
    rc.recall(record, ctx.actor, reason, ctx.at, registry=ctx.registry, request=ctx.request,
              because=ctx.because(business, version=record.current.number,
                                  sha256=record.current.sha256))
    return record


HANDLERS = {"new": _new, "update": _version, "replace": _version, "revoke": _revoke}
