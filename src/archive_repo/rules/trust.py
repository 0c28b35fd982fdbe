"""Art. 6.1a — "chữ ký số chuyên dùng Chính phủ": every signature chains to
a root in ``archive_repo.trust_roots``, its certificate was valid when it
signed, allows signing, and is not revoked.

Which roots count is configuration (the operator installs the Government
specialised-CA roots); commercial roots (MIC National Root CA, …) are simply
not there.
"""
from datetime import datetime

from .model import STATUS, Check
from .signatures import fingerprint, trust_material

# pyHanko/AdES sub-indications that mean "no path to a configured root"
NO_CHAIN = {"NO_CERTIFICATE_CHAIN_FOUND", "CHAIN_CONSTRAINTS_FAILURE",
            "NO_SIGNING_CERTIFICATE_FOUND", "CRYPTO_CONSTRAINTS_FAILURE"}
SIGNING_USAGES = {"digital_signature", "non_repudiation"}


def trust_root_fingerprints(policy):
    roots, _ = trust_material(policy)
    return [{"subject": cert.subject.human_friendly, "sha256": fingerprint(cert)}
            for cert in roots]


def _chains(sig):
    indic = sig.trust_detail.rsplit(".", 1)[-1]
    return sig.trusted or (indic and indic not in NO_CHAIN)


def _each(ctx, code, ok, bad_message, good_message, passed_none=None):
    if not ctx.signatures:
        return Check(code, "6.1a", None, "Văn bản không có chữ ký số.", STATUS)
    bad = [s for s in ctx.signatures if not ok(s)]
    if bad:
        return Check(code, "6.1a", False, bad_message(bad), STATUS,
                     {"fields": [s.field for s in bad]})
    return Check(code, "6.1a", True, good_message, STATUS)


def gov_ca_chain(ctx):
    if not trust_material(ctx.policy)[0]:
        return Check("gov_ca_chain", "6.1a", False,
                     "Chưa cài đặt chứng thư gốc của Tổ chức chứng thực chữ ký số chuyên dùng "
                     "Chính phủ: không thể xác nhận chữ ký (Điều 6, khoản 1, điểm a).", STATUS)
    return _each(ctx, "gov_ca_chain", _chains,
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
    if not ctx.signatures:
        return Check("revocation", "6.1a", None, "Văn bản không có chữ ký số.", STATUS)
    revoked = [s for s in ctx.signatures if s.revocation == "revoked"]
    unchecked = [s for s in ctx.signatures if s.revocation == "not_checked"]
    if revoked:
        return Check("revocation", "6.1a", False,
                     "Chứng thư số đã bị thu hồi: %s (Điều 6, khoản 1, điểm a)."
                     % ", ".join(s.signer or s.field for s in revoked), STATUS,
                     {"revoked": [s.field for s in revoked]})
    if unchecked:
        hard = ctx.policy.revocation_mode == "hard-fail"
        return Check("revocation", "6.1a", False if hard else None,
                     "Chưa kiểm tra được tình trạng thu hồi của chứng thư số: %s (không có CRL/OCSP "
                     "trong tệp hay thư mục CRL; chế độ %s)."
                     % (", ".join(s.signer or s.field for s in unchecked),
                        ctx.policy.revocation_mode), STATUS,
                     {"not_checked": [s.field for s in unchecked],
                      "mode": ctx.policy.revocation_mode})
    return Check("revocation", "6.1a", True, "Không chứng thư số nào bị thu hồi.", STATUS)


RULES = [gov_ca_chain, cert_valid_at_signing, signing_key_usage, revocation]
