"""Deposit to the agency archive: deadlines and the 30-day reminder on an
injected day, keep-back, the checks before hand-over (a changed file is
caught), the deposit list and hand-over record, accept (frozen: an edit is
409, a change only as a new version) and return with a reason."""
import io
import os
from datetime import date, timedelta

from lxml import etree
from pdfminer.high_level import extract_text

from tests.conftest import H38

from .conftest import CLERK, call, get, open_dossier, path_of, post


def closed_dossier(renv, records=1, **fields):
    dossier = open_dossier(renv, **fields).json
    url = path_of(dossier["url"])
    for _ in range(records):
        post(renv, url + "/records", {"record": renv.deposit().json["url"]})
    return post(renv, url + "/close").json


def test_deadlines_and_reminder(renv):
    dossier = closed_dossier(renv)
    closed_on = date.fromisoformat(dossier["closed_at"][:10])
    due = closed_on.replace(year=closed_on.year + 1)
    assert dossier["deposit"]["due_on"] == due.isoformat()
    assert dossier["deposit"]["remind_on"] == (due - timedelta(days=30)).isoformat()
    short = closed_dossier(renv, retention_code="07", retention_years=3)
    assert short["deposit"]["status"] == "not_required"
    built = closed_dossier(renv, capital_construction=True, settled_on="2026-06-15")
    assert built["deposit"]["due_on"] == "2026-09-15"

    def listed(on, status):
        found = get(renv, "/%s/dossiers/deadlines?on=%s" % (H38, on)).json[status]
        return [d["url"] for d in found]
    before = (due - timedelta(days=31)).isoformat()
    first_day = (due - timedelta(days=30)).isoformat()
    assert dossier["url"] in listed(before, "due")
    assert dossier["url"] not in listed(before, "reminder")
    assert dossier["url"] in listed(first_day, "reminder")
    assert dossier["url"] in listed((due + timedelta(days=1)).isoformat(), "overdue")
    assert built["url"] in listed("2026-09-16", "overdue")

    post(renv, "/%s/dossiers/remind?on=%s" % (H38, first_day), status=403)   # clerk
    reminded = post(renv, "/%s/dossiers/remind?on=%s" % (H38, first_day), who="archivist")
    assert dossier["url"] in [d["url"] for d in reminded.json["reminded"]]
    again = post(renv, "/%s/dossiers/remind?on=%s" % (H38, first_day), who="archivist")
    assert dossier["url"] not in [d["url"] for d in again.json["reminded"]]
    shown = get(renv, path_of(dossier["url"])).json
    assert shown["deposit"]["reminded_at"] and "deposit_reminder" in [
        h["action"] for h in shown["history"]]

    url = path_of(dossier["url"]) + "/keep-back"
    approval = {"approved_by": "Chủ tịch UBND tỉnh", "decision": "25/UBND-VP",
                "reason": "Còn phục vụ giải quyết công việc"}
    assert post(renv, url, dict(approval, years=3), status=400).json["error"]["code"] \
        == "keep_back_too_long"
    post(renv, url, {"years": 1}, status=400)
    kept = post(renv, url, dict(approval, years=2)).json
    assert kept["deposit"]["due_on"] == due.replace(year=due.year + 2).isoformat()
    post(renv, url, dict(approval, years=1), status=400)


def test_deposit_accept_and_return(renv):
    one = closed_dossier(renv, records=2, title="Hồ sơ nộp lưu một")
    two = closed_dossier(renv, title="Hồ sơ nộp lưu hai")
    still_open = open_dossier(renv).json
    wizard = renv.testapp.get("/%s/deposits/" % H38, headers=renv.auth(CLERK)).text
    assert "Hồ sơ nộp lưu một" in wizard and "Chưa đến hạn" in wizard
    body = {"dossiers": [one["url"], still_open["url"]], "handed_by": "Nguyễn Thị C, văn thư"}
    refused = post(renv, "/%s/deposits/" % H38, body, status=422).json["error"]
    assert refused["code"] == "deposit_incomplete"
    assert refused["details"][0]["problem"] == "not_closed"

    assert post(renv, "/%s/deposits/check" % H38, {"dossiers": [one["url"]]}).json["ready"]
    answer = post(renv, "/%s/deposits/" % H38, dict(body, dossiers=[one["url"]],
                                                    archive="Lưu trữ cơ quan UBND tỉnh"),
                  status=201)
    deposit = answer.json
    durl = path_of(answer.headers["Location"])
    assert deposit["totals"] == {"dossiers": 1, "files": 2, "pages": 2}
    assert get(renv, path_of(one["url"])).json["state"] == "submitted"
    assert call(renv, "PATCH", path_of(one["url"]), {"keywords": ["x"]},
                status=409).json["error"]["code"] == "dossier_frozen"

    post(renv, durl + "/accept", {"received_by": "Lê Văn D"}, status=403)   # a clerk
    post(renv, durl + "/accept", {}, who="archivist", status=400)
    accepted = post(renv, durl + "/accept", {"received_by": "Lê Văn D, lưu trữ viên"},
                    who="archivist").json
    assert accepted["state"] == "accepted"
    post(renv, durl + "/return", {"received_by": "x", "reason": "y"}, who="archivist",
         status=409)
    frozen = path_of(one["url"])
    assert get(renv, frozen).json["state"] == "deposited"
    assert call(renv, "PATCH", frozen, {"keywords": ["x"]}, status=409).json["error"]["code"] \
        == "dossier_frozen"
    extra = renv.deposit().json
    assert post(renv, frozen + "/records", {"record": extra["url"]},
                status=409).json["error"]["code"] == "dossier_frozen"
    versioned = call(renv, "PATCH", frozen, {"keywords": ["nộp lưu"],
                                             "reason": "Bổ sung từ khóa theo yêu cầu"},
                     who="archivist").json
    assert versioned["version"] == 2 and versioned["keywords"] == ["nộp lưu"]
    assert versioned["versions"][0]["fields"]["keywords"] == []
    assert versioned["state"] == "deposited"
    done = [h["action"] for h in versioned["history"] if h["action"] != "write"]
    assert done[-3:] == ["submit_dossier", "accept_dossier", "update_dossier"]
    assert "refused" in [h["outcome"] for h in versioned["history"]]    # the 409s

    page = renv.testapp.get(durl, headers=renv.auth(CLERK)).text
    assert "Đã tiếp nhận" in page and "Lê Văn D" in page and "Biên bản giao nhận" in page
    listing = renv.testapp.get(durl + "/list.pdf", headers=renv.auth(CLERK))
    text = extract_text(io.BytesIO(listing.body))
    assert "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" in text and "Hồ sơ nộp lưu một" in text
    handover = extract_text(io.BytesIO(renv.testapp.get(durl + "/handover.pdf",
                                                        headers=renv.auth(CLERK)).body))
    for expected in ("BIÊN BẢN", "giao nhận tài liệu", "Nguyễn Thị C", "Lê Văn D",
                     "1 hồ sơ, 2 tệp"):
        assert expected in handover, expected
    xml = etree.fromstring(renv.testapp.get(durl + "/handover.xml",
                                            headers=renv.auth(CLERK)).body)
    assert xml.tag == "BienBanGiaoNhan" and xml.findtext("TrangThai") == "accepted"
    assert len(xml.findall("HoSo/VanBan")) == 2
    assert all(len(v.get("sha256")) == 64 for v in xml.iter("VanBan"))
    listed = etree.fromstring(renv.testapp.get(durl + "/list.xml",
                                               headers=renv.auth(CLERK)).body)
    assert listed.find("HoSo").get("maHoSo") == one["file_code"]

    second = post(renv, "/%s/deposits/" % H38, {"dossiers": [two["url"]],
                                                 "handed_by": "Nguyễn Thị C"}, status=201)
    surl = path_of(second.headers["Location"])
    post(renv, surl + "/return", {"received_by": "Lê Văn D"}, who="archivist", status=400)
    returned = post(renv, surl + "/return", {"received_by": "Lê Văn D",
                                             "reason": "Thiếu văn bản kết thúc"},
                    who="archivist").json
    assert returned["state"] == "returned" and returned["return_reason"] == \
        "Thiếu văn bản kết thúc"
    back = get(renv, path_of(two["url"])).json
    assert back["state"] == "closed" and back["steps"][-1]["note"] == "Thiếu văn bản kết thúc"


def test_changed_file_is_caught(renv):
    dossier = closed_dossier(renv)
    conn = renv.conn()
    try:
        agency = renv.root(conn).agencies[H38]
        record = agency["dossiers"][str(dossier["key"])].members[0]
        path = record.current.blob.committed()
    finally:
        conn.close()
    os.chmod(path, 0o644)
    with open(path, "r+b") as f:
        f.seek(20)
        f.write(b"XXXX")
    refused = post(renv, "/%s/deposits/" % H38, {"dossiers": [dossier["url"]],
                                                  "handed_by": "Nguyễn Thị C"},
                   status=422).json["error"]
    assert [d["problem"] for d in refused["details"]] == ["hash"]
    checked = post(renv, "/%s/deposits/check" % H38, {"dossiers": [dossier["url"]]}).json
    assert not checked["ready"] and checked["problems"][0]["problem"] == "hash"
    assert get(renv, path_of(dossier["url"])).json["state"] == "closed"
