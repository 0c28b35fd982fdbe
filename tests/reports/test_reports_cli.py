"""``archive-repo report``: the seeded two months give exactly the known
figures in JSON, CSV and XLSX; a closed period re-run gives the same."""
import csv
import io
import json

import pytest

from tests.conftest import H38, STTTT
from tests.support.cli import cli

OCTOBER = {
    "out_total": 3, "out_born_digital": 2, "out_digitized": 1,
    "out_personal_signature": 2, "out_organisation_signature": 2,
    "out_equivalent_to_paper": 1, "out_reference_only": 2,
    "out_timed": 2, "out_sent_in_time": 1, "out_sent_late": 1,
    "out_urgent": 0, "out_urgent_at_once": 0,
    "deliveries_sent": 4, "deliveries_decided": 3, "deliveries_accepted": 2,
    "deliveries_refused": 1, "deliveries_waiting": 1,
    "acceptance_median_hours": 7.0, "acceptance_p90_hours": 10.0,
    "recalls": 0, "recall_acknowledgements": 0, "incoming_registered": 2,
    "deposit_refusals": 0, "deposit_refusals_state_secret": 0,
    "dossiers_closed": 1, "dossiers_deposited": 0, "dossiers_overdue": 1,
}
NOVEMBER = {
    "out_total": 2, "out_born_digital": 2, "out_digitized": 0,
    "out_equivalent_to_paper": 2, "out_reference_only": 0,
    "out_timed": 2, "out_sent_in_time": 2, "out_sent_late": 0,
    "out_urgent": 1, "out_urgent_at_once": 1,
    "deliveries_sent": 3, "deliveries_accepted": 3, "deliveries_refused": 0,
    "deliveries_waiting": 0, "acceptance_median_hours": 2.0,
    "acceptance_p90_hours": 335.0, "recalls": 1, "recall_acknowledgements": 1,
    "incoming_registered": 3, "dossiers_closed": 0, "dossiers_overdue": 1,
}
STTTT_NOVEMBER = {"out_total": 1, "out_urgent": 1, "deliveries_sent": 1,
                  "deliveries_accepted": 1, "incoming_registered": 1, "recalls": 0}


def report(seeded, tmp_path, period, fmt="json", *scope):
    out = tmp_path / ("report-%s.%s" % (period, fmt))
    ran = cli(seeded.ini, "report", "--period", period, "--format", fmt, "--out", out,
              *scope)
    return out, ran


def subset(figures, expected):
    return {k: figures[k] for k in expected}


@pytest.mark.parametrize("period, expected", [("2026-10", OCTOBER), ("2026-11", NOVEMBER)])
def test_json_gives_the_known_figures(seeded, tmp_path, period, expected):
    out, ran = report(seeded, tmp_path, period)
    data = json.loads(out.read_text("utf-8"))
    assert data["period"] == period and data["scope"] == "province"
    assert subset(data["indicators"], expected) == expected
    assert data["percentages"]["out_equivalent_to_paper"]["denominator"] == expected["out_total"]
    assert "Lập báo cáo" in ran.stderr and "/BC-KLT" in ran.stdout


def test_october_tables(seeded, tmp_path):
    data = json.loads(report(seeded, tmp_path, "2026-10")[0].read_text("utf-8"))
    tables = data["tables"]
    assert tables["per_month_agency"] == [{"month": "2026-10", "agency": H38,
                                           "agency_name": "Ủy ban nhân dân tỉnh Lào Cai",
                                           "documents": 3}]
    failing = {(r["article"], r["code"]): r["documents"] for r in tables["failing_rules"]}
    assert failing[("6.1b", "sent_in_time")] == 1        # B, late
    assert failing[("4.1", "has_signature")] == 1         # C, unsigned
    assert tables["refusal_reasons"][0]["reason"] == "not_competent"
    assert tables["refusal_reasons"][0]["deliveries"] == 1
    hours = {r["label"]: r["deliveries"] for r in tables["acceptance_hours"]}
    assert hours == {"≤ 1 giờ": 0, "1–4 giờ": 1, "4–8 giờ": 0, "8–24 giờ": 1,
                     "1–2 ngày": 0, "2–5 ngày": 0, "trên 5 ngày": 0}
    shares = data["percentages"]
    assert shares["out_sent_late"] == {"of": "out_timed", "numerator": 1, "denominator": 2,
                                       "percent": 50.0}


def test_one_agency_and_its_subtree(seeded, tmp_path):
    out, _ = report(seeded, tmp_path, "2026-11", "json", "--agency", STTTT)
    data = json.loads(out.read_text("utf-8"))
    assert data["scope"] == STTTT
    assert subset(data["indicators"], STTTT_NOVEMBER) == STTTT_NOVEMBER
    out, _ = report(seeded, tmp_path, "2026-11", "json", "--agency", H38, "--subtree")
    data = json.loads(out.read_text("utf-8"))
    assert data["scope_detail"]["agencies"] == sorted([H38, STTTT])
    assert data["indicators"]["out_total"] == 2 and data["indicators"]["deliveries_sent"] == 3


def test_csv_gives_the_same_figures(seeded, tmp_path):
    out, _ = report(seeded, tmp_path, "2026-10", "csv")
    text = out.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[2][:3] == ["Mã chỉ tiêu", "Chỉ tiêu", "Giá trị"]
    values = {r[0]: r[2] for r in rows[3:] if len(r) == 6}
    assert {k: float(values[k]) for k in OCTOBER} == {k: float(v) for k, v in OCTOBER.items()}
    assert ["Điều khoản", "Mã quy định", "Số văn bản"] in rows


def test_xlsx_read_back(seeded, tmp_path):
    from openpyxl import load_workbook
    out, _ = report(seeded, tmp_path, "2026-11", "xlsx")
    book = load_workbook(out)
    assert book.sheetnames[0] == "Chỉ tiêu" and "Định nghĩa" in book.sheetnames
    sheet = book["Chỉ tiêu"]
    assert [c.value for c in sheet[3]][:3] == ["Mã chỉ tiêu", "Chỉ tiêu", "Giá trị"]
    values = {row[0].value: row[2].value for row in sheet.iter_rows(min_row=4)}
    assert subset(values, NOVEMBER) == NOVEMBER
    assert isinstance(values["out_total"], int)            # a number cell, not text
    assert sheet.column_dimensions["B"].width >= 40


def test_state_secret_refusal_is_counted_only_as_a_refusal(seeded, tmp_path):
    from archive_repo import timeutil
    month = timeutil.now().strftime("%Y-%m")
    for flushed in (False, True):
        if flushed:         # the entries moved from the audit tail into its BTrees
            flush_audit(seeded)
        data = json.loads(report(seeded, tmp_path, month)[0].read_text("utf-8"))
        figures = data["indicators"]
        assert figures["deposit_refusals_state_secret"] == 1, flushed
        assert figures["deposit_refusals"] == 1
        assert figures["out_total"] == 0
        assert data["tables"]["deposit_refusal_causes"] == [
            {"cause": "state_secret", "label": "Văn bản mật (Điều 1, khoản 2)", "deposits": 1}]


def flush_audit(seeded):
    from pyramid.paster import bootstrap
    from archive_repo import audit, db
    from archive_repo.scripts.main import CONSOLE
    with bootstrap(seeded.ini, options=CONSOLE) as env:
        registry = env["registry"]
        with db.transaction(registry, audit.AUDIT_DB) as conn:
            log = audit.get_log(conn)
            assert log.tail_rows()
            log.flush()
    db.close_all(registry)


def test_closed_period_rerun_is_identical_and_registered_once(seeded, tmp_path):
    first, ran1 = report(seeded, tmp_path / "..", "2026-10")
    again, ran2 = report(seeded, tmp_path, "2026-10")
    assert first.read_bytes() == again.read_bytes()
    number = ran1.stdout.split("Báo cáo số ")[1].split(" ")[0]
    assert ran2.stdout.startswith("Báo cáo số %s (phiên bản 1)" % number)


def test_bad_period_is_a_one_line_error(seeded, tmp_path):
    ran = cli(seeded.ini, "report", "--period", "2026-13", "--out", tmp_path / "x",
              check=False)
    assert ran.returncode == 2 and "Kỳ báo cáo không hợp lệ" in ran.stderr


# -- the Decree 30 books ----------------------------------------------------------

def book(seeded, tmp_path, kind, agency, fmt="xlsx"):
    from openpyxl import load_workbook
    out = tmp_path / ("%s.%s" % (kind, fmt))
    cli(seeded.ini, "book", "--agency", agency, "--year", 2026, "--kind", kind,
        "--format", fmt, "--out", out)
    if fmt == "pdf":
        return out
    sheet = load_workbook(out).active
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def test_outgoing_register(seeded, tmp_path):
    rows = book(seeded, tmp_path, "outgoing", H38)
    assert len(rows[0]) == 10 and rows[0][0] == "Số, ký hiệu văn bản" and \
        rows[0][9] == "Ghi chú"
    lines = rows[1:]
    assert [r[1] for r in lines] == ["05/10/2026", "07/10/2026", "20/10/2026", "12/11/2026"]
    first = lines[0]
    assert first[0] == "1/QĐ-UBND" and first[3] == "Nguyễn Văn An"
    assert first[4] == "Sở Thông tin và Truyền thông; Sở Y tế" and first[6] == 3
    assert first[7] == "05/10/2026"
    assert "tiếp nhận" in first[8] and "Bị từ chối" in first[8]
    assert "Chỉ có giá trị tham khảo" in lines[1][9]
    assert "Đã thu hồi ngày 13/11/2026" in lines[3][9]


def test_incoming_register_and_handling(seeded, tmp_path):
    rows = book(seeded, tmp_path, "incoming", STTTT)
    assert rows[0][:2] == ["Ngày đến", "Số đến"] and len(rows[0]) == 10
    assert [(r[0], r[1]) for r in rows[1:]] == [("05/10/2026", 1), ("12/10/2026", 2),
                                                ("12/11/2026", 3)]
    assert rows[1][2] == "Ủy ban nhân dân tỉnh Lào Cai" and rows[1][3] == "1/QĐ-UBND"
    assert "Đã hủy ngày 14/11/2026" in rows[3][9] and not rows[3][3]   # particulars destroyed
    from tests.conftest import SYT
    handling = book(seeded, tmp_path, "handling", SYT)[1:]
    assert [r[7] for r in handling] == ["Đúng hạn", "Quá hạn", "Bên gửi đã thu hồi"]
    assert handling[0][8].startswith("Không thuộc thẩm quyền")
    assert handling[1][6] == 10          # 20/10 → 03/11: ten working days


def test_books_print_as_pdf(seeded, tmp_path):
    import subprocess
    out = book(seeded, tmp_path, "outgoing", H38, "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text and "Năm 2026" in text and "1/QĐ-UBND" in text


def test_the_evolve_step_rebuilds_the_same_ledger(seeded):
    """For records stored before the ledger: ``facts.build`` (the evolve
    step) gives the rows the events kept (here in a transaction aborted)."""
    from pyramid.paster import bootstrap
    from archive_repo import db
    from archive_repo.reports import facts
    from archive_repo.resources import get_root
    from archive_repo.scripts.main import CONSOLE
    with bootstrap(seeded.ini, options=CONSOLE) as env:
        registry = env["registry"]
        with db.reading(registry) as conn:
            kept = dict(facts.ledger_in(conn).items())
            received = facts.ledger_in(conn).received_keys()
            del conn.root()[facts.FACTS_KEY]
            facts.build(get_root(conn))
            rebuilt = facts.ledger_in(conn)
            assert dict(rebuilt.items()) == kept and len(kept) == 5
            assert rebuilt.received_keys() == received and len(received) == 5
    db.close_all(registry)


def test_the_flat_received_tree_becomes_one_tree_per_receiver(seeded):
    """Ledgers written before: every receiver's keys in one tree, whose
    shared buckets eight receivers accepting at once fought over."""
    from BTrees.OOBTree import OOBTree
    from pyramid.paster import bootstrap
    from archive_repo import db
    from archive_repo.reports import facts
    from archive_repo.resources import get_root
    from archive_repo.scripts.main import CONSOLE
    with bootstrap(seeded.ini, options=CONSOLE) as env:
        registry = env["registry"]
        with db.reading(registry) as conn:
            ledger = facts.ledger_in(conn)
            kept = ledger.received_keys()
            by_receiver = {key[:2]: list(ledger.received_by(*key[:2])) for key in kept}
            ledger.received = OOBTree({key: True for key in kept})     # the old shape
            facts.received_per_receiver(get_root(conn))
            assert ledger.received_keys() == kept and len(kept) == 5
            assert {k: list(ledger.received_by(*k)) for k in by_receiver} == by_receiver
            assert all(len(k) == 2 for k in ledger.received.keys())
            facts.received_per_receiver(get_root(conn))                 # once is enough
            assert ledger.received_keys() == kept
    db.close_all(registry)
