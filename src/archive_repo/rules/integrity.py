"""Art. 7.1a — the file is whole and authentic: every signature verifies,
and nothing was changed after signing beyond what a signed PDF permits
(later signatures in their own fields, DSS/timestamps for long-term
validation).  Art. 4 — an unsigned PDF is kept, for reference only.

pyHanko's ``intact`` flag alone is not enough: pages added or removed, or
content rewritten, in a later incremental update leave every earlier
signature intact.  The difference analysis (``modification_level``) and the
byte-range coverage decide; ``ctx.facts['revisions']`` says which revision
made the change and what pyHanko found in it.
"""
from .model import REJECT, STATUS, Check
from .signatures import ALLOWED_LEVELS

ARTICLE = "7.1a"
WHERE = "Điều 7, khoản 1, điểm a"
# A signature must cover its whole revision; anything less is a byte-range
# anomaly (bytes outside the signed ranges may hide content).
WHOLE_COVERAGE = {"ENTIRE_REVISION", "ENTIRE_FILE"}


def _unreadable(ctx):
    problems = ctx.facts.get("signature_problems") or []
    return Check("signatures_intact", ARTICLE, False,
                 "%s (%s)." % ("; ".join(problems), WHERE), REJECT, {"problems": problems})


def signatures_intact(ctx):
    """Every signature's digest and cryptographic signature check out."""
    if ctx.facts.get("signature_problems"):
        return _unreadable(ctx)
    if not ctx.signatures:
        return Check("signatures_intact", ARTICLE, None,
                     "Văn bản không có chữ ký số để kiểm tra tính toàn vẹn.", REJECT)
    broken = [s for s in ctx.signatures if not (s.intact and s.valid)]
    if broken:
        return Check("signatures_intact", ARTICLE, False,
                     "Chữ ký số bị hỏng hoặc nội dung đã bị sửa sau khi ký: %s (%s)."
                     % (", ".join(s.field for s in broken), WHERE), REJECT,
                     {"fields": [s.field for s in broken],
                      "problems": [p for s in broken for p in s.problems]})
    return Check("signatures_intact", ARTICLE, True,
                 "Mọi chữ ký số đều toàn vẹn (%d chữ ký)." % len(ctx.signatures), REJECT)


def _modified(sig):
    return (sig.modification_level and sig.modification_level not in ALLOWED_LEVELS) \
        or (sig.coverage and sig.coverage not in WHOLE_COVERAGE)


def _bad_revisions(ctx, after):
    return [r for r in ctx.facts.get("revisions", [])
            if r["revision"] > after and (r.get("problem") or r.get("modification_level")
                                          not in ALLOWED_LEVELS | {None})]


def _describe(sig, revisions):
    if sig.coverage and sig.coverage not in WHOLE_COVERAGE:
        return "chữ ký %s không bao trùm toàn bộ phiên bản được ký (%s)" % (sig.field, sig.coverage)
    what = "; ".join("phiên bản %d: %s" % (r["revision"], (r.get("problem") or
                     r["modification_level"])[:160]) for r in revisions)
    return "sau chữ ký %s (phiên bản %d) — %s" % (sig.field, sig.revision,
                                                 what or sig.modification_level)


def no_modification_after_signing(ctx):
    """Nothing beyond permitted updates follows any signature."""
    if not ctx.signatures:
        return Check("no_modification_after_signing", ARTICLE, None,
                     "Văn bản không có chữ ký số.", REJECT)
    changed = [s for s in ctx.signatures if _modified(s)]
    if not changed:
        return Check("no_modification_after_signing", ARTICLE, True,
                     "Không có thay đổi nào sau khi ký ngoài các thay đổi được phép.", REJECT)
    details = [{"field": s.field, "revision": s.revision,
                "modification_level": s.modification_level, "coverage": s.coverage,
                "changed_in": _bad_revisions(ctx, s.revision), "problems": s.problems}
               for s in changed]
    return Check("no_modification_after_signing", ARTICLE, False,
                 "Văn bản bị thay đổi sau khi ký: %s (%s)." % (
                     "; ".join(_describe(s, d["changed_in"]) for s, d in zip(changed, details)),
                     WHERE), REJECT, {"signatures": details})


def has_signature(ctx):
    """Art. 4: a signed document can be equivalent to paper; an unsigned
    one is kept for reference only."""
    if ctx.signatures:
        return Check("has_signature", "4.1", True,
                     "Văn bản có %d chữ ký số." % len(ctx.signatures), STATUS)
    return Check("has_signature", "4.1", False,
                 "Văn bản chưa được ký số: chỉ có giá trị tham khảo (Điều 4, khoản 2).", STATUS)


RULES = [signatures_intact, no_modification_after_signing, has_signature]
