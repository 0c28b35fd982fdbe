"""The agency directory: who may issue and receive, under which code.

Codes are QCVN 102:2016 identifiers ``NNN.NN.NN.LNN``.  The directory is a
data file (``archive_repo/data/agencies.csv``) seeded into the tree as :class:`Agency`
containers; agencies that no longer exist keep their container with
``valid_to`` and ``successor``, so records they issued still resolve.
"""
import csv
import os
import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from ..errors import ArchiveError
from ..resources import Agency

CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
KINDS = ("province", "department", "district", "commune", "central", "unit", "")


@dataclass
class AgencyEntry:
    code: str
    name: str
    short_name: str = ""
    parent_code: Optional[str] = None
    kind: str = ""
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    successor: Optional[str] = None
    provisional: bool = False
    source: str = ""


def validate_code(code):
    """The code, stripped and upper-cased, or ArchiveError."""
    normalised = (code or "").strip().upper()
    if not CODE_RE.match(normalised):
        raise ArchiveError("invalid_agency_code",
                           "Mã cơ quan %r không đúng dạng NNN.NN.NN.LNN (QCVN 102:2016)." % code)
    return normalised


def default_directory_path():
    """The directory shipped with the package (``archive_repo/data/agencies.csv``);
    the setting ``archive_repo.agency_directory`` names another."""
    from ..settings import DEFAULT_AGENCIES
    return DEFAULT_AGENCIES


def _date(text, line, field):
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArchiveError("invalid_directory",
                           "Dòng %d: %s %r không phải ngày YYYY-MM-DD." % (line, field, text))


def _entry(row, line):
    try:
        code = validate_code(row["code"])
    except ArchiveError as exc:
        raise ArchiveError("invalid_directory", "Dòng %d: %s" % (line, exc.message))
    if not (row.get("name") or "").strip():
        raise ArchiveError("invalid_directory", "Dòng %d: thiếu tên cơ quan." % line)
    return AgencyEntry(
        code=code, name=row["name"].strip(), short_name=(row.get("short_name") or "").strip(),
        parent_code=(row.get("parent_code") or "").strip() or None,
        kind=(row.get("kind") or "").strip(),
        valid_from=_date(row.get("valid_from"), line, "valid_from"),
        valid_to=_date(row.get("valid_to"), line, "valid_to"),
        successor=(row.get("successor") or "").strip() or None,
        provisional=(row.get("provisional") or "").strip().lower() in ("yes", "true", "1"),
        source=(row.get("source") or "").strip())


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        lines = [(n, text) for n, text in enumerate(f, 1) if not text.lstrip().startswith("#")]
    reader = csv.DictReader([text for _, text in lines])
    for (number, _), row in zip(lines[1:], reader):
        yield number, row


def load_directory(path):
    """Parse and check the directory file; errors name the line."""
    entries, seen = [], {}
    for line, row in _rows(path):
        entry = _entry(row, line)
        if entry.code in seen:
            raise ArchiveError("invalid_directory", "Dòng %d: mã %s trùng với dòng %d."
                               % (line, entry.code, seen[entry.code]))
        seen[entry.code] = line
        entries.append(entry)
    for entry in entries:
        for ref in (entry.parent_code, entry.successor):
            if ref and ref not in seen:
                raise ArchiveError("invalid_directory", "Dòng %d: mã %s (cơ quan cấp trên/kế thừa) "
                                   "không có trong danh mục." % (seen[entry.code], ref))
    return entries


def _agency(entry):
    return Agency(entry.code, entry.name, entry.parent_code, entry.valid_from,
                  entry.valid_to, entry.successor, entry.provisional, entry.kind,
                  short_name=entry.short_name)


def seed(root, entries):
    """Add the agencies not yet in the tree; return ``(added, skipped)``."""
    added = skipped = 0
    for entry in entries:
        if entry.code in root.agencies:
            skipped += 1
            continue
        root.agencies.add(entry.code, _agency(entry))
        added += 1
    return added, skipped


def add_agency(root, code, name, parent_code=None, short_name="", kind="", **more):
    code = validate_code(code)
    if code in root.agencies:
        raise ArchiveError("agency_exists", "Mã cơ quan %s đã có trong danh mục." % code,
                           status=409)
    if parent_code and parent_code not in root.agencies:
        raise ArchiveError("unknown_parent",
                           "Cơ quan cấp trên %s không có trong danh mục." % parent_code)
    if not (name or "").strip():
        raise ArchiveError("missing_name", "Thiếu tên cơ quan.")
    entry = AgencyEntry(code=code, name=name.strip(), short_name=short_name,
                        parent_code=parent_code, kind=kind, **more)
    return root.agencies.add(code, _agency(entry))


# -- the agency's own certificates ----------------------------------------------

def _pem_fingerprint(data):
    """SHA-256 of a certificate file's DER (PEM or DER given)."""
    import hashlib

    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509
    if asn1_pem.detect(data):
        _, _, data = asn1_pem.unarmor(data)
    try:
        cert = asn1_x509.Certificate.load(data)
        cert.native                     # parse it all now, not at first use
    except (ValueError, TypeError) as exc:
        raise ArchiveError("invalid_certificate",
                           "Tệp không phải chứng thư số X.509 (PEM/DER): %s" % str(exc)[:120])
    return hashlib.sha256(cert.dump()).hexdigest()


def add_certificate(root, code, mst=None, mns=None, pem=None, registry=None, actor=None):
    """Register an identifier of ``code``'s own certificates — a tax code
    (MST), a budget-unit code (MNS) or a certificate file (its SHA-256) —
    so its organisation signature is recognised as the issuer's; audited.
    Returns ``(kind, value)``."""
    from ..events import AgencyChanged, fire
    code = validate_code(code)
    agency = root.agencies.get(code)
    if agency is None:
        raise ArchiveError("unknown_agency", "Mã cơ quan %s không có trong danh mục." % code,
                           status=404)
    given = [(kind, value) for kind, value in
             (("mst", mst), ("mns", mns), ("sha256", pem and _pem_fingerprint(pem)))
             if value]
    if len(given) != 1:
        raise ArchiveError("invalid_certificate_id",
                           "Cần đúng một trong --mst, --mns, --cert.")
    kind, value = given[0]
    value = value.strip()
    if not value:
        raise ArchiveError("invalid_certificate_id", "Mã số %s rỗng." % kind.upper())
    known = tuple(agency.certificate_ids.get(kind, ()))
    if value not in known:
        agency.certificate_ids[kind] = known + (value,)
    if registry is not None:
        fire(registry, AgencyChanged(root, code, action="agency_add_cert", actor=actor,
                                     detail={"kind": kind, "value": value}))
    return kind, value


def describe(agency, today=None):
    today = today or date.today()
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {"code": agency.code, "name": agency.name,
            "short_name": getattr(agency, "short_name", ""),
            "parent_code": agency.parent_code, "kind": agency.kind,
            "valid_from": iso(agency.valid_from), "valid_to": iso(agency.valid_to),
            "successor": agency.successor, "provisional": agency.provisional,
            "active": agency.active_on(today),
            "certificate_ids": {k: list(v) for k, v in agency.certificate_ids.items()}}
