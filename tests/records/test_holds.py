"""Holds freeze records and dossiers: every destructive path refuses
(409 ``held``), whichever concern owns it; lifting is audited."""
from tests.conftest import H38, STTTT
from tests.workflow.conftest import add_version, recall

from .conftest import CLERK, call, get, open_dossier, path_of, post


def test_hold_blocks_then_lifts(renv):
    record = renv.deposit().json
    dossier = open_dossier(renv).json
    durl = path_of(dossier["url"])
    post(renv, "/%s/holds/" % H38, {"scope": [record["url"]], "reason": "Thanh tra"},
         status=403)                                        # a clerk may not
    assert post(renv, "/%s/holds/" % H38, {"scope": ["/%s/2026/999" % H38],
                                           "reason": "Thanh tra"}, who="archivist",
                status=400).json["error"]["code"] == "invalid_scope"
    foreign = renv.deposit(agency=STTTT, meta={"receivers": []}).json
    post(renv, "/%s/holds/" % H38, {"scope": [foreign["url"]], "reason": "Thanh tra"},
         who="archivist", status=400)
    answer = post(renv, "/%s/holds/" % H38,
                  {"scope": [record["url"], dossier["url"]], "reason": "Phục vụ thanh tra",
                   "reference": "Công văn 12/TTr"}, who="archivist", status=201)
    hold = answer.json
    assert hold["active"] and hold["scope"] == [path_of(record["url"]), durl]

    assert recall(renv, record, status=409).json["error"]["code"] == "held"
    assert add_version(renv, record, status=409).json["error"]["code"] == "held"
    assert get(renv, path_of(record["url"])).json["recall"] is None
    assert len(get(renv, path_of(record["url"])).json["versions"]) == 1
    assert call(renv, "PATCH", durl, {"keywords": ["x"]}, status=409).json["error"]["code"] \
        == "held"
    other = renv.deposit().json
    assert post(renv, durl + "/records", {"record": other["url"]},
                status=409).json["error"]["code"] == "held"
    assert get(renv, durl).json["holds"][0]["reference"] == "Công văn 12/TTr"

    hurl = path_of(answer.headers["Location"])
    post(renv, hurl + "/lift", {}, who="archivist", status=400)
    lifted = post(renv, hurl + "/lift", {"reason": "Kết thúc thanh tra"}, who="archivist").json
    assert not lifted["active"] and lifted["lifted"]["reason"] == "Kết thúc thanh tra"
    post(renv, hurl + "/lift", {"reason": "lần nữa"}, who="archivist", status=409)
    post(renv, durl + "/records", {"record": other["url"]})
    assert get(renv, durl).json["holds"] == []
    recall(renv, record)
    conn = renv.conn()
    try:
        from archive_repo.audit import get_log, AUDIT_DB
        log = get_log(conn.get_connection(AUDIT_DB))
        actions = [e["action"] for e in log.for_target(hurl)]
        assert actions == ["place_hold", "lift_hold"]
    finally:
        conn.close()
    page = renv.testapp.get("/%s/holds/?all=1" % H38, headers=renv.auth(CLERK))
    assert "Phục vụ thanh tra" in page.text
