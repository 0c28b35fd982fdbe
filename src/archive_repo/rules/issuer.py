"""Art. 6.2, 6.3b, 9.2c — the signatures are those of the issuing agency and
of the signer the metadata names.

An organisation certificate names its holder in CN; O is often the parent
body (``CN=Sở Y tế, O=Ủy ban nhân dân thành phố Đà Nẵng``), so O is never
matched: a department's seal carries its province's name in O and must not
pass for the province's own.  A certificate identifies the issuer when one
of these holds, strongest first:

* its SHA-256 fingerprint is registered for the agency;
* one of its ``MST:``/``MNS:`` UIDs is registered for the agency
  (``archive-repo agency add-cert``);
* its CN, folded (case, diacritics, "UBND" ≡ "Ủy ban nhân dân"), is the
  agency's directory name, alone or followed by the agency's locality
  ("Sở Tài chính tỉnh Lào Cai" for the directory's "Sở Tài chính").

A mismatch costs the document its legal status (reference only); it never
refuses the deposit.
"""
from ..vietnamese import fold_words
from .model import STATUS, Check, Issuer, article

# Abbreviations written on certificates and in directories alike.
SYNONYMS = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "tp": "thanh pho"}
UID_KINDS = {"MST": "mst", "MNS": "mns"}
CERT_KINDS = ("mst", "mns", "sha256")
PEOPLES_COMMITTEE = "uy ban nhan dan "


def folded_name(text):
    """``text`` folded to words, abbreviations spelled out."""
    return " ".join(SYNONYMS.get(word, word) for word in fold_words(text).split())


def _agency_of(resource):
    """The agency a year or a record belongs to (the resource that carries
    ``certificate_ids``), or None."""
    while resource is not None and not hasattr(resource, "certificate_ids"):
        resource = getattr(resource, "__parent__", None)
    return resource


def _locality(agency, agencies):
    """The folded locality of the people's committee at or above ``agency``:
    "tinh lao cai" under "Ủy ban nhân dân tỉnh Lào Cai"."""
    seen = set()
    while agency is not None and agency.code not in seen:
        seen.add(agency.code)
        name = folded_name(agency.name)
        if name.startswith(PEOPLES_COMMITTEE):
            return name[len(PEOPLES_COMMITTEE):]
        agency = agencies.get(agency.parent_code) if agency.parent_code else None
    return ""


def issuer_of(resource):
    """The :class:`Issuer` of the agency ``resource`` (an agency, one of
    its years or records) is in, for ``engine.evaluate``; None outside one."""
    agency = _agency_of(resource)
    if agency is None:
        return None
    ids = agency.certificate_ids
    return Issuer(code=agency.code, name=agency.name,
                  locality=_locality(agency, agency.__parent__),
                  **{kind: tuple(ids.get(kind, ())) for kind in CERT_KINDS})


def issuer_names(issuer):
    """The folded names a certificate of ``issuer`` may carry in its CN."""
    name = folded_name(issuer.name)
    names = {name}
    if issuer.locality:
        names.add(name + " " + issuer.locality)
    return names


def uids(cert):
    """``{"mst": {...}, "mns": {...}}`` of a certificate's facts."""
    found = {kind: set() for kind in UID_KINDS.values()}
    for value in cert.get("uid", []):
        prefix, _, number = value.partition(":")
        kind = UID_KINDS.get(prefix.strip().upper())
        if kind and number.strip():
            found[kind].add(number.strip())
    return found


def identifies(cert, issuer):
    """How certificate facts ``cert`` identify ``issuer`` ("fingerprint",
    "mst", "mns", "name"), or None."""
    if cert.get("sha256") in issuer.sha256:
        return "fingerprint"
    held = uids(cert)
    for kind in UID_KINDS.values():
        if held[kind] & set(getattr(issuer, kind)):
            return kind
    if folded_name(cert.get("common_name") or "") in issuer_names(issuer):
        return "name"
    return None


def judge_organisation(found, issuer):
    """(the signature that identifies ``issuer`` or None, how)."""
    for sig in found:
        how = identifies(sig.certificate, issuer)
        if how:
            return sig, how
    return None, None


def _names_match(holder, named):
    holder, named = folded_name(holder), folded_name(named)
    return bool(named) and (holder == named or (" %s " % named) in (" %s " % holder))


@article("6.2")
def signer_matches_metadata(ctx):
    """Art. 6.2: the person whose certificate signed is the signer the
    metadata names (``signer``), names folded."""
    named = ctx.metadata.get("signer") or ""
    people = ctx.signatures_with_role("personal")
    if ctx.digitized or not people or not named:
        why = ("văn bản số hóa không có chữ ký cá nhân" if ctx.digitized else
               "không có chữ ký số cá nhân" if not people else "metadata không ghi người ký")
        return Check("signer_matches_metadata", "6.2", None,
                     "Không áp dụng đối chiếu người ký: %s." % why, STATUS)
    holders = [s.signer for s in people]
    if any(_names_match(holder, named) for holder in holders):
        return Check("signer_matches_metadata", "6.2", True,
                     "Người ký trên chứng thư số (%s) đúng với người ký trong metadata."
                     % holders[0], STATUS, {"signer": named, "certificate_holders": holders})
    return Check("signer_matches_metadata", "6.2", False,
                 "Người ký trên chứng thư số (%s) không phải người ký ghi trong metadata (%s) "
                 "(Điều 6, khoản 2)." % ("; ".join(holders), named), STATUS,
                 {"signer": named, "certificate_holders": holders, "field": "signer"})


RULES = [signer_matches_metadata]
