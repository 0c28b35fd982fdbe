"""The catalog (repoze.catalog in ZODB) and the listings built on it."""
import pytest
from pyramid.request import Request
from pyramid.scripting import prepare

from tests.support.pdfs import make_pdf

from .conftest import H38, STTTT, SYT, settle


@pytest.fixture
def filled(ienv):
    for number, day, doctype, urgency in [(1, "2026-01-05", "QĐ", None),
                                          (2, "2026-02-10", "CV", "Khẩn"),
                                          (3, "2026-03-15", "QĐ", None),
                                          (4, "2026-03-20", "TB", "Hỏa tốc")]:
        ienv.deposit(meta={"number": number, "issued_on": day, "doctype": doctype,
                           "notation": "%s-UBND" % doctype if doctype != "CV" else "UBND-VP",
                           "urgency": urgency,
                           "receivers": [STTTT] if number % 2 else [SYT]},
                     pdf=make_pdf(lines=["Văn bản số %d" % number]))
    ienv.deposit(agency=SYT, meta={"number": 1, "notation": "QĐ-SYT", "receivers": []})
    settle(ienv)
    return ienv


def _listing(env, who, **kw):
    from archive_repo.indexing.listing import list_records
    request = Request.blank("/", headers=env.auth(who))
    closer = prepare(request=request, registry=env.registry)
    try:
        total, records = list_records(closer["request"], **kw)
        return total, [r.path for r in records]
    finally:
        closer["closer"]()


def test_listing_by_agency_and_year_newest_first_paginated(filled):
    total, page1 = _listing(filled, "archivist", agency=H38, year=2026, start=0, size=3)
    assert total == 4
    assert page1 == ["/%s/2026/%d" % (H38, n) for n in (4, 3, 2)]
    _, page2 = _listing(filled, "archivist", agency=H38, year=2026, start=3, size=3)
    assert page2 == ["/%s/2026/1" % H38]


def test_listing_with_catalog_filters(filled):
    total, found = _listing(filled, "archivist", agency=H38, doctype="QĐ")
    assert total == 2 and found == ["/%s/2026/3" % H38, "/%s/2026/1" % H38]
    _, urgent = _listing(filled, "archivist", urgency="Hỏa tốc")
    assert urgent == ["/%s/2026/4" % H38]
    _, to_syt = _listing(filled, "archivist", receivers_any=[SYT])
    assert to_syt == ["/%s/2026/4" % H38, "/%s/2026/2" % H38]
    total, _ = _listing(filled, "archivist", delivery_states_any=["sent"])
    assert total == 4


def test_listing_never_shows_what_the_caller_may_not_view(filled):
    total, found = _listing(filled, ("clerk", STTTT))
    assert total == 2 and set(found) == {"/%s/2026/1" % H38, "/%s/2026/3" % H38}
    total, found = _listing(filled, ("clerk", SYT))
    assert set(found) == {"/%s/2026/2" % H38, "/%s/2026/4" % H38, "/%s/2026/1" % SYT}


def test_catalog_values_and_allowed_principals(filled):
    from archive_repo.indexing.catalog import get_catalog, values
    conn = filled.conn()
    try:
        root = filled.root(conn)
        record = root.agencies[H38][2026][2]
        got = values(record)
        assert got["agency"] == H38 and got["year"] == 2026 and got["number"] == 2
        assert got["urgency"] == "Khẩn" and got["recalled"] is False
        assert sorted(got["allowed"]) == ["clerk:%s" % H38, "clerk:%s" % SYT]
        catalog = get_catalog(root)
        assert catalog.query(agency=H38, issued_from="2026-02-01", issued_to="2026-03-16",
                             sort="issued_on", reverse=False)[1] == [
            "/%s/2026/2" % H38, "/%s/2026/3" % H38]
        assert catalog.indexed_values(record.path) == catalog.comparable(got)
    finally:
        conn.close()


def test_root_principals_are_not_stored_but_still_read_everything(filled):
    """archivist/connector/admin view every record through the root's ACL:
    their words are not in the catalog, and holding one lifts the filter."""
    from archive_repo.indexing.catalog import everywhere, get_catalog
    assert everywhere() == {"role:archivist", "role:connector", "role:admin"}
    conn = filled.conn()
    try:
        catalog = get_catalog(filled.root(conn))
        paths = catalog.paths()
        assert len(paths) == 5
        assert not [w for p in paths for w in catalog.indexed_values(p)["facets"]
                    if w.startswith("allowed=role:")]
        assert catalog.allowed(paths, ["system.Everyone", "role:connector"]) == set(paths)
        assert catalog.allowed(paths + ["/nowhere/2026/1"], ["role:admin"]) == set(paths)
        assert catalog.allowed(paths, ["system.Everyone", "clerk:%s" % SYT]) == {
            "/%s/2026/2" % H38, "/%s/2026/4" % H38, "/%s/2026/1" % SYT}
        total, _ = catalog.query(allowed_any=["role:archivist"])
        assert total == 5
        total, _ = catalog.query(allowed_any=["clerk:%s" % STTTT])
        assert total == 2
    finally:
        conn.close()
    assert _listing(filled, "connector")[0] == 5


def _oids_of(tree):
    """The oids of a BTree and of every bucket it holds."""
    found, bucket = {tree._p_oid}, tree._firstbucket
    while bucket is not None:
        if bucket._p_oid is not None:
            found.add(bucket._p_oid)
        bucket = bucket._next
    return found


def test_an_accept_rewrites_the_delivery_words_and_nothing_of_the_facets(filled):
    """A delivery step changes only the record's delivery states: the
    ``facets`` index (≈ 15 words a record) is left as it was, so receivers
    accepting different records at once do not fight over its buckets."""
    from archive_repo import db
    from archive_repo.resources import get_root
    path = "/%s/2026/1/deliveries/%s/accept" % (H38, STTTT)
    filled.testapp.post_json(path, {}, headers=dict(filled.auth(("clerk", STTTT)),
                                                    Accept="application/json"))
    storage = db.database(filled.registry).storage
    accept_txn = [{r.oid for r in txn} for txn in storage.iterator()
                  if "accept" in txn.description.decode("utf-8", "replace")
                  or txn.extension.get("path", "").endswith("/accept")]
    with db.transaction(filled.registry) as conn:
        catalog = get_root(conn).catalog.catalog
        facets = _oids_of(catalog["facets"]._rev_index) | _oids_of(catalog["facets"]._fwd_index)
        deliveries = _oids_of(catalog["deliveries"]._rev_index)
    written = set().union(*accept_txn) if accept_txn else set()
    assert written, "the accept's transaction was not found"
    assert written & deliveries and not written & facets
    total, found = _listing(filled, "archivist", delivery_states_any=["accepted"])
    assert found == ["/%s/2026/1" % H38]
    total, _ = _listing(filled, "archivist", agency=H38, delivery_states_any=["sent"])
    assert total == 3
