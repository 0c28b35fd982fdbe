"""The rule engine: which rules run, in which order, and what they decide.

``evaluate`` refuses a state secret without reading it, opens the PDF,
reads and classifies its signatures once, runs every rule table below, and
returns the report kept with the record as evidence: every check, every
signature, the trust roots it was judged against (fingerprints) and when.
``legal_status`` is *equivalent to paper* (Art. 4.1) only when no REJECT or
STATUS check failed; otherwise *reference only* (Art. 4.2).  A REJECT failure
means the deposit is refused.  A rule that raises becomes a failing STATUS
check: a bug in one rule costs the document its status, never the deposit.
"""
import logging
import os

from .. import timeutil
from ..doctypes import SECRET_LEVELS
from ..errors import BadRequest, Rejected
from ..vietnamese import fold_words
from . import (active_content, appearance, completeness, content, integrity, issuer,
               paper_copy, pdf_format, rendering, roles, scans, signatures, structure, timing,
               trust, urgency)
from .model import REJECT, STATUS, Check, Context, IRulePolicy, RulePolicy, where

log = logging.getLogger(__name__)
ENGINE_VERSION = "1.4"

# The order a clerk reads the report in: is the record described (and is the
# file that record), is the file whole, who signed with what, when, in which
# format, how it looks, and what follows from it.
RULE_TABLES = [
    completeness.RULES, content.RULES, integrity.RULES, structure.RULES, rendering.RULES,
    trust.RULES, roles.RULES, issuer.RULES, timing.RULES, pdf_format.RULES, active_content.RULES,
    scans.RULES, appearance.RULES, urgency.RULES, paper_copy.RULES,
]
SECRETS = {fold_words(level): level for level in SECRET_LEVELS}
# A PDF ends with %%EOF; readers tolerate trailing bytes, the spec's
# implementation notes say within the last 1024.
EOF_WINDOW = 1024


def policy_from_settings(settings):
    """The RulePolicy of a validated Settings object (or of a raw ``.ini``
    mapping, validated here: the engine used on its own, in tests and benches)."""
    from ..settings import Settings, parse_settings
    if not isinstance(settings, Settings):
        settings = parse_settings(settings, complete=False)
    return RulePolicy(
        trust_roots_dir=settings.trust_roots,
        crl_dir=settings.crl_dir,
        revocation_mode=settings.revocation_mode,
        classification_rules=settings.signature_roles,
        calendar_file=settings.calendar,
        appearance_tolerance=settings.appearance_tolerance,
        min_scan_dpi=settings.min_scan_dpi,
        path_cache_size=settings.path_cache_size,
    )


def rule_policy(registry):
    """The app's RulePolicy (built once from its settings at start-up)."""
    return registry.getUtility(IRulePolicy)


# -- the guards that stop before the rules ---------------------------------------

def not_state_secret(metadata):
    """Art. 1.2; folded, so "MẬT" or "Toi mat" from an import is refused too."""
    level = SECRETS.get(fold_words(metadata.get("confidentiality") or ""))
    if level:
        return Check("not_state_secret", "1.2", False,
                     "Văn bản có nội dung thuộc bí mật nhà nước (%s) không được tiếp nhận qua hệ "
                     "thống (Điều 1, khoản 2)." % level, REJECT, {"confidentiality": level})
    return Check("not_state_secret", "1.2", True, "Văn bản không thuộc bí mật nhà nước.", REJECT)


def _unreadable(reason):
    return Check("pdf_readable", "7.1a", False,
                 reason + " (Điều 7, khoản 1, điểm a).", REJECT)


def _truncated(path):
    with open(path, "rb") as f:
        f.seek(max(0, os.path.getsize(path) - EOF_WINDOW))
        return b"%%EOF" not in f.read()


def open_pdf(path):
    """(open pikepdf.Pdf or None, the ``pdf_readable`` check)."""
    import pikepdf
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return None, _unreadable("Tệp PDF bị mã hóa bằng mật khẩu: không kiểm tra được, "
                                 "không lưu trữ")
    except Exception as exc:
        return None, _unreadable("Tệp không phải PDF hợp lệ hoặc bị hỏng (%s)" % str(exc)[:120])
    if _truncated(path):
        pdf.close()
        return None, _unreadable("Tệp PDF bị cắt cụt (không có dấu kết thúc %%EOF)")
    return pdf, _readable(pdf)


def _readable(pdf):
    # qpdf repairs a damaged cross-reference table silently: say so, the
    # bytes we keep are still the damaged ones
    details = {"encrypted": pdf.is_encrypted, "repaired": [str(w) for w in pdf.get_warnings()]}
    note = "; bị mã hóa giới hạn quyền, đọc được không cần mật khẩu" if pdf.is_encrypted else ""
    if details["repaired"]:
        note += "; bảng tham chiếu hỏng đã được khôi phục khi đọc"
    return Check("pdf_readable", "7.1a", True, "Tệp PDF đọc được%s." % note, REJECT, details)


# -- running the rules --------------------------------------------------------------

def read_signatures(ctx):
    """The classified signatures; a reader bug is a failing check, not a crash."""
    try:
        return roles.classify(signatures.read_signatures(ctx), ctx.policy), []
    except Exception as exc:
        log.exception("reading the signatures of %s failed", ctx.path)
        return [], [Check("signatures_readable", "7.1a", False,
                          "Không đọc được các chữ ký số của văn bản: %s" % str(exc)[:200],
                          STATUS)]


def _crashed(rule, exc):
    """The failing check a rule's own bug becomes, under the article the
    rule enforces (``@article``), so the report still says what went
    unjudged."""
    number = getattr(rule, "article", "?")
    return Check(rule.__name__, number, False,
                 "Không đánh giá được quy tắc %s do lỗi của hệ thống: %s (%s)."
                 % (rule.__name__, str(exc)[:200], where(number)), STATUS)


def run_rule(rule, ctx):
    try:
        result = rule(ctx)
    except Exception as exc:
        log.exception("rule %s failed", rule.__name__)
        return [_crashed(rule, exc)]
    return result if isinstance(result, list) else [result]


def run_rules(ctx):
    checks = []
    for table in RULE_TABLES:
        for rule in table:
            checks.extend(run_rule(rule, ctx))
    return checks


# -- the report ---------------------------------------------------------------------

def decide(checks):
    failing = [c for c in checks if c.failed and c.severity in (STATUS, REJECT)]
    return ("reference_only" if failing else "equivalent_to_paper"), failing


def flags(checks):
    by_code = {c.code: c for c in checks}
    urgent = by_code.get("urgency_marked")
    paper = by_code.get("paper_copy_required")
    late = by_code.get("urgent_sent_immediately")
    return {"priority": bool(urgent and urgent.details.get("priority")),
            "urgency": urgent.details.get("urgency") if urgent else None,
            "urgent_sent_late": bool(late and late.failed),
            "paper_copy_required": bool(paper and paper.passed),
            "paper_copy_reasons": paper.details.get("reasons", []) if paper else []}


SIGNATURE_TIMES = ("signed_at", "validated_at", "revoked_at")


def signature_json(sig):
    """The signature's facts; its instants in Vietnam time (+07:00)."""
    data = sig.as_json()
    for name in SIGNATURE_TIMES:
        moment = getattr(sig, name)
        data[name] = timeutil.isoformat(moment) if moment else None
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
        # document timestamps (PAdES B-LTA), validated as timestamps
        "timestamps": [signature_json(s) for s in ctx.signatures if s.role == "timestamp"],
        "legal_status": status,
        "legal_status_reasons": [c.message for c in failing],
        "rejections": [c.as_json() for c in checks if c.failed and c.severity == REJECT],
        "flags": flags(checks),
        "revisions": ctx.facts.get("revisions", []),
    }


def evaluate(path, metadata, deposited_at, policy, issuer=None):
    """Check the PDF at ``path``; return the JSON-able report.  ``issuer``:
    the issuing agency (``issuer.issuer_of``), None to leave it unjudged."""
    made_at = timeutil.now()
    ctx = Context(path=path, metadata=metadata, deposited_at=deposited_at, policy=policy,
                  issuer=issuer)
    checks = [not_state_secret(metadata)]
    if checks[0].failed:            # Art. 1.2: a state secret is not even read
        return report(ctx, checks, made_at)
    ctx.pdf, readable = open_pdf(path)
    checks.append(readable)
    if ctx.pdf is None:
        return report(ctx, checks, made_at)
    try:
        ctx.signatures, problems = read_signatures(ctx)
        checks.extend(problems)
        checks.extend(run_rules(ctx))
    finally:
        ctx.pdf.close()
    return report(ctx, checks, made_at)


def evaluate_file(spooled, meta, at, policy, issuer=None, *, report=None):
    """The report on a spooled upload (a deposit or a new version); an empty
    file and a REJECT failure refuse it (raise).  ``report``: the one a bulk
    job's worker already made for these bytes, metadata and time
    (``rules/pool.py``), judged the same way."""
    if spooled.size == 0:
        raise BadRequest("empty_file", "Tệp tải lên rỗng (0 byte).",
                         [{"field": "file"}])
    if report is None:
        report = evaluate(spooled.path, meta, at, policy, issuer)
    if report["rejections"]:
        raise Rejected(report["rejections"])
    return report


__all__ = ["evaluate", "evaluate_file", "policy_from_settings", "rule_policy", "ENGINE_VERSION", "RulePolicy"]
