"""Reports that answer the Province (Art. 11.2; Decree 30 App. VI):
statistics over a period and a scope, the Decree 30 registers, access
statistics — every figure from what the archive recorded.

    facts.py       the facts ledger: one compact row per record, kept by the
                   domain events; what a report reads instead of records
    periods.py     month / quarter / half-year / year / dates
    scopes.py      an agency, an agency and its subordinates, the province
    tally.py       one pass over facts (and the audit trail) for a period
    indicators.py  the indicators: code, Vietnamese label, definition, function
    service.py     period + scope → the report (figures, percentages, tables)
    charts.py      matplotlib charts (PNG for the PDF, SVG for the page)
    outputs/       json, csv, xlsx, pdf renderers (table ``FORMATS``)
    register.py    every generated report registered; corrections versioned
    books.py       Decree 30 outgoing / incoming registers (PDF, XLSX)
    access.py      views, downloads and sign-ins from the audit trail
    views.py       ``GET /reports`` and the statistics page

Settings: ``archive_repo.report_waiting_days`` (N of "still waiting after N
working days"), ``archive_repo.report_issuer`` (the header of the printed
report).
"""
from ..events import RecordAdded, RecordModified
from . import facts
from .register import ReportGenerated, on_report_generated


def includeme(config):
    config.add_subscriber(on_report_generated, ReportGenerated)
    config.add_subscriber(facts.on_record_changed, RecordAdded)
    config.add_subscriber(facts.on_record_changed, RecordModified)
    config.add_evolve_step(facts.build, "2026-12-report-facts")
    config.add_evolve_step(facts.received_per_receiver, "2026-12-received-per-receiver")
    config.add_dashboard_figure("failing_rules", "archive_repo.reports.dashboard.failing_figure",
                                order=20)
    config.add_nav("Thống kê, báo cáo", "/reports", roles=("archivist", "admin"), order=55)
    # the printable outgoing register (sổ văn bản đi) of this year
    config.add_nav("Sổ văn bản đi", "/{agency}/book?kind=outgoing", roles=("clerk",), order=27)
