"""Art. 7.1a — the file is whole and authentic: every signature verifies,
and nothing was changed after signing beyond what a signed PDF permits
(later signatures, DSS/timestamps, permitted form filling).

pyHanko's ``intact`` flag alone is not enough: pages added or removed in a
later incremental update leave every signature intact.  The difference
analysis (modification level) and the byte-range coverage decide.
"""
from .model import REJECT, STATUS, Check

# What may follow a signature without voiding it (pyHanko's ModificationLevel)
ALLOWED_AFTER_SIGNING = {"NONE", "LTA_UPDATES", "FORM_FILLING"}
# A signature must cover its whole revision; anything else is a byte-range
# anomaly (content hidden outside the signed bytes).
WHOLE_COVERAGE = {"ENTIRE_REVISION", "ENTIRE_FILE"}


def signatures_intact(ctx):
    if not ctx.signatures:
        return Check("signatures_intact", "7.1a", None,
                     "Văn bản không có chữ ký số để kiểm tra tính toàn vẹn.", REJECT)
    broken = [s for s in ctx.signatures if not (s.intact and s.valid)]
    if broken:
        return Check("signatures_intact", "7.1a", False,
                     "Chữ ký số bị hỏng hoặc nội dung đã bị sửa sau khi ký: %s "
                     "(Điều 7, khoản 1, điểm a)." % ", ".join(s.field for s in broken),
                     REJECT, {"fields": [s.field for s in broken]})
    return Check("signatures_intact", "7.1a", True,
                 "Mọi chữ ký số đều toàn vẹn (%d chữ ký)." % len(ctx.signatures), REJECT)


def _modified(sig):
    return (sig.modification_level and sig.modification_level not in ALLOWED_AFTER_SIGNING) \
        or (sig.coverage and sig.coverage not in WHOLE_COVERAGE)


def no_modification_after_signing(ctx):
    if not ctx.signatures:
        return Check("no_modification_after_signing", "7.1a", None,
                     "Văn bản không có chữ ký số.", REJECT)
    changed = [s for s in ctx.signatures if _modified(s)]
    if changed:
        details = [{"field": s.field, "revision": s.revision,
                    "modification_level": s.modification_level, "coverage": s.coverage,
                    "changes": s.problems} for s in changed]
        return Check("no_modification_after_signing", "7.1a", False,
                     "Văn bản bị thay đổi sau khi ký (%s): %s (Điều 7, khoản 1, điểm a)." % (
                         ", ".join("chữ ký %s, phiên bản %d: %s" % (
                             s.field, s.revision, s.modification_level or s.coverage)
                             for s in changed),
                         "; ".join(p for s in changed for p in s.problems) or "thay đổi không được phép"),
                     REJECT, {"signatures": details})
    return Check("no_modification_after_signing", "7.1a", True,
                 "Không có thay đổi nào sau khi ký ngoài các thay đổi được phép.", REJECT)


def has_signature(ctx):
    if ctx.signatures:
        return Check("has_signature", "4.1", True,
                     "Văn bản có %d chữ ký số." % len(ctx.signatures), STATUS)
    return Check("has_signature", "4.1", False,
                 "Văn bản chưa được ký số: chỉ có giá trị tham khảo (Điều 4, khoản 2).", STATUS)


RULES = [signatures_intact, no_modification_after_signing, has_signature]
