"""One app on each storage engine (FileStorage, ZEO, RelStorage/PostgreSQL):
the whole life of a record — deposit, the document read back, a delivery
accepted, the change feed, search, check-index — goes through the same
code whichever engine holds it."""
import pytest

from tests.conftest import H38, STTTT, build_env, close_env
from tests.support.pdfs import make_pdf
from tests.workflow.conftest import accept, get


@pytest.fixture(scope="module")
def env(backend, tmp_path_factory):
    folder = tmp_path_factory.mktemp("node")
    env = build_env(folder, **backend.settings(folder / "node"))
    yield env
    close_env(env)


@pytest.fixture(scope="module")
def deposited(env):
    pdf = make_pdf(["Kế hoạch chuyển đổi số tỉnh Lào Cai"])
    return env.deposit(pdf=pdf).json, pdf


def test_deposit_numbers_and_stores_the_document(env, deposited):
    record, pdf = deposited
    assert record["number"] == 1
    second = env.deposit().json
    assert second["number"] == 2
    res = env.testapp.get("/%s/2026/1/document.pdf" % H38, headers=env.auth(("clerk", H38)))
    assert res.body == pdf


def test_a_delivery_accepted_is_in_the_change_feed(env, deposited):
    record, _ = deposited
    assert accept(env, record, STTTT).json["state"] == "accepted"
    changes = env.testapp.get("/dav/changes", params={"since": 0},
                              headers=env.auth("connector")).json["changes"]
    first = [c["what"] for c in changes if c["path"].endswith("/%s/2026/1" % H38)]
    assert first[0] == "added" and len(first) >= 2


def test_search_and_check_index_agree_with_the_database(env, deposited):
    from archive_repo.indexing import fulltext_of, worker_of
    from archive_repo.indexing.rebuild import differences
    assert worker_of(env.registry).wait_idle()
    found = get(env, "/search", params={"q": "chuyển đổi số"}).json
    assert "/%s/2026/1" % H38 in [r["url"].split("localhost")[1] for r in found["results"]]
    conn = env.conn()
    try:
        diff = differences(env.root(conn), fulltext_of(env.registry))
    finally:
        conn.close()
    assert not any(diff.values()), diff
