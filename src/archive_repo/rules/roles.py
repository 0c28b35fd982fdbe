"""Art. 6.2, 6.3b, 6.4b — who signed: a person with authority, the issuing
organisation, or the organisation again at the urgency stamp.

Vietnamese certificates name their holder in the subject's UID attribute
(OID 0.9.2342.19200300.100.1.1) with a prefix: CMND:/CCCD:/HC: for people,
MST:/MNS: for organisations.  The classification is a rule list (first match
wins), replaceable by a JSON file (setting ``archive_repo.signature_roles``);
each signature records the rule that classified it.

An organisation signature is the *urgency* one when its field is named for
it or its widget sits in the top-left quarter of page 1 — the urgency
stamp's place under the number and notation (Decree 30, App. I).  The
organisation seal proper sits by the signer's signature (born-digital) or at
the top-right of page 1 (digitised), never there.
"""
import json
import unicodedata

from .model import STATUS, Check

PERSON = ["CMND:", "CCCD:", "HC:"]
ORGANISATION = ["MST:", "MNS:"]
DEFAULT_RULES = [
    {"name": "uid-person", "uid_prefix": PERSON, "role": "personal"},
    {"name": "urgency-field-name", "uid_prefix": ORGANISATION,
     "field_contains": ["dokhan", "khan", "urgency", "urgent"], "role": "urgency"},
    {"name": "urgency-top-left", "uid_prefix": ORGANISATION, "region": "top-left",
     "role": "urgency"},
    {"name": "uid-organisation", "uid_prefix": ORGANISATION, "role": "organisation"},
]
PAGE = (595.0, 842.0)   # A4; regions only need the page's halves


def _fold(text):
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()


def load_rules(policy):
    cached = policy.cache.get("role_rules")
    if cached is None:
        cached = DEFAULT_RULES
        if policy.classification_rules:
            with open(policy.classification_rules, encoding="utf-8") as f:
                cached = json.load(f)
        policy.cache["role_rules"] = cached
    return cached


def _region(sig, page_size=PAGE):
    if sig.rect is None or sig.page != 0:
        return None
    x = (sig.rect[0] + sig.rect[2]) / 2
    y = (sig.rect[1] + sig.rect[3]) / 2
    return ("top" if y > page_size[1] / 2 else "bottom") + "-" + \
        ("left" if x < page_size[0] / 2 else "right")


def _matches(rule, sig):
    uids = sig.certificate.get("uid", [])
    if "uid_prefix" in rule and not any(u.upper().startswith(p) for u in uids
                                        for p in rule["uid_prefix"]):
        return False
    if "field_contains" in rule and not any(w in _fold(sig.field) for w in rule["field_contains"]):
        return False
    if "region" in rule and _region(sig) != rule["region"]:
        return False
    return True


def classify(signatures, policy):
    """Set ``role`` and ``role_rule`` on each SignatureFacts."""
    rules = load_rules(policy)
    for sig in signatures:
        rule = next((r for r in rules if _matches(r, sig)), None)
        sig.role, sig.role_rule = (rule["role"], rule["name"]) if rule else ("unknown", "no-match")
    return signatures


def personal_signature(ctx):
    if ctx.digitized:
        return Check("personal_signature", "6.2", None,
                     "Văn bản số hóa từ giấy: không yêu cầu chữ ký số cá nhân (Điều 6, khoản 3).",
                     STATUS)
    found = ctx.signatures_with_role("personal")
    if found:
        return Check("personal_signature", "6.2", True,
                     "Có chữ ký số của người có thẩm quyền: %s." % found[0].signer, STATUS)
    return Check("personal_signature", "6.2", False,
                 "Văn bản thiếu chữ ký số của người có thẩm quyền (Điều 6, khoản 2).", STATUS)


def organisation_signature(ctx):
    article = "6.3b" if ctx.digitized else "6.2"
    found = ctx.signatures_with_role("organisation")
    if found:
        return Check("organisation_signature", article, True,
                     "Có chữ ký số của tổ chức ban hành: %s." % found[0].signer, STATUS)
    where = "Điều 6, khoản 3, điểm b" if ctx.digitized else "Điều 6, khoản 2"
    return Check("organisation_signature", article, False,
                 "Văn bản thiếu chữ ký số của tổ chức (%s)." % where, STATUS)


RULES = [personal_signature, organisation_signature]
