"""The vocabulary of the rule engine: what a rule sees and what it says.

A *rule* is a plain function ``rule(ctx) -> Check | list[Check]``.  Each rule
module (``integrity``, ``trust``, ``roles``, ``timing``, ``pdf_format``,
``scans``, ``appearance``, ``urgency``, ``paper_copy``) lists its rules in a
module-level ``RULES`` table; ``engine`` runs the tables in order.

A check's ``severity`` says what a failure means:

``reject``
    the document may not be kept at all (broken file, tampered signature,
    state secret): the deposit is refused with 422 and nothing is stored;
``status``
    an Art. 6 requirement: any failure makes the document *reference only*
    (Art. 4.2) instead of *equivalent to paper* (Art. 4.1);
``flag``
    information for people (paper copy still required, priority handling),
    never changes the legal status.

``passed`` is ``True``/``False``, or ``None`` when the rule does not apply to
this document (e.g. scan quality of a born-digital PDF) — a rule that does not
apply never blocks.
"""
import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Optional

from zope.interface import Interface

REJECT = "reject"
STATUS = "status"
FLAG = "flag"
ARTICLE = re.compile(r"^(\d+)\.(\d+)([a-zđ]?)$")


def article(number):
    """Mark a rule with the article it enforces (``"6.1a"``).  The engine
    reads it when the rule itself fails, so even a bug's report says which
    requirement went unjudged."""
    def mark(rule):
        rule.article = number
        return rule
    return mark


def where(number):
    """``"6.1a"`` as a clerk reads it: "Điều 6, khoản 1, điểm a"."""
    found = ARTICLE.match(number or "")
    if not found:
        return "Điều %s" % number
    text = "Điều %s, khoản %s" % found.group(1, 2)
    return text + (", điểm %s" % found.group(3) if found.group(3) else "")


@dataclass
class Check:
    code: str
    article: str
    passed: Optional[bool]
    message: str
    severity: str = STATUS
    details: dict = field(default_factory=dict)

    @property
    def failed(self):
        return self.passed is False

    def as_json(self):
        return {"code": self.code, "article": self.article, "passed": self.passed,
                "message": self.message, "severity": self.severity,
                "details": _plain(self.details)}


@dataclass
class SignatureFacts:
    """What the archive learnt about one signature field.

    ``role`` is one of ``personal``, ``organisation``, ``urgency``,
    ``unknown``; ``role_rule`` names the classification rule that decided it.
    ``signed_at`` is aware (Vietnam time when shown); ``signed_at_source`` says
    whether it came from a trusted timestamp or the signer's claimed time.
    ``validated_at`` is the moment the certificate was judged (expiry,
    revocation): a verified, trusted timestamp's time (``validated_at_source``
    ``timestamp``), else the deposit (``deposit``) — never the signer's claim.
    ``revocation`` is ``good``, ``revoked`` (``revoked_at`` when) or
    ``not_checked``.  ``docmdp`` is the DocMDP permission a certification
    signature sets (``NO_CHANGES``, ``FILL_FORMS``, ``ANNOTATE``) and
    ``docmdp_ok`` pyHanko's verdict on whether later changes respect it.
    ``rect`` is the widget rectangle ``[x1, y1, x2, y2]`` in PDF points on
    page ``page`` (0-based), or None for an invisible signature.
    """
    field: str
    role: str = "unknown"
    role_rule: str = ""
    signer: str = ""
    signed_at: Optional[datetime] = None
    signed_at_source: Optional[str] = None
    validated_at: Optional[datetime] = None
    validated_at_source: Optional[str] = None
    intact: bool = False
    valid: bool = False
    trusted: Optional[bool] = None
    trust_detail: str = ""
    revocation: str = "not_checked"
    revoked_at: Optional[datetime] = None
    modification_level: str = ""
    coverage: str = ""
    docmdp: Optional[str] = None
    docmdp_ok: Optional[bool] = None
    covers_whole_document: bool = False
    revision: int = 0
    certificate: dict = field(default_factory=dict)
    chain: list = field(default_factory=list)
    page: Optional[int] = None
    rect: Optional[list] = None
    appearance: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def as_json(self):
        # not dataclasses.asdict: it deep-copies every value first, which cost
        # more than validating the signature (bench/rules.py)
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


class IRulePolicy(Interface):
    """Marker for the app's RulePolicy utility."""


@dataclass
class RulePolicy:
    """Operator settings the rules read, built once per application.

    ``cache`` lets rule modules keep what they load from these paths (trust
    roots, CRLs, calendars) for the life of the policy.
    """
    trust_roots_dir: Optional[str] = None
    crl_dir: Optional[str] = None
    revocation_mode: str = "soft-fail"        # or "hard-fail"
    classification_rules: Optional[str] = None  # path to a JSON rule list
    calendar_file: Optional[str] = None         # extra days off / make-up days
    appearance_tolerance: float = 0.15
    min_scan_dpi: int = 200
    min_pdf_version: str = "1.4"
    path_cache_size: int = 4096                 # 0: every chain validated anew
    cache: dict = field(default_factory=dict)


@dataclass
class Issuer:
    """The issuing agency as the rules see it (built by
    ``issuer.issuer_of``): its directory name, the folded locality a
    department's certificate may add to it ("tinh lao cai"), and the
    certificate identifiers an operator registered for it — tax codes
    (``mst``), budget-unit codes (``mns``), SHA-256 fingerprints."""
    code: str
    name: str
    locality: str = ""
    mst: tuple = ()
    mns: tuple = ()
    sha256: tuple = ()


@dataclass
class Context:
    """Everything a rule may look at for one document.  ``issuer`` is None
    when the engine runs without a directory (benches, rule tests): the
    rules that need it then do not judge the issuer."""
    path: str
    metadata: dict
    deposited_at: datetime
    policy: RulePolicy
    pdf: Any = None                 # an open pikepdf.Pdf, or None if unreadable
    signatures: list = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    issuer: Optional[Issuer] = None

    @property
    def digitized(self):
        return bool(self.metadata.get("digitized"))

    def signatures_with_role(self, role):
        return [s for s in self.signatures if s.role == role]


def _plain(value):
    """JSON-able copy: datetimes as ISO 8601 with their offset."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value
