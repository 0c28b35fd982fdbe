"""Art. 6.2, 6.3b, 6.4b — who signed: a person with authority, the issuing
organisation, or the organisation again at the urgency stamp.  Whether the
organisation signature is the *issuing agency's* is judged in ``issuer``.

Vietnamese certificates name their holder in the subject's UID attribute
(OID 0.9.2342.19200300.100.1.1, read by OID in ``signatures.uid_values``)
with a prefix: ``CMND:``/``CCCD:``/``HC:`` for people, ``MST:``/``MNS:`` for
organisations.  The classification is a rule list, first match wins,
replaceable by a JSON file (``policy.classification_rules``, setting
``archive_repo.signature_roles``); each signature records in ``role_rule``
the rule that classified it.  A rule's keys, all optional, must all hold:

``uid_prefix``     one of these prefixes starts a UID value (case-insensitive)
``field_contains`` the field name, folded to ASCII lower case, contains one
``region``         the widget's centre on page 1 is in this quarter
                   (``top-left``, ``top-right``, ``bottom-left``, ``bottom-right``)
``extra``          another signature has a UID with one of these prefixes
``role``, ``name`` what it decides and what it is called

**Urgency** (decided here, Art. 6.4b): an organisation signature is the
urgency one when its field is named for it (``ChuKyDoKhan``, "urgent"), or
when it is an *extra* organisation signature whose widget sits in the
top-left quarter of page 1 — where the urgency stamp goes, under the number
and notation (Decree 30, App. I).  The seal proper sits by the signer's
signature (born-digital) or top-right (digitised), so a lone organisation
signature is never taken for the urgency one because of where it sits.
"""
import json

from ..vietnamese import fold
from . import issuer
from .model import STATUS, Check, article

PERSON = ["CMND:", "CCCD:", "HC:"]
ORGANISATION = ["MST:", "MNS:"]
DEFAULT_RULES = [
    {"name": "uid-person", "uid_prefix": PERSON, "role": "personal"},
    {"name": "urgency-field-name", "uid_prefix": ORGANISATION,
     "field_contains": ["dokhan", "khan", "urgency", "urgent"], "role": "urgency"},
    {"name": "urgency-top-left", "uid_prefix": ORGANISATION, "region": "top-left",
     "extra": ORGANISATION, "role": "urgency"},
    {"name": "uid-organisation", "uid_prefix": ORGANISATION, "role": "organisation"},
]
A4 = (595.0, 842.0)      # when the page size is unknown


def load_rules(policy):
    """The rule list: the operator's JSON file, else the defaults (cached)."""
    cached = policy.cache.get("role_rules")
    if cached is None:
        cached = DEFAULT_RULES
        if policy.classification_rules:
            with open(policy.classification_rules, encoding="utf-8") as f:
                cached = json.load(f)
        policy.cache["role_rules"] = cached
    return cached


def region(sig):
    """Which quarter of page 1 the widget's centre is in, or None."""
    if sig.rect is None or sig.page != 0:
        return None
    facts = sig.appearance or {}
    x0, y0, x1, y1 = facts.get("page_box") or [0, 0] + list(facts.get("page_size") or A4)
    width, height = x1 - x0, y1 - y0
    # relative to the page box's own origin, which need not be 0,0
    x = (sig.rect[0] + sig.rect[2]) / 2 - x0
    y = (sig.rect[1] + sig.rect[3]) / 2 - y0
    return ("top" if y > height / 2 else "bottom") + "-" + ("left" if x < width / 2 else "right")


def _has_prefix(sig, prefixes):
    return any(u.upper().startswith(p.upper()) for u in sig.certificate.get("uid", [])
               for p in prefixes)


# One test per rule key: (rule value, signature, all signatures) -> bool
TESTS = {
    "uid_prefix": lambda value, sig, _: _has_prefix(sig, value),
    "field_contains": lambda value, sig, _: any(w in fold(sig.field) for w in value),
    "region": lambda value, sig, _: region(sig) == value,
    "extra": lambda value, sig, sigs: any(other is not sig and _has_prefix(other, value)
                                          for other in sigs),
}


def _matches(rule, sig, sigs):
    return all(test(rule[key], sig, sigs) for key, test in TESTS.items() if key in rule)


def classify(signatures, policy):
    """Set ``role`` and ``role_rule`` on each SignatureFacts (document
    timestamps keep theirs); returns the list."""
    rules = load_rules(policy)
    people = [s for s in signatures if s.role != "timestamp"]
    for sig in people:
        rule = next((r for r in rules if _matches(r, sig, people)), None)
        sig.role, sig.role_rule = (rule["role"], rule["name"]) if rule else ("unknown", "no-match")
    return signatures


@article("6.2")
def personal_signature(ctx):
    """Art. 6.2: a born-digital document carries its signer's signature."""
    if ctx.digitized:
        return Check("personal_signature", "6.2", None,
                     "Văn bản số hóa từ giấy: không yêu cầu chữ ký số cá nhân (Điều 6, khoản 3).",
                     STATUS)
    found = ctx.signatures_with_role("personal")
    if found:
        return Check("personal_signature", "6.2", True,
                     "Có chữ ký số của người có thẩm quyền: %s." % found[0].signer, STATUS,
                     {"fields": [s.field for s in found], "rules": [s.role_rule for s in found]})
    return Check("personal_signature", "6.2", False,
                 "Văn bản thiếu chữ ký số của người có thẩm quyền (Điều 6, khoản 2).", STATUS)


@article("6.2")
def organisation_signature(ctx):
    """Art. 6.2 (born-digital) and 6.3b (digitised): the issuing
    organisation's signature."""
    article = "6.3b" if ctx.digitized else "6.2"
    where = "Điều 6, khoản 3, điểm b" if ctx.digitized else "Điều 6, khoản 2"
    found = ctx.signatures_with_role("organisation")
    if found:
        details = {"fields": [s.field for s in found], "rules": [s.role_rule for s in found]}
        if ctx.issuer is None:      # the engine on its own: no directory to judge by
            return Check("organisation_signature", article, True,
                         "Có chữ ký số của tổ chức: %s." % found[0].signer, STATUS, details)
        sig, how = issuer.judge_organisation(found, ctx.issuer)
        details.update(issuer=ctx.issuer.code, issuer_name=ctx.issuer.name,
                       certificate_holders=[s.signer for s in found])
        if sig is not None:
            return Check("organisation_signature", article, True,
                         "Có chữ ký số của cơ quan ban hành %s: %s." % (ctx.issuer.name, sig.signer),
                         STATUS, dict(details, matched_by=how))
        return Check("organisation_signature", article, False,
                     "Chữ ký số của tổ chức là của %s, không phải của cơ quan ban hành %s (%s) "
                     "(%s)." % ("; ".join(s.signer for s in found), ctx.issuer.name,
                                ctx.issuer.code, where), STATUS, details)
    return Check("organisation_signature", article, False,
                 "Văn bản thiếu chữ ký số của tổ chức (%s)." % where, STATUS)


RULES = [personal_signature, organisation_signature]
