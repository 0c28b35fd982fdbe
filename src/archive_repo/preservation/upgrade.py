"""Upgrades between two integrity checks (regulation Art. 12.5: the
database's integrity is ensured before and after every upgrade).

``upgrade(registry)``: a snapshot — records and versions per agency and
year, the audit trail's length, check-index's differences, a fixity sample
(every version with ``full_fixity``) — then the pending evolve steps, then
the same snapshot again.  It refuses to start on an archive that is already
damaged (a fixity problem, the indexes out of step), and reports failure
when the counts after differ from those before or the audit trail shrank.
The report (both snapshots, the steps run, the verdict) is returned for the
command to write, and kept as an audit entry."""
from collections import Counter

from .. import audit, db, evolution, timeutil
from ..indexing import fulltext_of
from ..indexing.rebuild import differences
from ..resources import get_root
from . import fixity

SAMPLE = 200            # versions the quick fixity sample reads


def snapshot(registry, full_fixity=False):
    counts, versions, seen = Counter(), [], set()
    with db.reading(registry) as conn:
        root = get_root(conn)
        for key, record, version in fixity.select(root):
            if record.path not in seen:
                seen.add(record.path)
                counts["%s/%s" % (key[0], key[1])] += 1
            versions.append((record.path, version))
        step = 1 if full_fixity else max(1, len(versions) // SAMPLE)
        problems = []
        for path, version in versions[::step]:
            status, _ = fixity.check_version(version)
            if status != fixity.OK:
                problems.append("%s/versions/%d %s" % (path, version.number, status))
        diff = differences(root, fulltext_of(registry))
        index = {k: len(v) for k, v in diff.items() if v and k != "pending"}
    with db.reading(registry, audit.AUDIT_DB) as conn:
        audit_count = len(audit.get_log(conn))
    return {"at": timeutil.isoformat(timeutil.now()), "records": dict(sorted(counts.items())),
            "versions": len(versions), "fixity_checked": len(versions[::step]),
            "fixity_problems": problems, "index_differences": index, "audit": audit_count}


def damaged(snap):
    return snap["fixity_problems"] or snap["index_differences"]


def compare(before, after):
    """What differs between two snapshots (empty: the same archive)."""
    found = []
    for name in ("records", "versions"):
        if before[name] != after[name]:
            found.append("%s: %s → %s" % (name, before[name], after[name]))
    if after["audit"] < before["audit"]:
        found.append("audit: %d → %d" % (before["audit"], after["audit"]))
    found += ["fixity: " + p for p in after["fixity_problems"]]
    found += ["index %s: %d" % item for item in after["index_differences"].items()]
    return found


def upgrade(registry, full_fixity=False, run_steps=None, who="system"):
    """The report; ``report["ok"]`` False when refused or when after ≠ before.
    ``run_steps(registry)`` runs the steps (default: the pending evolve steps)."""
    run_steps = run_steps or (lambda reg: evolution.evolve(reg))
    report = {"started": timeutil.isoformat(timeutil.now()), "by": who,
              "pending": [s.name for s in evolution.pending(registry)]}
    report["before"] = before = snapshot(registry, full_fixity)
    if damaged(before):
        report.update(ok=False, refused="before", ran=[],
                      differences=compare(dict(before, fixity_problems=[],
                                               index_differences={}), before))
    else:
        report["ran"] = run_steps(registry)
        report["after"] = after = snapshot(registry, full_fixity)
        report["differences"] = compare(before, after)
        report["ok"] = not report["differences"]
        if not report["ok"]:
            report["refused"] = "after"
    report["finished"] = timeutil.isoformat(timeutil.now())
    audit.write_standalone(registry, audit.make_entry(
        None, "upgrade", "/", "ok" if report["ok"] else "failed", nobody=who,
        ran=report["ran"], differences=report["differences"]))
    return report
