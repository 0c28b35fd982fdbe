"""Reading and validating the signatures embedded in a PDF (pyHanko).

One pass per document.  Each signature is validated by pyHanko against a
ValidationContext built from the operator's folders — the Government
specialised-CA roots (``policy.trust_roots_dir``) and the CRLs dropped into
``policy.crl_dir`` — plus what the PDF itself carries (its DSS and the
signature's Adobe revocation attribute), never fetching anything.  The
results land in :class:`SignatureFacts`; the rule modules judge them.

When the certificate is judged (expiry, revocation): at the time of a
signature timestamp token that verifies and whose TSA chains to a
configured root (the TSA itself judged at the deposit), otherwise at the
deposit (``ctx.deposited_at``; revalidation passes the original one).  The
signer's own ``signingTime`` or ``/M`` never moves that moment: they come
from the signer's clock, and judging a certificate then would let anyone
sign with an expired or revoked certificate by setting the clock back.
That claimed time is still what ``signed_at`` reports when no trusted
timestamp exists (the timing rule, Art. 6.1b, has nothing better).

Revocation is "good" only when pyHanko could check it: a trusted verdict
under ``soft-fail`` is re-checked under ``hard-fail`` (without the costly
difference analysis); if that fails for lack of revocation data, the
signature's revocation is ``not_checked`` — never silently "good".

``ctx.facts['revisions']`` says, for every incremental update, which
signature it adds and what it changed compared with the revision before it
(``diffpolicy.revisions``: the per-revision view of what
``modification_level`` sums up per signature).  Signatures and revisions are
judged by the project's DiffPolicy (``diffpolicy.policy_for``).
"""
import asyncio
import functools
import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import crl as asn1_crl, pem, x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko_certvalidator.errors import PathError, ValidationError

from . import diffpolicy, pathcache, pdfsig
from .model import SignatureFacts

log = logging.getLogger(__name__)
UID_OID = "0.9.2342.19200300.100.1.1"
CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}
# pyHanko's ModificationLevel names that later updates may reach without
# voiding an earlier signature (timestamps/DSS, new signatures in fields).
ALLOWED_LEVELS = {"NONE", "LTA_UPDATES", "FORM_FILLING"}


# -- the operator's trust material, loaded once per policy -------------------

def _ders(data):
    return [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]


def _load(folder, parse, suffixes=None):
    found = []
    for path in sorted(Path(folder).glob("*")) if folder else []:
        if not path.is_file() or (suffixes and path.suffix.lower() not in suffixes):
            continue
        try:
            found.extend(parse(der) for der in _ders(path.read_bytes()))
        except Exception:       # one broken file must not stop every deposit
            log.warning("%s could not be read", path)
    return found


def load_certs(folder):
    """Every certificate (PEM, possibly several per file, or DER) in ``folder``."""
    return _load(folder, asn1_x509.Certificate.load, CERT_SUFFIXES)




def trust_material(policy):
    """``(roots, crls)`` from the policy's folders, cached in ``policy.cache``."""
    cached = policy.cache.get("trust")
    if cached is None:
        cached = policy.cache["trust"] = (
            load_certs(policy.trust_roots_dir),
            _load(policy.crl_dir, asn1_crl.CertificateList.load))
    return cached


# -- certificates as plain data ------------------------------------------------

def fingerprint(cert):
    return hashlib.sha256(cert.dump()).hexdigest()


def uid_values(name):
    """The UID attribute values of an X.509 name, matched by OID: libraries
    print it as "UID", "User ID" or the bare OID."""
    return [str(attr["value"].native) for rdn in name.chosen for attr in rdn
            if attr["type"].dotted == UID_OID]


def common_name(name):
    try:
        return name.native.get("common_name") or ""
    except (ValueError, TypeError):     # asn1crypto: an undecodable name
        return ""


def _key_usage(cert):
    try:
        return sorted(cert.key_usage_value.native) if cert.key_usage_value else []
    except (ValueError, TypeError):     # asn1crypto: an undecodable extension
        return []


def describe_cert(cert):
    """The certificate as plain data (a fresh copy: callers own it)."""
    return {k: list(v) if isinstance(v, list) else v for k, v in _described(cert.dump()).items()}


@functools.lru_cache(maxsize=4096)
def _described(der):
    # the same few hundred certificates describe every document: a pure
    # function of the DER, and the names' decoding is not cheap
    cert = asn1_x509.Certificate.load(der)
    return {
        "subject": cert.subject.human_friendly, "common_name": common_name(cert.subject),
        "issuer": cert.issuer.human_friendly, "serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before.isoformat(),
        "not_after": cert.not_valid_after.isoformat(),
        "sha256": fingerprint(cert), "key_usage": _key_usage(cert),
        "uid": uid_values(cert.subject),
    }


# -- what the PDF carries ------------------------------------------------------

def _dss_material(reader):
    """(crls, ocsps, certs) from the document security store, if any."""
    from asn1crypto import ocsp as asn1_ocsp
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        return ([asn1_crl.CertificateList.load(ref.get_object().data) for ref in dss.crls],
                [asn1_ocsp.OCSPResponse.load(ref.get_object().data) for ref in dss.ocsps],
                list(dss.load_certs()))
    except (PdfError, KeyError, TypeError, ValueError):   # no DSS, or an unreadable one
        return [], [], []


def _adobe_revinfo(sig):
    """(crls, ocsps) from the signed adbe-revocationInfoArchival attribute."""
    from pyhanko.sign.general import find_unique_cms_attribute
    try:
        info = find_unique_cms_attribute(sig.signer_info["signed_attrs"],
                                         "adobe_revocation_info_archival")
    except (KeyError, ValueError):   # Nonexistent/MultivaluedAttributeError
        return [], []
    return list(info["crl"] or []), list(info["ocsp"] or [])


def _signed_attr(sig, name):
    from pyhanko.sign.general import find_unique_cms_attribute
    try:
        return find_unique_cms_attribute(sig.signer_info["signed_attrs"], name).native
    except (KeyError, ValueError):   # Nonexistent/MultivaluedAttributeError
        return None


def _token_time(sig):
    """genTime of the signature timestamp token, *unverified* (anyone can
    write one), or None: only tells whether there is a token to verify."""
    from pyhanko.sign.general import find_unique_cms_attribute
    try:
        token = find_unique_cms_attribute(sig.signer_info["unsigned_attrs"],
                                          "signature_time_stamp_token")
        content = token["content"]["encap_content_info"]["content"].parsed
        return content["gen_time"].native
    except (KeyError, ValueError, TypeError):   # no token, or not a token
        return None


def claimed_time(sig):
    """(moment, source) the signer claims — the signed ``signingTime``, else
    the signature dictionary's ``/M`` — or (None, None).  A claim, not
    evidence: a timestamp token counts only once verified
    (:func:`verified_timestamp`)."""
    for source, moment in (("signing_time", _signed_attr(sig, "signing_time")),
                           ("pdf_M", sig.self_reported_timestamp)):
        if moment is not None:
            return moment, source
    return None, None


# -- when the certificate is judged --------------------------------------------

@dataclass(frozen=True)
class Moment:
    """The instant a signer's certificate is judged at, and why then:
    ``source`` is ``timestamp`` (a verified, trusted token) or ``deposit``."""
    at: datetime
    source: str
    deposited_at: datetime

    @property
    def retroactive(self):
        # A CRL issued after a *proven* signing moment still says whether the
        # certificate was revoked before it (point-in-time validation); a
        # deposit-time judgement needs no such allowance.
        return self.source == "timestamp"


def _trusted_token_time(ts):
    return ts.timestamp if ts is not None and ts.intact and ts.valid and ts.trusted else None


def verified_timestamp(sig, policy, dss, deposited_at):
    """The time of the signature's timestamp token if the token matches the
    signature, its own signature verifies and its TSA chains to a configured
    root (judged at ``deposited_at``, revocation per the policy); else None."""
    if _token_time(sig) is None:        # no token: spare the extra validation
        return None
    from pyhanko.sign.validation.generic_cms import collect_timing_info
    context = _context(policy, sig, dss, deposited_at, policy.revocation_mode)
    try:
        info = asyncio.run(collect_timing_info(sig.signer_info, context,
                                               raw_digest=sig.compute_digest))
    except _signature_errors() as exc:            # a malformed token proves nothing
        log.info("timestamp token of %s not verified: %s", sig.field_name, exc)
        return None
    return _trusted_token_time(info.get("timestamp_validity"))


def validation_moment(sig, policy, dss, deposited_at):
    """The :class:`Moment` to judge ``sig``'s certificate at."""
    stamped = verified_timestamp(sig, policy, dss, deposited_at)
    if stamped is not None:
        return Moment(stamped, "timestamp", deposited_at)
    return Moment(deposited_at, "deposit", deposited_at)


# -- validation ------------------------------------------------------------------

def _context(policy, sig, dss, moment, mode, retroactive=False):
    from pyhanko_certvalidator import ValidationContext
    roots, crls = trust_material(policy)
    dss_crls, dss_ocsps, dss_certs = dss
    adobe_crls, adobe_ocsps = _adobe_revinfo(sig)
    return ValidationContext(
        trust_roots=roots, crls=list(crls) + dss_crls + adobe_crls,
        ocsps=dss_ocsps + adobe_ocsps, other_certs=dss_certs + list(sig.other_embedded_certs),
        allow_fetching=False, revocation_mode=mode, moment=moment,
        retroactive_revinfo=retroactive)


def _material_key(policy):
    """(digest of the roots, digest of the operator's CRLs, their instants),
    computed once per policy: :mod:`.pathcache`'s key parts."""
    cached = policy.cache.get("trust_key")
    if cached is None:
        roots, crls = trust_material(policy)
        cached = policy.cache["trust_key"] = (
            pathcache.digest_of([c.dump() for c in roots]),
            pathcache.digest_of([c.dump() for c in crls]), pathcache.revinfo_instants(crls, []))
    return cached


def _trust(policy, sig, dss, when, mode):
    """How the signer's chain is judged: the ValidationContext
    :func:`_context` builds, made only when the path cache cannot answer."""
    roots_key, crls_key, crl_instants = _material_key(policy)
    adobe_crls, adobe_ocsps = _adobe_revinfo(sig)
    own_crls, own_ocsps = dss[0] + adobe_crls, dss[1] + adobe_ocsps
    own_key = pathcache.digest_of([r.dump() for r in own_crls + own_ocsps])
    return pdfsig.Trust(
        lambda: _context(policy, sig, dss, when.at, mode, when.retroactive),
        (roots_key, crls_key, own_key, mode, when.retroactive),
        crl_instants + pathcache.revinfo_instants(own_crls, own_ocsps), when.at,
        pathcache.cache_for(policy), offered=dss[2])


def _validate(sig, policy, dss, when, mode, skip_diff=False, diff=None):
    """pyHanko's verdict with the certificate judged at ``when`` (a
    :class:`Moment`); a timestamp token's TSA at the deposit, as
    :func:`verified_timestamp` judged it.  With the path cache on
    (``path_cache_size`` > 0) the chain's verdict may come from an earlier
    document (:mod:`.pdfsig`); with it off, pyHanko's own entry point."""
    from pyhanko.sign.validation import validate_pdf_signature
    tsa = (_context(policy, sig, dss, when.deposited_at, policy.revocation_mode)
           if _token_time(sig) is not None else None)
    if policy.path_cache_size > 0:
        return pdfsig.validate(sig, _trust(policy, sig, dss, when, mode), tsa_context=tsa,
                               diff_policy=diff, skip_diff=skip_diff)
    signer = _context(policy, sig, dss, when.at, mode, when.retroactive)
    return validate_pdf_signature(sig, signer, ts_validation_context=tsa, skip_diff=skip_diff,
                                  diff_policy=diff)


def _statuses(sig, policy, dss, when, diff):
    """``(full status, trust status, revocation)``.  One validation that
    requires revocation data — enough in the usual case, where the operator's
    CRLs or the PDF's DSS answer; only when it fails without a revocation
    verdict, a second, cheaper one (no difference analysis) that does not
    require it gives the chain's verdict, and revocation is "not_checked"."""
    strict = _validate(sig, policy, dss, when, "hard-fail", diff=diff)
    if strict.trusted:
        return strict, strict, "good"
    if strict.revocation_details is not None:
        return strict, strict, "revoked"
    lenient = _validate(sig, policy, dss, when, "soft-fail", skip_diff=True)
    return strict, lenient, "not_checked"


def chain_to_roots(cert, policy, other_certs=()):
    """The path from ``cert`` up to one of the policy's trust roots, root
    first, as plain data — or ``[]`` when no configured root is above it.
    The path's validity (expiry, key usage, revocation) is not judged here:
    other rules do that."""
    from pyhanko_certvalidator import ValidationContext
    context = ValidationContext(trust_roots=trust_material(policy)[0],
                                other_certs=list(other_certs), allow_fetching=False)
    try:
        paths = context.path_builder.build_paths(cert)
    except PathError:           # PathBuildingError: no configured root above it
        return []
    return [describe_cert(c) for c in paths[0].iter_certs(include_root=True)] if paths else []


def _trusted_chain(status):
    """The path pyHanko validated, root first (no second path search)."""
    path = status.validation_path if status.trusted else None
    return [describe_cert(c) for c in path.iter_certs(include_root=True)] if path else []


def _chain(sig, dss, policy):
    return chain_to_roots(sig.signer_cert, policy, dss[2] + list(sig.other_embedded_certs))


def _diff_problems(status):
    diff = status.diff_result
    if diff is None or status.modification_level is None \
            or status.modification_level.name in ALLOWED_LEVELS:
        return []
    if isinstance(diff, Exception):
        return ["Thay đổi đáng ngờ sau khi ký: %s" % str(diff)[:300]]
    return ["Các trường bị thay đổi sau khi ký: %s" % ", ".join(sorted(diff.changed_form_fields))]


# -- putting it together ---------------------------------------------------------

def widgets(pdf):
    """Signature widgets by field name: ``{name: (page index, rect, annot)}``,
    read with pikepdf (the widget's /T, or its parent field's)."""
    found = {}
    for index, page in enumerate(pdf.pages if pdf is not None else []):
        for annot in page.obj.get("/Annots") or []:
            field = annot if "/T" in annot else annot.get("/Parent")
            if annot.get("/Subtype") != "/Widget" or field is None \
                    or field.get("/FT", annot.get("/FT")) != "/Sig":
                continue
            x1, y1, x2, y2 = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
            rect = [min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)]
            found[str(field.get("/T"))] = (index, rect, annot)
    return found


def _placement(placed, name, pdf):
    """(page, rect, appearance facts) of the field's widget; the colours are
    added by the appearance rules, which need them."""
    from .appearance import _images, page_box
    page, rect, annot = placed.get(name, (None, None, None))
    if rect is None or (rect[2] - rect[0]) * (rect[3] - rect[1]) <= 0:
        return None, None, {}       # an invisible signature
    box = page_box(pdf.pages[page])
    normal = (annot.get("/AP") or {}).get("/N")
    return page, rect, {"page_size": [box[2] - box[0], box[3] - box[1]], "page_box": box,
                        "images": sum(1 for _ in _images(normal))}


def _signed_at(sig, when):
    """(moment, source): the verified timestamp's time, else what the signer
    claims (``signingTime``, else ``/M``)."""
    if when.source == "timestamp":
        return when.at, "timestamp"
    return claimed_time(sig)


def _revoked_at(status):
    details = status.revocation_details
    return details.revocation_date if details is not None else None


def _docmdp(sig):
    level = sig.docmdp_level
    return level.name if level is not None else None


def signature_facts(sig, policy, dss, placed, pdf, deposited_at, diff):
    """SignatureFacts for one embedded signature."""
    when = validation_moment(sig, policy, dss, deposited_at)
    status, trust, revocation = _statuses(sig, policy, dss, when, diff)
    signed_at, source = _signed_at(sig, when)
    page, rect, appearance = _placement(placed, sig.field_name, pdf)
    level, coverage = status.modification_level, status.coverage
    return SignatureFacts(
        field=str(sig.field_name), signer=common_name(sig.signer_cert.subject),
        signed_at=signed_at, signed_at_source=source, validated_at=when.at,
        validated_at_source=when.source, intact=bool(status.intact),
        valid=bool(status.valid), trusted=bool(trust.trusted),
        trust_detail="" if trust.trusted else str(trust.trust_problem_indic or ""),
        revocation=revocation, revoked_at=_revoked_at(status),
        modification_level=level.name if level else "", coverage=coverage.name if coverage else "",
        docmdp=_docmdp(sig), docmdp_ok=status.docmdp_ok,
        covers_whole_document=bool(coverage and coverage.name == "ENTIRE_FILE"),
        revision=sig.signed_revision, certificate=describe_cert(sig.signer_cert),
        chain=_trusted_chain(trust) or _chain(sig, dss, policy), page=page, rect=rect,
        appearance=appearance, problems=_diff_problems(status))


def timestamp_facts(sig, policy, dss, placed, pdf, deposited_at, diff):
    """SignatureFacts for a document timestamp (PAdES-LTA): the TSA's
    signature over the revision, role ``timestamp``; the TSA is judged at
    the deposit, like every certificate without an earlier proven time."""
    from pyhanko.sign.validation import validate_pdf_timestamp
    status = validate_pdf_timestamp(sig, _context(policy, sig, dss, deposited_at, "soft-fail"),
                                    diff_policy=diff)
    level, coverage = status.modification_level, status.coverage
    return SignatureFacts(
        field=str(sig.field_name), role="timestamp", role_rule="doc-timestamp",
        signer=common_name(sig.signer_cert.subject), signed_at=status.timestamp,
        signed_at_source="timestamp", validated_at=deposited_at, validated_at_source="deposit",
        intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted), modification_level=level.name if level else "",
        coverage=coverage.name if coverage else "",
        covers_whole_document=bool(coverage and coverage.name == "ENTIRE_FILE"),
        revision=sig.signed_revision, certificate=describe_cert(sig.signer_cert),
        problems=_diff_problems(status))


FACTS_BY_TYPE = {"/Sig": signature_facts, "/DocTimeStamp": timestamp_facts}


def _signature_errors():
    """What validating one malformed signature raises: pyHanko's
    SignatureValidationError (a ValueError, as asn1crypto's parse errors
    are), its PdfError for a broken reference, the certificate validator's
    path errors, and the KeyError/TypeError of a missing or wrong-typed entry
    in the signature dictionary.  Anything else is a bug, which the engine
    reports as a failing check."""
    return (ValueError, TypeError, KeyError, PdfError, PathError, ValidationError,
            NotImplementedError)


def _safe_facts(sig, policy, dss, placed, pdf, deposited_at, diff):
    try:
        return FACTS_BY_TYPE[sig.sig_object_type](sig, policy, dss, placed, pdf, deposited_at,
                                                  diff)
    except _signature_errors() as exc:    # a malformed signature is a fact, not a crash
        log.info("signature %s could not be validated: %s", sig.field_name, exc)
        return SignatureFacts(field=str(sig.field_name), revision=sig.signed_revision,
                              problems=["Không kiểm tra được chữ ký: %s" % str(exc)[:200]])


def open_reader(path):
    """(pyHanko reader, its embedded signatures, None) or (None, [], problem
    in Vietnamese).  ``embedded_signatures`` walks the form tree anew on each
    access, so it is read once, here."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    try:
        reader = PdfFileReader(io.BytesIO(Path(path).read_bytes()), strict=False)
        if reader.encrypted and not _decrypts(reader):
            return None, [], "Tệp PDF bị mã hóa: không kiểm tra được chữ ký số."
        return reader, list(reader.embedded_signatures), None
    except (PdfError, ValueError, TypeError, KeyError) as exc:
        return None, [], "Không đọc được cấu trúc chữ ký số của tệp PDF: %s" % str(exc)[:200]


def byte_range(sig):
    """The signature dictionary's /ByteRange as a tuple of ints, or None when
    it is missing or not four integers (the structure rules judge that)."""
    try:
        found = tuple(int(v) for v in sig.sig_object["/ByteRange"])
    except (KeyError, TypeError, ValueError):
        return None
    return found if len(found) == 4 else None


def _decrypts(reader):
    try:       # documents "encrypted" with an empty password open for anyone
        return reader.decrypt(b"").status.name != "FAILED"
    except (PdfError, ValueError, TypeError, KeyError):
        return False


def read_signatures(ctx):
    """Every signature of the PDF at ``ctx.path`` as SignatureFacts, in
    signing order.  Problems that stop reading go to
    ``ctx.facts['signature_problems']``; revisions to ``ctx.facts['revisions']``."""
    reader, embedded, problem = open_reader(ctx.path)
    ctx.facts["signature_problems"] = [problem] if problem else []
    ctx.facts["revisions"] = []
    if reader is None:
        return []
    placed = ctx.facts["widgets"] = widgets(ctx.pdf)
    ctx.facts["byte_ranges"] = [byte_range(sig) for sig in embedded]
    dss = _dss_material(reader)
    diff = diffpolicy.policy_for(embedded)
    found = [_safe_facts(sig, ctx.policy, dss, placed, ctx.pdf, ctx.deposited_at, diff)
             for sig in embedded]
    ctx.facts["revisions"] = diffpolicy.revisions(reader, embedded, diff)
    return found
