"""The preservation rows of the archivist's dashboard: the last fixity run
(its summary) and the last backup (its log entry), both from the audit
database through the request's own connection."""
import json

from .. import audit, timeutil
from .backup import BACKUPS_KEY
from .fixity import FIXITY_KEY, LABELS, OK


def _last(tree):
    return json.loads(tree[tree.maxKey()]) if tree is not None and len(tree) else None


def fixity_figure(request):
    state = audit.audit_conn(request).root().get(FIXITY_KEY)
    run = _last(state.runs if state is not None else None)
    label = "Lần kiểm tra toàn vẹn gần nhất"
    if run is None:
        return {"label": label, "value": "Chưa chạy lần nào"}
    when = timeutil.vn_datetime(run["finished"] or run["started"])
    bad = sum(n for status, n in run["counts"].items() if status != OK)
    value = "%s: %s %d tệp, %s" % (
        when, "đã kiểm tra" if run["complete"] else "dừng giữa chừng sau", run["checked"],
        "tất cả nguyên vẹn" if not bad else "%d tệp có vấn đề" % bad)
    items = ["%s phiên bản %s: %s" % (p.get("path"), p.get("version"),
                                       LABELS.get(p.get("status"), p.get("status")))
             for p in run.get("problems", [])[:10]]
    return {"label": label, "value": value, "details": items}


def backup_figure(request):
    manifest = _last(getattr(audit.audit_conn(request).root().get(BACKUPS_KEY), "runs", None))
    label = "Lần sao lưu gần nhất"
    if manifest is None:
        return {"label": label, "value": "Chưa sao lưu lần nào"}
    return {"label": label, "value": "%s: bản %s vào %s (%s, %.1f MB)" % (
        timeutil.vn_datetime(manifest["at"]), "đầy đủ" if manifest["full"] else "gia tăng",
        manifest["destination"], manifest.get("who") or "", manifest.get("bytes", 0) / 1e6)}
