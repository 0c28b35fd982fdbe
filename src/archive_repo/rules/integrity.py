"""Art. 7.1a — the file is whole and authentic: every signature verifies,
and nothing was changed after signing beyond what a signed PDF permits
(later signatures in their own fields, DSS/timestamps for long-term
validation).  Art. 4 — an unsigned PDF is kept, for reference only.

pyHanko's ``intact`` flag alone is not enough: pages added or removed, or
content rewritten, in a later incremental update leave every earlier
signature intact.  The difference analysis (``modification_level``, under
the project's policy in ``diffpolicy``) and the byte-range coverage decide;
``ctx.facts['revisions']`` says which revision made which change and whether
it was allowed, and the check's ``judgement`` lists, for each signature, the
revision it signs and every later revision's change.

A *certification* signature may permit less than PDF does (its DocMDP
permission, ISO 32000-1 Table 254): ``NO_CHANGES`` forbids even a later
signature.  pyHanko measures the modification level against it
(``docmdp_ok``); a later change beyond the certifier's permission is a
change after signing like any other, and the deposit is refused.
"""
from .model import REJECT, STATUS, Check, article
from .diffpolicy import later_changes
from .signatures import ALLOWED_LEVELS

ARTICLE = "7.1a"
WHERE = "Điều 7, khoản 1, điểm a"
# A signature must cover its whole revision; anything less is a byte-range
# anomaly (bytes outside the signed ranges may hide content).
WHOLE_COVERAGE = {"ENTIRE_REVISION", "ENTIRE_FILE"}
# What a certification signature's DocMDP permission allows, as a clerk reads it.
DOCMDP_VI = {"NO_CHANGES": "không cho phép bất kỳ thay đổi nào",
             "FILL_FORMS": "chỉ cho phép điền biểu mẫu và ký thêm",
             "ANNOTATE": "chỉ cho phép điền biểu mẫu, ký thêm và ghi chú"}
# pyHanko's modification levels each DocMDP permission admits (DSS and
# document timestamps are always allowed, pyHanko's LTA_UPDATES).
DOCMDP_ALLOWS = {"NO_CHANGES": {"NONE", "LTA_UPDATES"},
                 "FILL_FORMS": {"NONE", "LTA_UPDATES", "FORM_FILLING"},
                 "ANNOTATE": {"NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS"}}


def _unreadable(ctx):
    problems = ctx.facts.get("signature_problems") or []
    return Check("signatures_intact", ARTICLE, False,
                 "%s (%s)." % ("; ".join(problems), WHERE), REJECT, {"problems": problems})


@article("7.1a")
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
        or (sig.coverage and sig.coverage not in WHOLE_COVERAGE) or sig.docmdp_ok is False


def _allowed_after(sig):
    """The modification levels later revisions may reach without voiding
    ``sig``: what PDF permits, narrowed by a certification's DocMDP."""
    return ALLOWED_LEVELS & DOCMDP_ALLOWS.get(sig.docmdp, ALLOWED_LEVELS)


def _bad_revisions(ctx, sig):
    allowed = _allowed_after(sig)
    return [r for r in later_changes(ctx.facts.get("revisions", []), sig.revision)
            if not r["allowed"] or r["modification_level"] not in allowed]


def judgement(ctx):
    """For each signature: the revision it signs and, for every later
    revision, what it changed and whether that was allowed."""
    return [{"field": s.field, "signs_revision": s.revision,
             "later": [{key: r[key] for key in ("revision", "change", "allowed", "description")}
                       for r in later_changes(ctx.facts.get("revisions", []), s.revision)]}
            for s in ctx.signatures]


def _describe(sig, revisions):
    if sig.coverage and sig.coverage not in WHOLE_COVERAGE:
        return "chữ ký %s không bao trùm toàn bộ phiên bản được ký (%s)" % (sig.field, sig.coverage)
    if sig.docmdp_ok is False and sig.modification_level in ALLOWED_LEVELS:
        return "chữ ký chứng thực %s (phiên bản %d) %s (DocMDP %s), nhưng sau đó văn bản vẫn " \
            "bị thay đổi (%s)" % (sig.field, sig.revision, DOCMDP_VI.get(sig.docmdp, sig.docmdp),
                                 sig.docmdp, _changes(revisions) or sig.modification_level)
    what = _changes(revisions)
    return "sau chữ ký %s (phiên bản %d) — %s" % (sig.field, sig.revision,
                                                 what or sig.modification_level)


def _changes(revisions):
    return "; ".join("phiên bản %d: %s" % (r["revision"], r["description"][:160])
                     for r in revisions)


@article("7.1a")
def no_modification_after_signing(ctx):
    """Nothing beyond permitted updates follows any signature."""
    if not ctx.signatures:
        return Check("no_modification_after_signing", ARTICLE, None,
                     "Văn bản không có chữ ký số.", REJECT)
    changed = [s for s in ctx.signatures if _modified(s) or _bad_revisions(ctx, s)]
    if not changed:
        return Check("no_modification_after_signing", ARTICLE, True,
                     "Không có thay đổi nào sau khi ký ngoài các thay đổi được phép.", REJECT,
                     {"judgement": judgement(ctx)})
    details = [{"field": s.field, "revision": s.revision,
                "modification_level": s.modification_level, "coverage": s.coverage,
                "docmdp": s.docmdp, "docmdp_ok": s.docmdp_ok,
                "changed_in": _bad_revisions(ctx, s), "problems": s.problems}
               for s in changed]
    return Check("no_modification_after_signing", ARTICLE, False,
                 "Văn bản bị thay đổi sau khi ký: %s (%s)." % (
                     "; ".join(_describe(s, d["changed_in"]) for s, d in zip(changed, details)),
                     WHERE), REJECT, {"signatures": details, "judgement": judgement(ctx)})


@article("4.1")
def has_signature(ctx):
    """Art. 4: a signed document can be equivalent to paper; an unsigned
    one is kept for reference only."""
    if ctx.signatures:
        return Check("has_signature", "4.1", True,
                     "Văn bản có %d chữ ký số." % len(ctx.signatures), STATUS)
    return Check("has_signature", "4.1", False,
                 "Văn bản chưa được ký số: chỉ có giá trị tham khảo (Điều 4, khoản 2).", STATUS)


RULES = [signatures_intact, no_modification_after_signing, has_signature]
