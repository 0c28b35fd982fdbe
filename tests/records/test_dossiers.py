"""The contract's dossier API over the real stack: open, add records (one
record in two dossiers, stored once), close (totals and the document list
in time order), and the Circular 05/2025 field checks."""
from tests.conftest import H38, STTTT

from .conftest import CLERK, get, open_dossier, path_of, post, call


def test_open_add_close(renv):
    first = renv.deposit(meta={"issued_on": "2026-03-05", "page_count": 3,
                               "subject": "Kế hoạch tuyển dụng"}).json
    second = renv.deposit(meta={"issued_on": "2026-01-20", "page_count": 2, "doctype": "TB",
                                "notation": "TB-UBND",
                                "subject": "Thông báo thi tuyển"}).json
    answer = open_dossier(renv, title="Hồ sơ tuyển dụng công chức năm 2026",
                          number="01.TCCB", retention_code="03", keywords=["tuyển dụng"])
    dossier = answer.json
    assert answer.headers["Location"] == dossier["url"]
    assert dossier["state"] == "open" and dossier["documents"] == []
    assert dossier["file_code"] == "%s.2026.01.TCCB" % H38
    assert dossier["retention"] == {"code": "03", "years": 50, "label": "50 năm",
                                    "permanent": False}
    assert dossier["access_mode"] == "01" and dossier["confidence_level"] == "01"
    other = open_dossier(renv, title="Hồ sơ kế hoạch năm", retention_code="01").json
    assert other["number"] == "01" and other["retention"]["permanent"]

    url = path_of(dossier["url"])
    for record in (first, second):
        post(renv, url + "/records", {"record": record["url"]})
    post(renv, url + "/records", {"record": first["url"]})      # again: no second copy
    post(renv, path_of(other["url"]) + "/records", {"record": first["url"]})
    closed = post(renv, url + "/close").json
    assert closed["state"] == "closed"
    assert closed["document_count"] == 2 and closed["page_count"] == 5
    docs = closed["documents"]
    assert [d["date"] for d in docs] == ["2026-01-20", "2026-03-05"]
    assert [d["no"] for d in docs] == [1, 2] and [d["page"] for d in docs] == [1, 3]
    assert docs[0]["number_notation"] == "%d/TB-UBND" % second["number"]
    assert docs[0]["type_and_summary"] == "Thông báo: Thông báo thi tuyển"
    assert docs[1]["author"] == "Ủy ban nhân dân tỉnh Lào Cai"
    assert set(docs[0]) >= {"no", "number_notation", "date", "type_and_summary", "author",
                            "page", "notes"}
    assert closed["start_date"] == "2026-01-20" and closed["end_date"] == "2026-03-05"
    actions = [h["action"] for h in closed["history"]]
    assert actions == ["open_dossier", "add_to_dossier", "add_to_dossier", "close_dossier"]

    # stored once: both dossiers hold the very same Record object
    conn = renv.conn()
    try:
        agency = renv.root(conn).agencies[H38]
        a, b = (agency["dossiers"][str(d["key"])] for d in (dossier, other))
        shared = [m for m in a.members if m.path == path_of(first["url"])]
        assert shared and shared[0] is b.members[0]
        assert agency["dossiers"].by_record[path_of(first["url"])] == (a.key, b.key)
    finally:
        conn.close()

    refused = post(renv, url + "/records", {"record": second["url"]}, status=409).json
    assert refused["error"]["code"] == "dossier_state"
    assert post(renv, url + "/close", status=409).json["error"]["code"] == "dossier_state"
    assert get(renv, url).json["state"] == "closed"
    page = renv.testapp.get(url, headers=renv.auth(CLERK))
    assert "Mục lục văn bản" in page.text and "Thông báo thi tuyển" in page.text
    assert "close_dossier" in page.text and "Chưa đến hạn nộp lưu" in page.text

    # the dossier's export: the document list (PDF) and its fields (XML), in time order
    import io
    from lxml import etree
    from pdfminer.high_level import extract_text
    text = extract_text(io.BytesIO(renv.testapp.get(url + "/documents.pdf",
                                                    headers=renv.auth(CLERK)).body))
    assert "MỤC LỤC VĂN BẢN" in text and text.index("Thông báo thi tuyển") \
        < text.index("Kế hoạch tuyển dụng")
    xml = etree.fromstring(renv.testapp.get(url + "/dossier.xml",
                                            headers=renv.auth(CLERK)).body)
    assert xml.get("fileCode") == dossier["file_code"]
    assert [d.get("sha256") for d in xml.iter("Document")] == [second["sha256"],
                                                               first["sha256"]]


def test_field_checks(renv):
    error = open_dossier(renv, status=400, title="", retention_code="09", access_mode="04",
                         confidence_level="02", colour="red").json["error"]
    fields = {d.get("field") for d in error["details"]}
    assert {"title", "access_mode", "paper_file_code", "colour"} <= fields
    assert error["code"] == "invalid_dossier" and "Tiêu đề" in error["message"]
    error = open_dossier(renv, status=400, retention_code="09").json["error"]
    assert error["code"] == "invalid_retention_code"
    assert open_dossier(renv, status=400, retention_code="07").json["error"]["code"] \
        == "retention_years_required"
    assert open_dossier(renv, retention_code="07", retention_years=15).json["retention"] \
        == {"code": "07", "years": 15, "label": "15 năm", "permanent": False}
    digitised = open_dossier(renv, confidence_level="02", paper_file_code="H38.2026.05").json
    assert digitised["paper_file_code"] == "H38.2026.05"
    by_schedule = open_dossier(renv, retention_code=None, schedule_item="TCKT.02").json
    assert by_schedule["retention"]["code"] == "05"
    assert open_dossier(renv, status=400, retention_code="01",
                        schedule_item="TCKT.02").json["error"]["code"] == "retention_mismatch"
    open_dossier(renv, number="02.VP")
    assert open_dossier(renv, number="02.VP", status=409).json["error"]["code"] \
        == "dossier_number_taken"


def test_who_may(renv):
    open_dossier(renv, who=("clerk", STTTT), status=403)
    open_dossier(renv, who="archivist")
    renv.testapp.post_json("/%s/dossiers/" % H38, {"title": "x", "retention_code": "01"},
                           status=401)
    dossier = open_dossier(renv).json
    secret = renv.deposit(agency=STTTT, meta={"receivers": []}).json
    assert post(renv, path_of(dossier["url"]) + "/records", {"record": secret["url"]},
                status=403).json["error"]["code"] == "forbidden"
    assert post(renv, path_of(dossier["url"]) + "/records", {"record": "/nowhere/1/2"},
                status=400).json["error"]["code"] == "unknown_record"


def test_update_fields(renv):
    dossier = open_dossier(renv).json
    url = path_of(dossier["url"])
    changed = call(renv, "PATCH", url, {"keywords": "a, b", "physical_state": "02"}).json
    assert changed["keywords"] == ["a", "b"] and changed["physical_state"] == "02"
    assert changed["title"] == dossier["title"]
    assert call(renv, "PATCH", url, {"number": "99"}, status=400).json["error"]["code"] \
        == "field_fixed"
