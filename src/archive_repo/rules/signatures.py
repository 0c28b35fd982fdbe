"""Reading and validating the signatures embedded in a PDF (pyHanko).

One pass per document: each signature is validated cryptographically, its
chain checked against the configured Government specialised-CA roots at its
claimed signing time, revocation looked up in what the PDF embeds (DSS,
Adobe revocation attribute) and in the CRLs the operator dropped into the CRL
folder, and the changes made after it analysed (difference analysis).  The
results land in :class:`SignatureFacts`; the rule modules judge them.

Revocation is asked twice when needed: first requiring revocation
information (``hard-fail``); if the chain only fails for lack of it, the
signature is validated again without, and its revocation is ``not_checked``
— never silently "good".
"""
import hashlib
import io
import logging
from datetime import timezone

from asn1crypto import crl as asn1_crl, x509 as asn1_x509

from .model import SignatureFacts

log = logging.getLogger(__name__)
UID_OID = "0.9.2342.19200300.100.1.1"


def _load_certs(folder):
    from pathlib import Path
    certs = []
    for path in sorted(Path(folder).glob("*")) if folder else []:
        if path.suffix.lower() not in (".pem", ".crt", ".cer", ".der"):
            continue
        certs.extend(_parse_certs(path.read_bytes(), path.name))
    return certs


def _parse_certs(data, name):
    from asn1crypto import pem
    try:
        if pem.detect(data):
            return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        return [asn1_x509.Certificate.load(data)]
    except Exception:  # a broken file in the folder must not stop deposits
        log.warning("trust root %s could not be read", name)
        return []


def _load_crls(folder):
    from pathlib import Path
    from asn1crypto import pem
    crls = []
    for path in sorted(Path(folder).glob("*")) if folder else []:
        data = path.read_bytes()
        try:
            ders = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            crls.extend(asn1_crl.CertificateList.load(der) for der in ders)
        except Exception:
            log.warning("CRL %s could not be read", path.name)
    return crls


def trust_material(policy):
    """(roots, crls), loaded once per policy."""
    cached = policy.cache.get("trust")
    if cached is None:
        cached = policy.cache["trust"] = (_load_certs(policy.trust_roots_dir),
                                          _load_crls(policy.crl_dir))
    return cached


def fingerprint(cert):
    return hashlib.sha256(cert.dump()).hexdigest()


def describe_cert(cert):
    uid = [str(attr["value"].native) for rdn in cert.subject.chosen for attr in rdn
           if attr["type"].dotted == UID_OID]
    try:
        key_usage = sorted(cert.key_usage_value.native) if cert.key_usage_value else []
    except Exception:
        key_usage = []
    return {
        "subject": cert.subject.human_friendly,
        "common_name": _cn(cert),
        "issuer": cert.issuer.human_friendly,
        "serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before.isoformat(),
        "not_after": cert.not_valid_after.isoformat(),
        "sha256": fingerprint(cert),
        "key_usage": key_usage,
        "uid": uid,
    }


def _cn(cert):
    try:
        return cert.subject.native.get("common_name") or ""
    except Exception:
        return ""


def _context(policy, moment, revocation_mode, extra_crls=(), extra_certs=()):
    from pyhanko_certvalidator import ValidationContext
    roots, crls = trust_material(policy)
    return ValidationContext(trust_roots=roots, crls=list(crls) + list(extra_crls),
                             other_certs=list(extra_certs), allow_fetching=False,
                             revocation_mode=revocation_mode, moment=moment)


def _embedded_revocation(reader):
    """CRLs and certificates the PDF carries in its DSS."""
    try:
        from pyhanko.sign.validation.dss import DocumentSecurityStore
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:
        return [], []
    return list(dss.crls), list(dss.certs.values())


def _validate(embedded, policy, moment, mode, dss):
    from pyhanko.sign.validation import validate_pdf_signature
    crls, certs = dss
    context = _context(policy, moment, mode, crls, certs)
    return validate_pdf_signature(embedded, context)


def _status(embedded, policy, moment, dss):
    """(status, revocation): validate requiring revocation info, then, if
    that was all that failed, without it."""
    strict = _validate(embedded, policy, moment, "hard-fail", dss)
    if strict.trusted:
        return strict, "good"
    if strict.revocation_details is not None:
        return strict, "revoked"
    lenient = _validate(embedded, policy, moment, "soft-fail", dss)
    return lenient, "not_checked"


def widgets(pdf):
    """Signature widgets by field name: ``{name: (page index, rect, annot)}``
    read with pikepdf (the widget's /T, or its parent field's)."""
    found = {}
    if pdf is None:
        return found
    for index, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots") or []:
            if annot.get("/Subtype") != "/Widget":
                continue
            field = annot if "/T" in annot else annot.get("/Parent")
            if field is None or field.get("/FT", annot.get("/FT")) != "/Sig":
                continue
            rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
            rect = [min(rect[0], rect[2]), min(rect[1], rect[3]),
                    max(rect[0], rect[2]), max(rect[1], rect[3])]
            found[str(field.get("/T"))] = (index, rect, annot)
    return found


def _signed_at(status, embedded):
    ts = getattr(status, "timestamp_validity", None)
    if ts is not None and getattr(ts, "valid", False):
        return ts.timestamp, "timestamp"
    if status.signer_reported_dt is not None:
        return status.signer_reported_dt, "signing_time"
    return embedded.self_reported_timestamp, "pdf_M"


def _diff_summary(status):
    diff = getattr(status, "diff_result", None)
    if diff is None:
        return ""
    changed = getattr(diff, "changed_form_fields", None)
    return "; ".join(sorted(changed)) if changed else type(diff).__name__


def facts_for(embedded, policy, revision, dss, placed):
    cert = embedded.signer_cert
    claimed = embedded.self_reported_timestamp
    status, revocation = _status(embedded, policy, claimed, dss)
    signed_at, source = _signed_at(status, embedded)
    page, rect, _ = placed.get(embedded.field_name, (None, None, None))
    if rect is not None and (rect[2] - rect[0]) * (rect[3] - rect[1]) <= 0:
        page, rect = None, None       # an invisible signature
    path = status.validation_path
    chain = [describe_cert(c) for c in path.iter_certs(include_root=True)] if path else []
    return SignatureFacts(
        field=embedded.field_name, signer=_cn(cert),
        signed_at=signed_at.astimezone(timezone.utc) if signed_at else None,
        signed_at_source=source, intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted),
        trust_detail=str(status.trust_problem_indic or "") if not status.trusted else "",
        revocation=revocation,
        modification_level=status.modification_level.name if status.modification_level else "",
        coverage=status.coverage.name if status.coverage else "",
        covers_whole_document=bool(status.coverage and status.coverage.name == "ENTIRE_FILE"),
        revision=revision, certificate=describe_cert(cert), chain=chain, page=page, rect=rect,
        problems=[p for p in [_diff_summary(status)] if p and status.modification_level
                  and status.modification_level.name not in ("NONE", "LTA_UPDATES",
                                                              "FORM_FILLING")],
    ) , status


def read_signatures(ctx):
    """Every signature of the document at ``ctx.path`` as SignatureFacts, in
    signing order; pyHanko's statuses are kept in ``ctx.facts['status']``."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    with open(ctx.path, "rb") as f:
        data = f.read()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        ctx.facts["signature_read_error"] = str(exc)[:300]
        return []
    dss = _embedded_revocation(reader)
    placed = ctx.facts.setdefault("widgets", widgets(ctx.pdf))
    found, statuses = [], {}
    for revision, sig in enumerate(embedded, 1):
        try:
            facts, status = facts_for(sig, ctx.policy, revision, dss, placed)
        except Exception as exc:
            log.info("signature %s could not be validated: %s", sig.field_name, exc)
            facts, status = SignatureFacts(field=sig.field_name, revision=revision,
                                           problems=["unreadable: %s" % str(exc)[:200]]), None
        found.append(facts)
        statuses[facts.field] = status
    ctx.facts["status"] = statuses
    ctx.facts["revisions"] = _revisions(reader, embedded)
    return found


def _revisions(reader, embedded):
    """What each incremental update after the first signature changed."""
    total = reader.xrefs.total_revisions
    signed = {sig.signed_revision: sig.field_name for sig in embedded}
    out = []
    for rev in range(total):
        out.append({"revision": rev, "signs": signed.get(rev)})
    return out
