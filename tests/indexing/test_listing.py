"""Listings and search hide recalled records unless asked (Art. 7.3, 9.4:
the archive keeps them), and year listings come from the catalog."""
from .conftest import H38, STTTT, paths, search, settle


def _json(env, url, who="archivist", status=200):
    return env.testapp.get(url, headers=dict(env.auth(who), Accept="application/json"),
                           status=status)


def _recall(env, number):
    env.testapp.post_json("/%s/2026/%d/recall" % (H38, number), {"reason": "Sai thẩm quyền."},
                          headers=dict(env.auth(("clerk", H38)), Accept="application/json"))


def _numbers(res):
    return [r["number"] for r in res.json["records"]]


def test_year_listing_hides_recalled_unless_asked(ienv):
    for _ in range(3):
        ienv.deposit()
    _recall(ienv, 2)
    listed = _json(ienv, "/%s/2026" % H38)
    assert _numbers(listed) == [3, 1] and listed.json["total"] == 2
    assert _numbers(_json(ienv, "/%s/2026?recalled=all" % H38)) == [3, 2, 1]
    only = _json(ienv, "/%s/2026?recalled=true" % H38)
    assert _numbers(only) == [2] and only.json["records"][0]["recalled"] is True
    error = _json(ienv, "/%s/2026?recalled=maybe" % H38, status=400).json["error"]
    assert error["code"] == "invalid_parameter" and "recalled" in error["message"]
    html = ienv.testapp.get("/%s/2026" % H38, headers=ienv.auth("archivist")).text
    assert "Gồm cả văn bản đã thu hồi" in html


def test_year_listing_pages_by_the_catalog(ienv):
    for _ in range(5):
        ienv.deposit()
    assert _numbers(_json(ienv, "/%s/2026?size=2&page=2" % H38)) == [3, 2]
    # The catalog answers the listing: a record it does not hold is not
    # listed, though it is still in the tree (check-index reports that).
    conn = ienv.conn()
    try:
        from archive_repo.indexing.catalog import get_catalog
        get_catalog(ienv.root(conn)).unindex("/%s/2026/4" % H38)
        conn.transaction_manager.commit()
    finally:
        conn.close()
    assert _numbers(_json(ienv, "/%s/2026" % H38)) == [5, 3, 2, 1]
    _json(ienv, "/%s/2026/4" % H38)                       # traversal still finds it


def test_search_hides_recalled_unless_asked(ienv):
    ienv.deposit(meta={"receivers": [STTTT]})
    ienv.deposit(meta={"receivers": [STTTT]})
    _recall(ienv, 1)
    settle(ienv)
    kept = "/%s/2026/2" % H38
    gone = "/%s/2026/1" % H38
    assert paths(search(ienv, q="chuyen doi so")) == [kept]
    assert sorted(paths(search(ienv, q="chuyen doi so", recalled="all"))) == [gone, kept]
    assert paths(search(ienv, q="chuyen doi so", recalled="true")) == [gone]
    assert search(ienv, q="x", recalled="sometimes", status=400)["error"]["code"] == \
        "invalid_parameter"
    # the receiver's clerk sees the same
    assert paths(search(ienv, who=("clerk", STTTT), q="chuyen doi so")) == [kept]
