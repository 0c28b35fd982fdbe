"""Art. 6.1a — "chữ ký số chuyên dùng Chính phủ": every signature chains to
a root in ``archive_repo.trust_roots``, its certificate was valid when it
signed, allows signing, and is not revoked.

Which roots count is configuration (the operator installs the Government
specialised-CA roots); commercial roots (MIC National Root CA, …) are simply
not there.  ``gov_ca_chain`` asks only whether the signer's path ends at one
of those roots; expiry, key usage and revocation are the other rules, so a
report says exactly which requirement failed.

Revocation: ``revoked`` fails; ``not_checked`` (no usable CRL/OCSP in the
PDF or the CRL folder) is ``passed=None`` under ``soft-fail`` and a failure
under ``hard-fail`` (``policy.revocation_mode``).  Document timestamps (role
``timestamp``) are the TSA's signatures, not the agency's, and are skipped.
"""
from datetime import datetime

from .model import STATUS, Check
from .signatures import fingerprint, trust_material

SIGNING_USAGES = {"digital_signature", "non_repudiation"}


def trust_root_fingerprints(policy):
    roots, _ = trust_material(policy)
    return [{"subject": cert.subject.human_friendly, "sha256": fingerprint(cert)}
            for cert in roots]


def _signers(ctx):
    """The signatures of people and organisations; document timestamps
    (role ``timestamp``) are the TSA's, not "chữ ký số" of Art. 6."""
    return [s for s in ctx.signatures if s.role != "timestamp"]


def _root_fingerprints(policy):
    return {fingerprint(cert) for cert in trust_material(policy)[0]}


def chains_to_configured_root(sig, roots):
    """The signer's path (built by pyHanko, whatever its validity) ends at
    one of the operator's roots.  Expiry, key usage and revocation are other
    rules' business, so a valid-looking path is all this rule asks for."""
    return bool(sig.chain) and sig.chain[0].get("sha256") in roots


def _each(ctx, code, ok, bad_message, good_message):
    if not _signers(ctx):
        return Check(code, "6.1a", None, "Văn bản không có chữ ký số.", STATUS)
    bad = [s for s in _signers(ctx) if not ok(s)]
    if bad:
        return Check(code, "6.1a", False, bad_message(bad), STATUS,
                     {"fields": [s.field for s in bad]})
    return Check(code, "6.1a", True, good_message, STATUS)


def gov_ca_chain(ctx):
    if not trust_material(ctx.policy)[0]:
        return Check("gov_ca_chain", "6.1a", False,
                     "Chưa cài đặt chứng thư gốc của Tổ chức chứng thực chữ ký số chuyên dùng "
                     "Chính phủ: không thể xác nhận chữ ký (Điều 6, khoản 1, điểm a).", STATUS)
    roots = _root_fingerprints(ctx.policy)
    return _each(ctx, "gov_ca_chain", lambda sig: chains_to_configured_root(sig, roots),
                 lambda bad: "Chữ ký số không phải chữ ký số chuyên dùng Chính phủ: %s "
                 "(Điều 6, khoản 1, điểm a)." % "; ".join(
                     "%s (cấp bởi %s)" % (s.signer or s.field, s.certificate.get("issuer", "?"))
                     for s in bad),
                 "Mọi chữ ký số đều dùng chứng thư số chuyên dùng Chính phủ.")


def _valid_at(sig):
    cert = sig.certificate
    if not cert or sig.signed_at is None:
        return False
    start = datetime.fromisoformat(cert["not_before"])
    end = datetime.fromisoformat(cert["not_after"])
    return start <= sig.signed_at <= end


def cert_valid_at_signing(ctx):
    return _each(ctx, "cert_valid_at_signing", _valid_at,
                 lambda bad: "Chứng thư số hết hạn hoặc chưa có hiệu lực tại thời điểm ký: %s "
                 "(Điều 6, khoản 1, điểm a)." % ", ".join(s.signer or s.field for s in bad),
                 "Chứng thư số còn hiệu lực tại thời điểm ký.")


def signing_key_usage(ctx):
    return _each(ctx, "signing_key_usage",
                 lambda s: bool(SIGNING_USAGES & set(s.certificate.get("key_usage", []))),
                 lambda bad: "Chứng thư số không cho phép ký số (key usage): %s "
                 "(Điều 6, khoản 1, điểm a)." % ", ".join(s.signer or s.field for s in bad),
                 "Chứng thư số được phép dùng để ký số.")


def revocation(ctx):
    if not _signers(ctx):
        return Check("revocation", "6.1a", None, "Văn bản không có chữ ký số.", STATUS)
    revoked = [s for s in _signers(ctx) if s.revocation == "revoked"]
    unchecked = [s for s in _signers(ctx) if s.revocation == "not_checked"]
    if revoked:
        return Check("revocation", "6.1a", False,
                     "Chứng thư số đã bị thu hồi: %s (Điều 6, khoản 1, điểm a)."
                     % ", ".join(s.signer or s.field for s in revoked), STATUS,
                     {"revoked": [s.field for s in revoked]})
    if unchecked:
        hard = ctx.policy.revocation_mode == "hard-fail"
        return Check("revocation", "6.1a", False if hard else None,
                     "Chưa kiểm tra được tình trạng thu hồi của chứng thư số: %s (không có "
                     "CRL/OCSP dùng được trong tệp hay thư mục CRL; chế độ %s)."
                     % (", ".join(s.signer or s.field for s in unchecked),
                        ctx.policy.revocation_mode), STATUS,
                     {"not_checked": [s.field for s in unchecked],
                      "mode": ctx.policy.revocation_mode})
    return Check("revocation", "6.1a", True, "Không chứng thư số nào bị thu hồi.", STATUS)


RULES = [gov_ca_chain, cert_valid_at_signing, signing_key_usage, revocation]
