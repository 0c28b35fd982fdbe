"""The archivist's audit view and the operator's page (WebTest)."""
import csv
import io
import shutil

from tests.people.test_people import HTML, add, fresh, sign_in


def test_audit_view_filters_and_exports_csv(penv):
    add(penv, "tuan", roles=("archivist",), agency=None, name="Đỗ Văn Tuấn",
        position="Lưu trữ viên")
    add(penv, "thu", name="Vũ Thị Thu")
    clerk = fresh(penv)
    sign_in(clerk, "thu")
    sign_in(fresh(penv), "thu", "sai-mat-khau")
    penv.deposit()
    app = fresh(penv)
    sign_in(app, "tuan")
    page = app.get("/audit", params={"person": "thu"}, headers=HTML)
    rows = page.text.split('<table class="audit">')[1]
    assert "Vũ Thị Thu, Văn thư" in rows and "Đăng nhập" in rows and "Bị từ chối" in rows
    assert "Nộp lưu" not in rows        # the deposit was a token's, not Thu's
    only = app.get("/audit", params={"action": "deposit"}, headers=HTML).text
    assert "Nộp lưu" in only.split('<table class="audit">')[1]
    assert "Đăng nhập</td>" not in only.split('<table class="audit">')[1]
    assert app.get("/audit", params={"from": "32/13/2026"}, headers=HTML,
                   status=400).status_int == 400
    body = app.get("/audit.csv", params={"person": "thu", "outcome": "refused"}).body
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0][0] == "Thời điểm" and len(table) >= 2
    assert all(row[6] == "Bị từ chối" for row in table[1:])
    # a clerk may not read the trail
    clerk.get("/audit", headers=HTML, status=403)


def test_admin_page_lists_people_tokens_and_warns_on_empty_trust_roots(penv):
    add(penv, "root", roles=("admin",), agency=None, name="Quản Trị Viên", position="Quản trị")
    app = fresh(penv)
    sign_in(app, "root")
    page = app.get("/admin", headers=HTML).text
    assert "Cảnh báo" in page and "đang trống" in page
    assert "Nguyễn Thị Hoa" in page and "Hiệu lực" in page
    trust = penv.settings["archive_repo.trust_roots"]
    shutil.copy(__file__, trust + "/root.pem")      # any file named like a certificate
    assert "Cảnh báo" not in app.get("/admin", headers=HTML).text
    sign_in(clerk := fresh(penv), "hoa")
    clerk.get("/admin", headers=HTML, status=403)


def test_dashboard_counts_this_months_deposits_and_recalls(penv):
    add(penv, "ha", roles=("archivist",), agency=None, name="Lý Thu Hà", position="Lưu trữ viên")
    app = fresh(penv)
    sign_in(app, "ha")

    def figures():
        page = app.get("/dashboard", headers=HTML).text
        cells = page.split('<table class="dashboard">')[1].split("</table>")[0]
        return [c.split("</td>")[0] for c in cells.split("<td>")[1:]]
    before = figures()
    penv.deposit(meta={"receivers": []})
    after = figures()
    assert int(after[0]) == int(before[0]) + 1 and int(after[1]) == int(before[1]) + 1
    assert "/%s (" % after[1] in after[2]


def menu_links(page):
    """``{title: href}`` of the layout's menu."""
    import re
    nav = page.text.split("<nav", 1)[1].split("</nav>", 1)[0]
    return {title.strip(): href for href, title in
            re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def test_menu_lists_reports_and_records_management_by_role(penv):
    add(penv, "minh", roles=("archivist",), agency=None, name="Lê Văn Minh",
        position="Lưu trữ viên")
    add(penv, "phamha", name="Phạm Thị Hà")
    archivist = fresh(penv)
    sign_in(archivist, "minh")
    links = menu_links(archivist.get("/", headers=HTML))
    assert links["Thống kê, báo cáo"].endswith("/reports")
    assert archivist.get(links["Thống kê, báo cáo"], headers=HTML).status_int == 200
    assert "Hồ sơ" not in links          # no agency of his own: no agency screens
    clerk = fresh(penv)
    sign_in(clerk, "phamha")
    from tests.conftest import H38
    links = menu_links(clerk.get("/%s/" % H38, headers=HTML))
    assert "Thống kê, báo cáo" not in links
    for title, name in (("Kế hoạch lập hồ sơ", "fileplans"), ("Hồ sơ", "dossiers"),
                        ("Nộp lưu hồ sơ", "deposits"), ("Tạm giữ, phong tỏa", "holds"),
                        ("Tiêu hủy tài liệu", "disposals")):
        assert links[title].endswith("/%s/%s/" % (H38, name))
        assert clerk.get(links[title], headers=HTML).status_int == 200
    # the printable outgoing register of this year, from the clerk's menu
    from archive_repo import timeutil
    book = clerk.get(links["Sổ văn bản đi"])
    assert book.content_type == "application/pdf" and book.body.startswith(b"%PDF")
    assert "%s-%d.pdf" % (H38.replace(".", "-"), timeutil.now().year) in \
        book.headers["Content-Disposition"]
