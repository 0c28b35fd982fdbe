"""Keeping records for the long term (Circular 02/2019 and 05/2025/TT-BNV,
regulation Art. 12.4–12.5): fixity, PREMIS events, format identification,
backup and restore, archival packages, maintenance and upgrades.

    events.py       PREMIS 3 events, append-only in the audit database:
                    ``record_event(registry, record, type, outcome, agent, …)``
    subscribers.py  the events of the domain operations (deposit, versions,
                    revalidation)
    premis.py       PREMIS 3 XML of records and their events
    formats.py      format identification with pikepdf (reported, never converted)
    fixity.py       re-reading every stored version; runs, budget, resume
    backup.py       repozo + hard-linked blob generations, log and minute
    restore.py      recover into a new folder, then verify
    packing.py      ``pack`` only after a full backup
    package.py      AIP export / import (METS, EAD, PREMIS, BagIt); schemas/
    maintenance.py  announced windows: notice on pages, /health, headers; 503 writes
    upgrade.py      evolve steps between two integrity checks
    minutes.py      the backup and restore minutes (PDF)
    views.py        ``…/{n}/premis.xml``
"""
from ..db import jar_of
from ..resources.record import IRecord, IRecordFacts, IVersion, IVersionFacts
from .events import EVENT_TYPES, events_of
from .fixity import last_check
from .maintenance import health_check


class PremisPart:
    """``/{agency}/{year}/{number}/premis.xml`` (not persistent)."""

    __name__ = "premis.xml"

    def __init__(self, record):
        self.__parent__ = self.record = record


def fixity_facts(record, version):
    return {"last_check": last_check(jar_of(record), record.path, version.number)}


def preservation_facts(record):
    """The record's PREMIS events, for its JSON and page."""
    return {"events": [{"at": e["at"], "type": e["action"],
                        "label": EVENT_TYPES[e["action"]][1], "outcome": e["outcome"],
                        "agent": e["actor"], "agent_version": e["detail"]["agent_version"],
                        "objects": e["detail"]["objects"]}
                       for e in events_of(jar_of(record), record.path)]}


def includeme(config):
    config.add_record_part("premis.xml", PremisPart)
    config.registry.registerAdapter(preservation_facts, (IRecord,), IRecordFacts,
                                    "preservation")
    config.registry.registerAdapter(fixity_facts, (IRecord, IVersion), IVersionFacts,
                                    "fixity")
    config.include(".subscribers")
    config.add_tween("archive_repo.preservation.maintenance.tween_factory")
    config.add_health_check("maintenance", health_check)
    config.add_dashboard_figure("fixity", "archive_repo.preservation.dashboard.fixity_figure",
                                order=50)
    config.add_dashboard_figure("backup", "archive_repo.preservation.dashboard.backup_figure",
                                order=60)
    config.add_request_method("archive_repo.preservation.maintenance.request_notice",
                              "maintenance_notice", reify=True)
