"""Records management: the retention schedule, file plans, dossiers and
their life cycle, deposit to the agency archive (nộp lưu), holds and
disposal (Decree 30/2020 Art. 28–31, App. V–VI; Circulars 10/2022 and
05/2025/TT-BNV; see ../shared/PRESERVATION.md).

    retention.py  the schedule as data; Circular 05/2025 retention codes
    fields.py     the dossier fields of Circular 05/2025, validated
    dossiers.py   Dossier, Dossiers (``/{agency}/dossiers/``), the life-cycle table
    fileplan.py   the yearly file plan (``/{agency}/fileplans/{year}``), approval
    deposit.py    deadlines, reminders, keep-back; deposits (``/{agency}/deposits/``)
    disposal.py   disposal batches (``/{agency}/disposals/``), tombstones, 410 Gone
    holds.py      holds (``/{agency}/holds/``): freezing records and dossiers
    documents.py  PDF / XLSX / XML of plans, deposit lists, hand-over records, minutes
    serialize.py  JSON
    views/        HTTP, one module per resource family

Every step fires :class:`archive_repo.events.DossierChanged` with an
``action`` naming it: the audit trail hears it, and so can a preservation
subscriber (PREMIS events).
"""
from pyramid.events import ContextFound

from ..events import RecordModified
from . import deposit, disposal, dossiers, fileplan, holds, retention


MENU = (
    ("Kế hoạch lập hồ sơ", fileplan.NAME, 30),
    ("Hồ sơ", dossiers.NAME, 31),
    ("Nộp lưu hồ sơ", deposit.NAME, 32),
    ("Tạm giữ, phong tỏa", holds.NAME, 33),
    ("Tiêu hủy tài liệu", disposal.NAME, 34),
)


def includeme(config):
    config.add_subscriber(disposal.refuse_destroyed, ContextFound)
    config.add_agency_part(disposal.NAME, disposal.batches_of)
    config.add_subscriber(holds.veto_held_change, RecordModified)
    config.add_agency_part(holds.NAME, holds.holds_of)
    config.add_agency_part(deposit.NAME, deposit.deposits_of)
    retention.load(config.registry)
    config.add_agency_part(dossiers.NAME, dossiers.dossiers_of)
    config.add_agency_part(fileplan.NAME, fileplan.plans_of)
    # an agency's own screens: left out of the menu of someone without one
    for title, name, order in MENU:
        config.add_nav(title, "/{agency}/%s/" % name, roles=("clerk", "archivist"),
                       order=order)
