"""The rule engine: which rules run, in which order, and what they decide.

``evaluate`` opens the PDF, reads and classifies its signatures once, runs
every rule table below, and returns the report kept with the record as
evidence: every check, every signature, the trust roots it was judged
against (fingerprints) and when.  ``legal_status`` is *equivalent to paper*
(Art. 4.1) only when no REJECT or STATUS check failed; otherwise *reference
only* (Art. 4.2).  A REJECT failure means the deposit is refused.
"""
import logging
import os

from .. import timeutil
from . import (appearance, integrity, paper_copy, pdf_format, roles, scans, timing, trust,
               urgency)
from .model import FLAG, REJECT, STATUS, Check, Context, RulePolicy
from .signatures import read_signatures

log = logging.getLogger(__name__)
ENGINE_VERSION = "1.0"

# The order a clerk reads the report in: is the file whole, who signed with
# what, when, in which format, how it looks, and what follows from it.
RULE_TABLES = [
    integrity.RULES, trust.RULES, roles.RULES, timing.RULES, pdf_format.RULES,
    scans.RULES, appearance.RULES, urgency.RULES, paper_copy.RULES,
]
SECRET_LEVELS = ("Mật", "Tối mật", "Tuyệt mật")
DEFAULT_CALENDAR = os.path.normpath(os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "config", "working-days.json"))


def policy_from_settings(settings):
    get = settings.get
    calendar = get("archive_repo.calendar") or (
        DEFAULT_CALENDAR if os.path.exists(DEFAULT_CALENDAR) else None)
    return RulePolicy(
        trust_roots_dir=get("archive_repo.trust_roots"),
        crl_dir=get("archive_repo.crl_dir"),
        revocation_mode=get("archive_repo.revocation_mode", "soft-fail"),
        classification_rules=get("archive_repo.signature_roles") or None,
        calendar_file=calendar,
        appearance_tolerance=float(get("archive_repo.appearance_tolerance", 0.15)),
        min_scan_dpi=int(get("archive_repo.min_scan_dpi", 200)),
    )


def not_state_secret(metadata):
    level = metadata.get("confidentiality")
    if level in SECRET_LEVELS:
        return Check("not_state_secret", "1.2", False,
                     "Văn bản có nội dung thuộc bí mật nhà nước (%s) không được tiếp nhận qua hệ "
                     "thống (Điều 1, khoản 2)." % level, REJECT)
    return Check("not_state_secret", "1.2", True, "Văn bản không thuộc bí mật nhà nước.", REJECT)


def open_pdf(path):
    import pikepdf
    try:
        return pikepdf.open(path), Check("pdf_readable", "7.1a", True, "Tệp PDF đọc được.", REJECT)
    except pikepdf.PasswordError:
        reason = "Tệp PDF bị mã hóa bằng mật khẩu: không thể kiểm tra, không lưu trữ"
    except Exception as exc:
        reason = "Tệp không phải PDF hợp lệ hoặc bị hỏng (%s)" % str(exc)[:120]
    return None, Check("pdf_readable", "7.1a", False, reason + " (Điều 7, khoản 1, điểm a).", REJECT)


def run_rule(rule, ctx):
    try:
        result = rule(ctx)
    except Exception as exc:
        log.exception("rule %s failed", rule.__name__)
        return [Check(rule.__name__, "?", False,
                      "Không đánh giá được quy tắc %s: %s" % (rule.__name__, str(exc)[:200]),
                      STATUS)]
    return result if isinstance(result, list) else [result]


def decide(checks):
    failing = [c for c in checks if c.failed and c.severity in (STATUS, REJECT)]
    return ("reference_only" if failing else "equivalent_to_paper"), failing


def flags(checks):
    by_code = {c.code: c for c in checks}
    passed = lambda code: bool(by_code.get(code) and by_code[code].passed)  # noqa: E731
    return {"priority": passed("urgency_marked"),
            "paper_copy_required": passed("paper_copy_required"),
            "paper_copy_reasons": by_code["paper_copy_required"].details.get("reasons", [])
            if "paper_copy_required" in by_code else []}


def signature_json(sig):
    data = sig.as_json()
    data["signed_at"] = timeutil.isoformat(sig.signed_at) if sig.signed_at else None
    return data


def report(ctx, checks, made_at):
    status, failing = decide(checks)
    return {
        "engine_version": ENGINE_VERSION,
        "made_at": timeutil.isoformat(made_at),
        "trust_roots": trust.trust_root_fingerprints(ctx.policy),
        "revocation_mode": ctx.policy.revocation_mode,
        "checks": [c.as_json() for c in checks],
        "signatures": [signature_json(s) for s in ctx.signatures],
        "legal_status": status,
        "legal_status_reasons": [c.message for c in failing],
        "rejections": [c.as_json() for c in checks if c.failed and c.severity == REJECT],
        "flags": flags(checks),
        "revisions": ctx.facts.get("revisions", []),
    }


def evaluate(path, metadata, deposited_at, policy):
    """Check the PDF at ``path``; return the JSON-able report."""
    made_at = timeutil.now()
    ctx = Context(path=path, metadata=metadata, deposited_at=deposited_at, policy=policy)
    checks = [not_state_secret(metadata)]
    ctx.pdf, readable = open_pdf(path)
    checks.append(readable)
    if ctx.pdf is None:
        return report(ctx, checks, made_at)
    try:
        ctx.signatures = roles.classify(read_signatures(ctx), policy)
        for table in RULE_TABLES:
            for rule in table:
                checks.extend(run_rule(rule, ctx))
    finally:
        ctx.pdf.close()
    return report(ctx, checks, made_at)


__all__ = ["evaluate", "policy_from_settings", "ENGINE_VERSION", "FLAG"]
