"""Bounded text extraction (indexing/sandbox.py): a PDF built to exhaust
the extractor is indexed by its metadata with ``text_source: "failed"`` and
a reason, and the records behind it are indexed as usual."""
import pytest

from tests.conftest import H38, build_env, close_env
from tests.foundation.test_deposit_http import settle
from tests.support import bombs

BOMBS = {"nesting": bombs.nesting_bomb, "flate": bombs.flate_bomb,
         "image": bombs.huge_image}


@pytest.fixture(scope="module")
def benv(tmp_path_factory):
    env = build_env(tmp_path_factory.mktemp("bombs"), **{
        "archive_repo.extract_memory_mb": "512", "archive_repo.extract_cpu_seconds": "1",
        "archive_repo.extract_wall_seconds": "60", "archive_repo.max_upload_mb": "16"})
    env.numbers = {}
    for name, make in BOMBS.items():
        res = env.deposit(pdf=make(), meta={"subject": "Văn bản độc hại %s" % name})
        env.numbers[name] = res.json["number"]
    env.numbers["after"] = env.deposit(
        meta={"subject": "Kế hoạch phòng chống thiên tai"}).json["number"]
    settle(env)
    yield env
    close_env(env)


def text_entry(env, number):
    from archive_repo.indexing.text import get_text_store
    conn = env.conn()
    try:
        record = env.root(conn).agencies[H38].data[2026][number]
        return get_text_store(env.root(conn)).get(record.current.sha256)
    finally:
        conn.close()


def search(env, q):
    return env.testapp.get("/search", params={"q": q}, headers=dict(
        env.auth("archivist"), Accept="application/json")).json


@pytest.mark.parametrize("name, reason", [("nesting", "cpu"), ("flate", "memory"),
                                          ("image", "memory")])
def test_a_bomb_is_indexed_by_its_metadata_as_failed(benv, name, reason):
    entry = text_entry(benv, benv.numbers[name])
    assert entry["source"] == "failed" and entry["reason"] == reason
    found = search(benv, "độc hại %s" % name)
    assert [r["number"] for r in found["results"]] == [benv.numbers[name]]
    assert found["results"][0]["text_source"] == "failed"


def test_the_records_behind_a_bomb_are_indexed(benv):
    found = search(benv, "phòng chống thiên tai")
    assert [r["number"] for r in found["results"]] == [benv.numbers["after"]]
    assert found["results"][0]["text_source"] == "pdf"
    from archive_repo.indexing import worker_of
    assert worker_of(benv.registry).pending() == 0


def test_the_wall_clock_limit_stops_a_child_and_the_next_gets_a_new_one(tmp_path):
    from archive_repo.indexing import sandbox
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(bombs.nesting_bomb())      # ~4 s of CPU: over 1 s of wall time
    bounds = sandbox.Bounds(cpu_seconds=60, memory_mb=256, wall_seconds=1)
    assert sandbox.extract(str(slow), bounds) == ("", "failed", "wall")
    from tests.support.pdfs import write_pdf
    write_pdf(tmp_path / "ok.pdf", lines=["Quyết định phê duyệt kế hoạch"])
    text, source, reason = sandbox.extract(str(tmp_path / "ok.pdf"),
                                           sandbox.Bounds(5, 256, 30))
    assert source == "pdf" and "kế hoạch" in text and reason is None
