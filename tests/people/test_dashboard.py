"""The dashboard's figures from other concerns: rules failing most (facts
ledger), overdue deliveries, index lag, last fixity run, last backup — each
with the real value of this app."""
import re
from datetime import timedelta

from archive_repo import db, timeutil
from archive_repo.indexing import worker_of
from archive_repo.preservation.backup import backup
from archive_repo.preservation.fixity import run_fixity
from archive_repo.resources import get_root
from archive_repo.workflow import deliveries as dl
from tests.conftest import H38, STTTT
from tests.people.test_people import HTML, add, fresh, sign_in


def dashboard(app):
    page = app.get("/dashboard", headers=HTML).text
    table = page.split('<table class="dashboard">')[1].split("</table>")[0]
    return {m.group(1): m.group(2) for m in re.finditer(
        r'<tr class="figure-(\w+)"><th>[^<]*</th><td>(.*?)</td></tr>', table, re.S)}


def age_deliveries(env, days):
    """Make every delivery sent ``days`` calendar days ago (old data)."""
    with db.transaction(env.registry) as conn:
        for delivery in dl.listing(dl.index_of(get_root(conn).agencies[H38], dl.OUTBOX)):
            delivery.sent_at = delivery.sent_at - timedelta(days=days)


def test_dashboard_shows_failing_rules_overdue_lag_fixity_and_backup(penv, tmp_path):
    add(penv, "minh", roles=("archivist",), agency=None, name="Phạm Văn Minh",
        position="Lưu trữ viên")
    app = fresh(penv)
    sign_in(app, "minh")
    before = dashboard(app)
    assert "Chưa chạy lần nào" in before["fixity"] and "Chưa sao lưu" in before["backup"]
    assert before["overdue"] == "0"

    # unsigned PDFs: each misses the signature rules
    for _ in range(2):
        penv.deposit(meta={"receivers": [STTTT]})
    age_deliveries(penv, 10)
    assert worker_of(penv.registry).wait_idle(60)
    _, summary = run_fixity(penv.registry)
    backup(penv.registry, [str(tmp_path / "sao-luu")], full=True, who="kiểm thử")

    shown = dashboard(app)
    failing = re.findall(r"<li>Điều ([^ ]+) \((\w+)\): (\d+) văn bản</li>", shown["failing_rules"])
    assert failing and int(failing[0][2]) >= 2
    assert int(failing[0][2]) >= max(int(n) for _, _, n in failing)    # most first
    assert int(shown["overdue"]) >= 2
    assert shown["index_lag"].startswith("0 lô thay đổi đang chờ")
    assert summary["checked"] >= 2 and summary["complete"]
    assert "đã kiểm tra %d tệp, tất cả nguyên vẹn" % summary["checked"] in shown["fixity"]
    assert timeutil.now().strftime("%d/%m/%Y") in shown["fixity"]
    assert "bản đầy đủ vào %s" % (tmp_path / "sao-luu") in shown["backup"]


def test_a_figure_that_raises_is_shown_as_unavailable_not_a_500(penv):
    from archive_repo.audit.dashboard import UNAVAILABLE, IDashboardFigures

    def broken(request):
        raise RuntimeError("no figures today")
    figures = penv.registry.getUtility(IDashboardFigures)
    figures.append((99, "broken", broken))
    try:
        app = fresh(penv)
        add(penv, "khanh", roles=("archivist",), agency=None, name="Lê Khánh",
            position="Lưu trữ viên")
        sign_in(app, "khanh")
        shown = dashboard(app)
        assert shown["broken"] == UNAVAILABLE and "fixity" in shown
    finally:
        figures.remove((99, "broken", broken))
