"""pyHanko's ``validate_pdf_signature``, split in two so the path part is reused.

pyHanko 0.38 offers no hook to reuse a validated chain: its
``async_validate_pdf_signature`` builds and validates the signer's path for
every signature.  This module composes the same steps from pyHanko's own
functions, in the same order — SubFilter, integrity and difference analysis
(``compute_integrity_info``), timing (``collect_timing_info``), algorithm
policy and signature check (``validate_sig_integrity``), seed values,
signer attributes — and takes the trust step (``validate_cert_usage``:
path building, path validation with revocation, key usage) from
:mod:`.pathcache` when the same certificate, roots, revocation data, mode
and validation-time window were judged before.  The status object is
pyHanko's ``PdfSignatureStatus`` built from the same keyword arguments
pyHanko would pass; ``tests/rules/test_pathcache.py`` checks that the
corpus gives identical reports with and without the cache.

The integrity part stays per document: a cached chain never vouches for a
signature value or a digest.
"""
import asyncio

from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import CMSStructuralError
from pyhanko.sign.validation import generic_cms
from pyhanko.sign.validation.pdf_embedded import report_seed_value_validation
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko.sign.validation.utils import CMSAlgorithmUsagePolicy
from pyhanko.sign.validation.errors import DisallowedAlgorithmError, SignatureValidationError
from pyhanko_certvalidator.policy_decl import DisallowWeakAlgorithmsPolicy

from . import pathcache

SUBFILTERS = {SigSeedSubFilter.ADOBE_PKCS7_DETACHED, SigSeedSubFilter.PADES,
              SigSeedSubFilter.PBAD_PADES}
# ValidationContext's default when no policy is given (ours never gives one)
ALGORITHMS = CMSAlgorithmUsagePolicy.lift_policy(DisallowWeakAlgorithmsPolicy())
CHAIN_FAILURE = AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE


class Trust:
    """How to judge the signer's certificate: ``context()`` makes the
    ValidationContext (only on a cache miss); ``key`` and ``instants``
    describe the material it is built from (:mod:`.pathcache`), ``offered``
    the certificates it adds for path building besides the CMS's own (the
    PDF's DSS)."""

    def __init__(self, context, key, instants, moment, cache, offered=()):
        self.context, self.key, self.instants = context, key, instants
        self.moment, self.cache, self.offered = moment, cache, list(offered)

    async def outcome(self, cert, other_certs, usage):
        offered = list(other_certs) + self.offered
        key = (pathcache.digest_of([cert.dump()]), self.key,
               pathcache.digest_of([c.dump() for c in offered]))
        found = self.cache.lookup(key, self.moment)
        if found is None:
            found = await self._validate(cert, other_certs, usage)
            path = found.success_result or found.error_path
            certs = list(path.iter_certs(include_root=True)) if path is not None else [cert]
            instants = self.instants + pathcache.cert_instants(certs + offered)
            self.cache.store(key, pathcache.window(self.moment, instants), found)
        return found

    async def _validate(self, cert, other_certs, usage):
        context = self.context()
        try:
            context.certificate_registry.register_multiple(other_certs)
            paths = context.path_builder.async_build_paths_lazy(cert)
            return await generic_cms.validate_cert_usage(cert, context, key_usage_settings=usage,
                                                         paths=paths)
        except ValueError:      # as cms_basic_validation maps a processing error
            return generic_cms.CertvalidatorOperationResult(
                success_result=None, error_subindic=CHAIN_FAILURE)


def _subfilter_ok(sig):
    try:
        return SigSeedSubFilter(sig.sig_object.get("/SubFilter", None)) in SUBFILTERS
    except ValueError:
        return False


def _integrity(sig, digest, moment):
    """(intact, valid, AdES status or None, its time horizon) of the CMS
    signature itself — never cached."""
    signer_info, cert = sig.signer_info, sig.signer_cert
    try:
        generic_cms._enforce_algorithm_usage(signer_info, cert, algorithm_usage_policy=ALGORITHMS,
                                             time_indic=moment)
        status = horizon = None
    except DisallowedAlgorithmError as exc:
        status, horizon = exc.ades_subindication, exc.time_horizon
    content_type = sig.signed_data["encap_content_info"]["content_type"].native
    try:
        intact, valid = generic_cms.validate_sig_integrity(
            signer_info, cert, expected_content_type=content_type, actual_digest=digest)
    except CMSStructuralError as exc:
        raise SignatureValidationError("CMS structural error: " + exc.failure_message,
                                       ades_subindication=AdESFailure.FORMAT_FAILURE) from exc
    return intact, valid, status, horizon


def validate(sig, trust, tsa_context=None, diff_policy=None, skip_diff=False):
    """A ``PdfSignatureStatus`` as ``validate_pdf_signature(sig, <trust's
    context>, ts_validation_context=tsa_context, …)`` returns it."""
    return asyncio.run(_validate(sig, trust, tsa_context, diff_policy, skip_diff))


async def _validate(sig, trust, tsa_context, diff_policy, skip_diff):
    if sig.sig_object_type != "/Sig" or not _subfilter_ok(sig):
        raise SignatureValidationError("%s is not a recognized SubFilter type in signatures."
                                       % sig.sig_object.get("/SubFilter", None))
    sig.compute_integrity_info(diff_policy=diff_policy, skip_diff=skip_diff)
    kwargs = sig.summarise_integrity_info()
    kwargs.update(await generic_cms.collect_timing_info(
        sig.signer_info, tsa_context, raw_digest=sig.compute_digest))
    if "signer_reported_dt" not in kwargs and sig.self_reported_timestamp is not None:
        kwargs["signer_reported_dt"] = sig.self_reported_timestamp
    usage = PdfSignatureStatus.default_usage_constraints(None)
    md = sig.signer_info["digest_algorithm"]["algorithm"].native
    mechanism = sig.signer_info["signature_algorithm"]["algorithm"].native
    intact, valid, status, horizon = _integrity(sig, sig.compute_digest(), trust.moment)
    path = revoked = None
    if valid and status is None:
        found = await trust.outcome(sig.signer_cert, sig.other_embedded_certs, usage)
        status, revoked = found.error_subindic, found.revo_details
        path, horizon = found.success_result or found.error_path, found.error_time_horizon
    kwargs.update(qualification_result=None, validation_time=trust.moment, intact=intact,
                  valid=valid, signing_cert=sig.signer_cert, md_algorithm=md,
                  pkcs7_signature_mechanism=mechanism, trust_problem_indic=status,
                  validation_path=path, revocation_details=revoked, error_time_horizon=horizon)
    stamped = kwargs.get("timestamp_validity")
    kwargs.update(report_seed_value_validation(
        sig, path, stamped is not None and stamped.valid and stamped.trusted))
    kwargs.update(await generic_cms.collect_signer_attr_status(
        sd_attr_certificates=sig.embedded_attr_certs, signer_cert=sig.signer_cert,
        validation_context=None, sd_signed_attrs=sig.signer_info["signed_attrs"]))
    return PdfSignatureStatus(**kwargs)


__all__ = ["Trust", "validate"]
