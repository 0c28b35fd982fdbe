"""Placeholder engine until the rule modules land (issue 3): the file must
open as a PDF; nothing else is claimed, so the status is reference only."""
from .. import timeutil
from .model import REJECT, Check, Context, RulePolicy

ENGINE_VERSION = "0"


def policy_from_settings(settings):
    return RulePolicy(trust_roots_dir=settings.get("archive_repo.trust_roots"))


def evaluate(path, metadata, deposited_at, policy):
    import pikepdf
    ctx = Context(path=path, metadata=metadata, deposited_at=deposited_at,
                  policy=policy)
    try:
        with pikepdf.open(path):
            ok = Check("pdf_readable", "7.1a", True, "Tệp PDF đọc được.", REJECT)
    except Exception:
        ok = Check("pdf_readable", "7.1a", False,
                   "Tệp không phải PDF hợp lệ hoặc bị hỏng (Điều 7, khoản 1, điểm a).",
                   REJECT)
    checks = [ok]
    return {
        "engine_version": ENGINE_VERSION,
        "made_at": timeutil.isoformat(timeutil.now()),
        "trust_roots": [],
        "checks": [c.as_json() for c in checks],
        "signatures": [],
        "legal_status": "reference_only",
        "rejections": [c.as_json() for c in checks if c.failed and c.severity == REJECT],
        "flags": {},
    }
