"""The register of reports: a report is a record.

Every generated report is registered — number (``12/BC-KLT``, numbering
restarting each year), when, by whom, period, scope, the SHA-256 of each
output made — under its *subject* (scope + period).  The figures are kept
with it as canonical JSON, so a report can be compared with what was said
before:

* the same figures again (a re-run, another format): the same entry — the
  output's hash is added to it;
* other figures: a new *version* of the subject, carrying ``changes`` — each
  indicator that moved, before and after.  For a closed period that is a
  correction (``correction`` true): something recorded about the past
  changed (a late import, a revalidation) and the Province must be told.

Registering fires :class:`ReportGenerated`; its subscriber writes the audit
entry (who generated which report), in the same transaction.
"""
import hashlib
import json

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.list import PersistentList

from .. import audit, db, timeutil
from ..events import fire
from ..settings import get_settings
from .outputs import FORMATS

REGISTER_KEY = "archive_repo.reports"
NOTATION = "%d/BC-KLT"
# What may differ between two runs over the same archive without the
# figures having changed.
NOT_FIGURES = ("closed",)


class ReportEntry(Persistent):
    def __init__(self, year, number, subject, version, figures, digest, at, by,
                 closed, changes):
        self.year, self.number, self.subject, self.version = year, number, subject, version
        self.figures, self.digest = figures, digest
        self.at, self.by, self.closed, self.changes = at, by, closed, changes
        self.outputs = PersistentList()

    @property
    def notation(self):
        return NOTATION % self.number

    def as_json(self):
        return {"notation": self.notation, "year": self.year, "number": self.number,
                "period": self.subject[1], "scope": self.subject[0],
                "version": self.version, "made_at": timeutil.isoformat(
                    timeutil.from_stamp(self.at)), "by": self.by, "closed": self.closed,
                "correction": self.version > 1 and self.closed, "changes": list(self.changes),
                "figures_sha256": self.digest,
                "outputs": [{"format": f, "sha256": h, "at": timeutil.isoformat(
                    timeutil.from_stamp(at)), "by": by} for f, h, at, by in self.outputs]}


class ReportRegister(Persistent):
    def __init__(self):
        self.entries = OOBTree()        # (year, number) → ReportEntry
        self.subjects = OOBTree()       # (scope, period) → ((year, number), …) oldest first

    def latest(self, subject):
        keys = self.subjects.get(subject, ())
        return self.entries[keys[-1]] if keys else None

    def versions(self, subject):
        return [self.entries[k] for k in self.subjects.get(subject, ())]

    def add(self, entry_args, at):
        year = timeutil.to_vn(at).year
        try:
            last = self.entries.maxKey((year, 2 ** 31))
        except ValueError:          # empty, or only later years
            last = None
        number = last[1] + 1 if last and last[0] == year else 1
        entry = ReportEntry(year, number, *entry_args)
        self.entries[(year, number)] = entry
        subject = entry.subject
        self.subjects[subject] = self.subjects.get(subject, ()) + ((year, number),)
        return entry


def register_in(conn):
    return db.kept(conn.root(), REGISTER_KEY, ReportRegister)


def figures_of(report):
    kept = {k: v for k, v in report.items() if k not in NOT_FIGURES}
    text = json.dumps(kept, ensure_ascii=False, sort_keys=True)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def changes_between(before, after):
    old, new = json.loads(before)["indicators"], after["indicators"]
    return [{"code": code, "before": old.get(code), "after": value}
            for code, value in new.items() if old.get(code) != value]


def actor_name(actor):
    return getattr(actor, "token_id", None) or "system"


class ReportGenerated:
    """A report was generated (and registered): ``entry``, ``fmt``,
    ``sha256`` of the bytes, by ``actor``; ``request`` None outside HTTP."""

    def __init__(self, conn, entry, fmt, sha256, actor, request=None):
        self.conn, self.entry, self.fmt, self.sha256 = conn, entry, fmt, sha256
        self.actor, self.request = actor, request


def registered(conn, report, actor, at):
    """The register entry for ``report``'s figures (a new version when they
    differ from the subject's latest)."""
    reg = register_in(conn)
    subject = (report["scope_detail"]["kind"] + (":" + report["scope"]
                                                 if report["scope_detail"]["agency"] else ""),
               report["period"])
    text, digest = figures_of(report)
    latest = reg.latest(subject)
    if latest is not None and latest.digest == digest:
        return latest
    changes = changes_between(latest.figures, report) if latest is not None else []
    return reg.add((subject, (latest.version + 1) if latest else 1, text, digest,
                    timeutil.to_stamp(at), actor_name(actor), report["closed"], changes), at)


def generate(conn, report, fmt, actor, registry, request=None):
    """Render ``report`` as ``fmt``, register it; ``(bytes, entry JSON)``."""
    at = timeutil.now()
    entry = registered(conn, report, actor, at)
    context = {"number": entry.notation, "at": at, "by": actor_name(actor),
               "issuer": get_settings(registry).report_issuer}
    body = FORMATS[fmt][2](report, context)
    sha = hashlib.sha256(body).hexdigest()
    entry.outputs.append((fmt, sha, timeutil.to_stamp(at), actor_name(actor)))
    fire(registry, ReportGenerated(conn, entry, fmt, sha, actor, request))
    return body, entry.as_json()


def listing(conn, period=None, agency=None, limit=200):
    """Registered reports, newest first; only ``period``'s or ``agency``'s
    (its own scope or its subtree) when given."""
    found = []
    for entry in reversed(register_in(conn).entries.values()):
        scope, key = entry.subject
        if period is not None and key != period:
            continue
        if agency is not None and scope.split(":", 1)[-1] != agency:
            continue
        found.append(entry.as_json())
        if len(found) >= limit:
            break
    return found


def on_report_generated(event):
    entry = event.entry
    row = audit.make_entry(event.actor, "report", "/reports/%d/%d" % (entry.year,
                                                                      entry.number),
                           period=entry.subject[1], scope=entry.subject[0],
                           version=entry.version, format=event.fmt, sha256=event.sha256)
    audit.get_log(event.conn.get_connection(audit.AUDIT_DB)).append(row)
