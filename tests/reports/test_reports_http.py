"""``GET /reports`` (JSON, CSV, XLSX, PDF), the statistics page in headless
Chromium, and a correction to a closed period becoming a new version."""
import subprocess

from tests.conftest import H38, STTTT, SYT
from tests.reports.conftest import at, deposit_at
from tests.reports.test_reports_cli import NOVEMBER, OCTOBER, subset
from tests.support.browser import browser_page
from tests.support.pdfs import make_pdf
from tests.support.server import serving

PORT = 7161


def get(web, who="archivist", status=200, **params):
    return web.testapp.get("/reports", params=params, headers=web.auth(who), status=status)


def test_json_api(web):
    res = get(web, period="2026-11", format="json")
    assert res.content_type == "application/json"
    assert subset(res.json["indicators"], NOVEMBER) == NOVEMBER
    assert res.headers["X-Report-Number"].endswith("/BC-KLT")
    by_accept = web.testapp.get("/reports", params={"period": "2026-11"}, headers=dict(
        web.auth("archivist"), Accept="application/json"))
    assert by_accept.json["indicators"] == res.json["indicators"]


def test_csv_download(web):
    res = get(web, period="2026-10", format="csv", agency=H38)
    assert res.content_type == "text/csv"
    assert 'filename="bao-cao-2026-10-000-00-00-H38.csv"' in res.headers["Content-Disposition"]
    assert "out_total,Văn bản điện tử ban hành,3" in res.body.decode("utf-8-sig")


def test_errors_are_the_contracts_json(web):
    bad = get(web, status=400, period="2026-13", format="json").json["error"]
    assert bad["code"] == "invalid_period" and "Kỳ báo cáo" in bad["message"]
    assert get(web, status=400, period="2026-11", format="doc").json["error"]["code"] == \
        "invalid_format"
    assert get(web, status=404, period="2026-11", format="json",
               agency="000.00.99.H38").json["error"]["code"] == "unknown_agency"
    res = web.testapp.get("/reports", params={"period": "2026-11", "format": "json"},
                          headers=dict(web.auth(("clerk", STTTT)), Accept="application/json"),
                          status=403)
    assert res.json["error"]["code"]


def test_pdf_renders_with_its_charts(web, tmp_path):
    res = get(web, period="2026-10", format="pdf")
    assert res.content_type == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(res.body)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2                       # tables, then the charts page
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    images = [line.split() for line in listed if line.split()[2] == "image"]
    assert len(images) == 4                      # per month, share, rules, times
    assert all((int(i[3]), int(i[4])) == (825, 396) for i in images)   # 7.5 x 3.6 in
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "BÁO CÁO" in text and "tháng 10/2026" in text and "Văn bản điện tử ban hành" in text


def test_statistics_page_renders_its_charts_in_chromium(web):
    with serving(web.app, port=PORT) as base, browser_page(web.auth("archivist")) as page:
        response = page.goto(base + "/reports")
        assert response.status == 200
        assert page.locator("img.chart").count() == 0
        page.fill("input[name=period]", "2026-10")
        page.select_option("select[name=agency]", "")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "tháng 10/2026" in page.locator("h2").inner_text()
        charts = page.locator("img.chart")
        assert charts.count() == 4
        for n in range(4):
            width = charts.nth(n).evaluate("img => img.complete && img.naturalWidth")
            assert width > 300
        row = page.locator("#indicators tr", has_text="out_total").inner_text()
        assert "\t3\t" in row and "Văn bản điện tử ban hành" in row


def test_access_statistics_from_the_audit_trail(web):
    from archive_repo import timeutil
    month = timeutil.now().strftime("%Y-%m")
    path = "/%s/2026/%d/document.pdf" % (STTTT, web.keys["D"][2])
    for who in ("archivist", "archivist", ("clerk", H38)):
        web.testapp.get(path, headers=web.auth(who))
    web.testapp.get(path, headers=web.auth(("clerk", SYT)), status=403)   # not a receiver
    record = path[:-len("/document.pdf")]
    # the record's page and its JSON are each a view; a HEAD and a refused read are not
    web.testapp.get(record, headers=dict(web.auth("archivist"), Accept="text/html"))
    seen = web.testapp.get(record, headers=dict(web.auth(("clerk", H38)),
                                                Accept="application/json")).json
    web.testapp.head(record, headers=web.auth("archivist"))
    web.testapp.get(record, headers=web.auth(("clerk", SYT)), status=403)
    # a visit is counted, not a step of the record's life
    assert "view_record" not in [h["action"] for h in seen["history"]]
    stats = get(web, period=month, kind="access").json
    assert stats["totals"]["downloads"] == 3            # the refused read is not one
    assert stats["totals"]["views"] == 2
    assert stats["by_document"] == [{"document": record, "views": 2, "downloads": 3}]
    assert stats["by_agency"] == [{"agency": STTTT, "views": 2, "downloads": 3}]
    assert [(m["views"], m["downloads"]) for m in stats["by_month"]] == [(2, 3)]
    other = get(web, period=month, kind="access", agency=H38).json
    assert other["totals"]["downloads"] == 0 and other["by_document"] == []


def test_correction_to_a_closed_period_is_a_new_version(web):
    first = get(web, period="2026-10", format="json")
    number = first.headers["X-Report-Number"]
    assert get(web, period="2026-10", format="json").headers["X-Report-Number"] == number
    # a document issued in October deposited only now (a late registration)
    deposit_at(web.registry, H38, make_pdf(), at(12, 1, 10), issued_on="2026-10-30",
               receivers=[])
    second = get(web, period="2026-10", format="json")
    assert second.json["indicators"]["out_total"] == OCTOBER["out_total"] + 1
    assert second.headers["X-Report-Number"] != number
    from archive_repo import db
    from archive_repo.reports.register import register_in
    with db.reading(web.registry) as conn:
        versions = register_in(conn).versions(("province", "2026-10"))
        entry = versions[-1].as_json()
    assert [v.version for v in versions] == [1, 2]
    assert entry["correction"] is True
    assert {"code": "out_total", "before": 3, "after": 4} in entry["changes"]
    assert {"code": "out_reference_only", "before": 2, "after": 3} in entry["changes"]
    assert all(c["code"] != "deliveries_sent" for c in entry["changes"])
    assert len(entry["outputs"]) == 1 and entry["outputs"][0]["format"] == "json"
    listed = [r for r in get(web, period="2026-10", kind="register").json["reports"]
              if r["scope"] == "province"]
    assert [(r["version"], r["notation"]) for r in listed] == [
        (2, second.headers["X-Report-Number"]), (1, number)]
    assert [o["format"] for o in listed[1]["outputs"]] == ["pdf", "json", "json"]  # one figures

