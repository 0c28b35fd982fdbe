"""A year's file plan: headings, entries, approval recorded, totals, the
PDF and XLSX in the App. V layout, dossiers opened from it."""
import io

from openpyxl import load_workbook
from pdfminer.high_level import extract_text

from tests.conftest import H38

from .conftest import CLERK, get, path_of, post

PLAN = {
    "year": 2026,
    "headings": [{"code": "I", "title": "Tổ chức cán bộ",
                  "sections": [{"code": "1", "title": "Tuyển dụng"}]},
                 {"code": "II", "title": "Văn phòng"}],
    "entries": [
        {"heading": "I.1", "number": "01.TCCB", "title": "Hồ sơ tuyển dụng công chức năm 2026",
         "schedule_item": "TCCB.02", "owner": "Phòng Tổ chức cán bộ"},
        {"heading": "I", "number": "02.TCCB", "title": "Quy chế tổ chức cán bộ",
         "retention_code": "01", "owner": "Phòng Tổ chức cán bộ"},
        {"heading": "II", "number": "01.VP", "title": "Hồ sơ hội nghị chuyên đề",
         "retention_code": "06", "owner": "Văn phòng"},
    ],
}


def test_file_plan(renv):
    answer = post(renv, "/%s/fileplans/" % H38, PLAN, status=201)
    plan = answer.json
    url = path_of(answer.headers["Location"])
    assert plan["state"] == "draft" and plan["totals"] == {"total": 3, "permanent": 1,
                                                          "limited": 2}
    assert plan["entries"][0]["retention"]["code"] == "03"
    post(renv, "/%s/fileplans/" % H38, PLAN, status=409)
    refused = post(renv, url + "/dossiers", {"number": "01.TCCB"}, status=409).json
    assert refused["error"]["code"] == "file_plan_not_approved"
    assert post(renv, url + "/approve", {"approved_by": "Trịnh Văn B"},
                status=400).json["error"]["code"] == "approval_incomplete"
    approved = post(renv, url + "/approve", {"approved_by": "Trịnh Văn B",
                                             "decision": "15/QĐ-UBND",
                                             "approved_on": "2026-01-05"}).json
    assert approved["state"] == "approved"
    assert approved["approval"]["decision"] == "15/QĐ-UBND"
    assert [h["action"] for h in approved["history"]] == ["make_file_plan",
                                                          "approve_file_plan"]

    dossier = post(renv, url + "/dossiers", {"number": "01.TCCB"}, status=201).json
    assert dossier["file_code"] == "%s.2026.01.TCCB" % H38
    assert dossier["retention_code"] == "03" and dossier["owner"] == "Phòng Tổ chức cán bộ"
    assert dossier["heading"] == "1. Tuyển dụng"
    post(renv, url + "/dossiers", {"number": "01.TCCB"}, status=409)
    post(renv, url + "/dossiers", {"number": "09.XX"}, status=400)
    assert get(renv, url).json["entries"][0]["dossier"] == dossier["url"]

    pdf = renv.testapp.get(url + "/plan.pdf", headers=renv.auth(CLERK))
    assert pdf.content_type == "application/pdf"
    text = extract_text(io.BytesIO(pdf.body))
    for expected in ("DANH MỤC HỒ SƠ", "I. Tổ chức cán bộ", "1. Tuyển dụng", "01.TCCB",
                     "15/QĐ-UBND", "1 hồ sơ bảo quản vĩnh viễn"):
        assert expected in text, expected
    xlsx = renv.testapp.get(url + "/plan.xlsx", headers=renv.auth(CLERK))
    sheet = load_workbook(io.BytesIO(xlsx.body)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[2][:3] == ("Số và ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ",
                             "Thời hạn bảo quản")
    assert ("01.TCCB", "Hồ sơ tuyển dụng công chức năm 2026", "50 năm",
            "Phòng Tổ chức cán bộ", None) in values
    assert values.index(("01.VP", "Hồ sơ hội nghị chuyên đề", "10 năm", "Văn phòng", None)) \
        > values.index((None, "II. Văn phòng", None, None, None))
    page = renv.testapp.get(url, headers=renv.auth(CLERK))
    assert "Danh mục hồ sơ năm 2026" in page.text and "15/QĐ-UBND" in page.text


def test_bad_plans(renv):
    bad = dict(PLAN, year=2027, headings=[{"code": "1", "title": "x"}])
    assert post(renv, "/%s/fileplans/" % H38, bad, status=400).json["error"]["code"] \
        == "invalid_heading"
    bad = dict(PLAN, year=2027, entries=[dict(PLAN["entries"][0], heading="III")])
    assert post(renv, "/%s/fileplans/" % H38, bad, status=400).json["error"]["code"] \
        == "invalid_plan_entry"
    assert post(renv, "/%s/fileplans/" % H38, dict(PLAN, year="abc"),
                status=400).json["error"]["code"] == "invalid_file_plan"
