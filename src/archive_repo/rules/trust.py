"""Art. 6.1a — "chữ ký số chuyên dùng Chính phủ": every signature chains to
a root in ``archive_repo.trust_roots``, its certificate was valid when it
signed, allows signing, and is not revoked.

Which roots count is configuration (the operator installs the Government
specialised-CA roots); commercial roots (MIC National Root CA, …) are simply
not there.  ``gov_ca_chain`` asks only whether the signer's path ends at one
of those roots; expiry, key usage and revocation are the other rules, so a
report says exactly which requirement failed.

"Valid when it signed" is judged at ``validated_at`` (see
:mod:`.signatures`): a verified timestamp from a trusted TSA proves when the
signature was made; without one the signer's claimed time proves nothing —
anyone can set a clock back to when an expired or revoked certificate was
still good — so the certificate is judged at the deposit.  The claimed time
must still fall inside the certificate's life: a claim outside it
contradicts itself.

Revocation: ``revoked`` fails; ``not_checked`` (no usable CRL/OCSP in the
PDF or the CRL folder) is ``passed=None`` under ``soft-fail`` and a failure
under ``hard-fail`` (``policy.revocation_mode``).  Document timestamps (role
``timestamp``) are the TSA's signatures, not the agency's, and are skipped.
"""
from datetime import datetime

from .. import timeutil
from .model import STATUS, Check, article
from .signatures import fingerprint, trust_material

WHERE = "Điều 6, khoản 1, điểm a"
NO_TRUSTED_TIME = ("chỉ do người ký tự khai, không có dấu thời gian tin cậy, nên chứng thư "
                   "số được xét tại thời điểm nộp lưu %s")

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


def _name(sig):
    return sig.signer or sig.field


def _each(ctx, code, ok, bad_message, good_message, details=None):
    if not _signers(ctx):
        return Check(code, "6.1a", None, "Văn bản không có chữ ký số.", STATUS)
    bad = [s for s in _signers(ctx) if not ok(s)]
    if bad:
        return Check(code, "6.1a", False, bad_message(bad), STATUS,
                     dict(details or {}, fields=[s.field for s in bad]))
    return Check(code, "6.1a", True, good_message, STATUS, details or {})


@article("6.1a")
def gov_ca_chain(ctx):
    if not trust_material(ctx.policy)[0]:
        return Check("gov_ca_chain", "6.1a", False,
                     "Chưa cài đặt chứng thư gốc của Tổ chức chứng thực chữ ký số chuyên dùng "
                     "Chính phủ: không thể xác nhận chữ ký (Điều 6, khoản 1, điểm a).", STATUS)
    roots = _root_fingerprints(ctx.policy)
    return _each(ctx, "gov_ca_chain", lambda sig: chains_to_configured_root(sig, roots),
                 lambda bad: "Chữ ký số không phải chữ ký số chuyên dùng Chính phủ: %s "
                 "(Điều 6, khoản 1, điểm a)." % "; ".join(
                     "%s (cấp bởi %s)" % (_name(s), s.certificate.get("issuer", "?"))
                     for s in bad),
                 "Mọi chữ ký số đều dùng chứng thư số chuyên dùng Chính phủ.")


# -- valid when it signed -----------------------------------------------------------

def _life(sig):
    cert = sig.certificate
    return datetime.fromisoformat(cert["not_before"]), datetime.fromisoformat(cert["not_after"])


def _within(sig, moment):
    start, end = _life(sig)
    return start <= moment <= end


def _valid_at(sig):
    """Valid at the moment it is judged and, without a trusted timestamp,
    at the moment the signer claims."""
    if not sig.certificate or sig.validated_at is None:
        return False
    claim = sig.signed_at if sig.validated_at_source != "timestamp" else None
    return _within(sig, sig.validated_at) and (claim is None or _within(sig, claim))


def _state(sig, moment):
    return "chưa có hiệu lực" if moment < _life(sig)[0] else "đã hết hiệu lực"


def _why_invalid(sig):
    """One signature's problem, in words a clerk can check against the
    certificate: its life, the moment it was judged at, and why then."""
    if not sig.certificate or sig.validated_at is None:
        return "%s (không đọc được chứng thư số)" % _name(sig)
    start, end = _life(sig)
    life = "chứng thư có hiệu lực từ %s đến %s" % (timeutil.show_date(start),
                                                  timeutil.show_date(end))
    at, claim = sig.validated_at, sig.signed_at
    if sig.validated_at_source == "timestamp":
        why = "%s tại thời điểm ký theo dấu thời gian tin cậy (%s)" % (
            _state(sig, at), timeutil.show_datetime(at))
    elif not _within(sig, at):
        why = "%s tại thời điểm nộp lưu %s" % (_state(sig, at), timeutil.show_datetime(at))
        if claim is not None and _within(sig, claim):
            why = "thời điểm ký %s " % timeutil.show_datetime(claim) + NO_TRUSTED_TIME % (
                timeutil.show_datetime(at)) + ", khi chứng thư " + _state(sig, at)
    else:
        why = "thời điểm ký do người ký khai (%s) nằm ngoài thời hạn của chứng thư" % (
            timeutil.show_datetime(claim))
    return "%s — %s; %s" % (_name(sig), life, why)


def _judged_at(ctx):
    return {s.field: {"at": timeutil.isoformat(s.validated_at), "source": s.validated_at_source}
            for s in _signers(ctx)}


@article("6.1a")
def cert_valid_at_signing(ctx):
    return _each(ctx, "cert_valid_at_signing", _valid_at,
                 lambda bad: "Chứng thư số không có hiệu lực tại thời điểm ký: %s (%s)."
                 % ("; ".join(_why_invalid(s) for s in bad), WHERE),
                 "Chứng thư số còn hiệu lực tại thời điểm ký (theo dấu thời gian tin cậy, "
                 "nếu không có thì tại thời điểm nộp lưu).", {"judged_at": _judged_at(ctx)})


@article("6.1a")
def signing_key_usage(ctx):
    return _each(ctx, "signing_key_usage",
                 lambda s: bool(SIGNING_USAGES & set(s.certificate.get("key_usage", []))),
                 lambda bad: "Chứng thư số không cho phép ký số (key usage): %s "
                 "(Điều 6, khoản 1, điểm a)." % ", ".join(_name(s) for s in bad),
                 "Chứng thư số được phép dùng để ký số.")


# -- revocation -----------------------------------------------------------------------

def _why_revoked(sig):
    """Who, since when, and — when the signer claims to have signed before
    that — why the claim does not help."""
    text = _name(sig)
    if sig.revoked_at is not None:
        text += " (thu hồi ngày %s)" % timeutil.show_date(sig.revoked_at)
    claim = sig.signed_at
    if sig.validated_at_source == "deposit" and claim is not None \
            and sig.revoked_at is not None and claim < sig.revoked_at:
        text += ": thời điểm ký %s, trước ngày thu hồi, " % timeutil.show_datetime(claim) + \
            NO_TRUSTED_TIME % timeutil.show_datetime(sig.validated_at)
    return text


def _unchecked(ctx, unchecked):
    hard = ctx.policy.revocation_mode == "hard-fail"
    return Check("revocation", "6.1a", False if hard else None,
                 "Chưa kiểm tra được tình trạng thu hồi của chứng thư số: %s (không có "
                 "CRL/OCSP dùng được trong tệp hay thư mục CRL; chế độ %s)."
                 % (", ".join(_name(s) for s in unchecked), ctx.policy.revocation_mode), STATUS,
                 {"not_checked": [s.field for s in unchecked], "mode": ctx.policy.revocation_mode})


@article("6.1a")
def revocation(ctx):
    if not _signers(ctx):
        return Check("revocation", "6.1a", None, "Văn bản không có chữ ký số.", STATUS)
    revoked = [s for s in _signers(ctx) if s.revocation == "revoked"]
    unchecked = [s for s in _signers(ctx) if s.revocation == "not_checked"]
    if revoked:
        return Check("revocation", "6.1a", False,
                     "Chứng thư số đã bị thu hồi: %s (%s)."
                     % ("; ".join(_why_revoked(s) for s in revoked), WHERE), STATUS,
                     {"revoked": [s.field for s in revoked], "judged_at": _judged_at(ctx)})
    if unchecked:
        return _unchecked(ctx, unchecked)
    return Check("revocation", "6.1a", True, "Không chứng thư số nào bị thu hồi.", STATUS,
                 {"judged_at": _judged_at(ctx)})


RULES = [gov_ca_chain, cert_valid_at_signing, signing_key_usage, revocation]
