"""Listings and search hide recalled records unless asked (Art. 7.3, 9.4:
the archive keeps them), and year listings come from the catalog."""
from collections import Counter

from archive_repo.indexing import worker_of
from tests.dav.conftest import bulk_year

from .conftest import H38, STTTT, build_env, close_env, paths, search, settle


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


def _loads_of(env, monkeypatch, url):
    """Objects this thread loads from ZODB answering ``url`` with every
    object a ghost first (``Connection.setstate`` runs once per load)."""
    import threading
    from ZODB.Connection import Connection
    loaded, here, real = [], threading.get_ident(), Connection.setstate

    def counting(conn, obj):
        if threading.get_ident() == here:
            loaded.append(type(obj).__name__)
        return real(conn, obj)
    env.registry._zodb_databases[""].cacheMinimize()
    with monkeypatch.context() as patched:
        patched.setattr(Connection, "setstate", counting)
        res = _json(env, url)
    return res, Counter(loaded)


def test_a_middle_page_of_a_year_loads_the_same_whatever_the_year_size(ienv, monkeypatch):
    # the catalog sort it replaces read the reverse index of every docid
    # of the year: 2 000 records loaded ~10× what 200 did
    bulk_year(ienv, H38, 2024, 2000)
    bulk_year(ienv, H38, 2025, 200)
    _json(ienv, "/%s/2024?page=20&size=50" % H38)                 # warm the app
    small, small_loads = _loads_of(ienv, monkeypatch, "/%s/2025?page=2&size=50" % H38)
    big, big_loads = _loads_of(ienv, monkeypatch, "/%s/2024?page=20&size=50" % H38)
    assert _numbers(small) == list(range(150, 100, -1)) and small.json["total"] == 200
    assert _numbers(big) == list(range(1050, 1000, -1)) and big.json["total"] == 2000
    assert small_loads["Record"] == big_loads["Record"] == 50
    # the same objects but for a level of the bigger year's BTree
    assert sum(big_loads.values()) <= sum(small_loads.values()) + 3, (small_loads, big_loads)


def test_year_pages_by_position_skip_recalled_and_destroyed_records(ienv):
    from archive_repo.indexing.catalog import get_catalog
    from archive_repo.indexing.positions import BLOCK
    count = BLOCK * 2 + 10                       # three blocks of masks
    bulk_year(ienv, H38, 2025, count)
    conn = ienv.conn()
    with conn.transaction_manager:
        catalog = get_catalog(ienv.root(conn))
        order = catalog.year_order(H38, 2025)
        for number in (count, BLOCK * 2 + 1, BLOCK + 5):
            order.put(number, True)              # as a recall re-indexes it
        catalog.unindex("/%s/2025/%d" % (H38, BLOCK * 2))    # as a disposal does
    conn.close()
    hidden = {count, BLOCK * 2 + 1, BLOCK + 5, BLOCK * 2}
    shown = [n for n in range(count, 0, -1) if n not in hidden]
    url = "/%s/2025?size=7&page=%d"
    pages = [_numbers(_json(ienv, url % (H38, page))) for page in range(1, len(shown) // 7 + 2)]
    assert sum(pages, []) == shown
    assert _json(ienv, url % (H38, 1)).json["total"] == len(shown)
    only = _json(ienv, "/%s/2025?recalled=true" % H38).json
    assert [r["number"] for r in only["records"]] == [count, BLOCK * 2 + 1, BLOCK + 5]
    assert only["total"] == 3
    both = _json(ienv, "/%s/2025?recalled=all&size=5&page=26" % H38).json
    assert both["total"] == count - 1
    assert [r["number"] for r in both["records"]] == [n for n in range(count, 0, -1)
                                                      if n != BLOCK * 2][125:130]


def test_start_up_orders_the_years_of_an_older_catalog(tmp_path):
    from archive_repo.indexing.catalog import get_catalog
    env = build_env(tmp_path)
    for _ in range(3):
        env.deposit()
    _recall(env, 2)
    conn = env.conn()
    with conn.transaction_manager:
        root = env.root(conn)
        del root.evolved["2026-12-catalog-year-order"]
        del get_catalog(root).years             # the shape before this release
    conn.close()
    worker_of(env.registry).stop()
    close_env(env)
    env = build_env(tmp_path)                   # start-up runs the step
    try:
        assert _numbers(_json(env, "/%s/2026" % H38)) == [3, 1]
        assert _numbers(_json(env, "/%s/2026?recalled=all" % H38)) == [3, 2, 1]
    finally:
        worker_of(env.registry).stop()
        close_env(env)
