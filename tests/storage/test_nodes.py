"""Two app nodes (``pserve`` processes, each with its own index folder and
blob cache) on one ZEO server and on one PostgreSQL database: numbering
under concurrency, every record searchable on every node, console commands
beside the running servers, kill -9 of a node."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import H38, STTTT
from tests.storage.nodes import Node, until
from tests.support.cli import cli

WORD = "tuyenchon"          # one made-up word every test deposit holds


@pytest.fixture(scope="module")
def cluster(shared_backend, tmp_path_factory):
    """Nodes ``a`` and ``b`` serving, with tokens issued through a console
    command run beside them."""
    base = tmp_path_factory.mktemp("nodes")
    a, b = Node(base / "a", shared_backend), Node(base / "b", shared_backend)
    cli(a.ini, "init")
    a.start(wait=False)         # both start at once (imports take seconds)
    b.start(wait=False)
    a.wait()
    b.wait()
    tokens = {"clerk": cli(a.ini, "token", "add", "--agency", H38, "--role", "clerk",
                           subprocess_run=True).stdout.split()[-1],
              "archivist": cli(b.ini, "token", "add", "--role", "archivist").stdout.split()[-1]}
    yield {"a": a, "b": b, "tokens": tokens, "base": base, "backend": shared_backend}
    a.stop()
    b.stop()


def deposit_many(nodes, token, count, label):
    """``count`` deposits spread over ``nodes``, eight at a time."""
    def one(i):
        node = nodes[i % len(nodes)]
        return node.deposit(token, H38, "Quyết định %s số %d về %s" % (label, i, WORD))
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def test_numbering_under_concurrency_from_two_nodes(cluster):
    records = deposit_many([cluster["a"], cluster["b"]], cluster["tokens"]["clerk"], 24, "đợt")
    numbers = sorted(r["number"] for r in records)
    assert numbers == list(range(1, 25))
    cluster["deposited"] = {"/%s/2026/%d" % (H38, n) for n in numbers}


def test_every_record_is_searchable_on_every_node(cluster):
    token, wanted = cluster["tokens"]["archivist"], cluster["deposited"]
    for name in ("a", "b"):
        node = cluster[name]
        found = until(lambda: node.search_paths(token, WORD) >= wanted and
                      node.search_paths(token, WORD), seconds=20)
        assert found == wanted, (name, sorted(wanted - (found or set())))


def test_console_commands_run_beside_the_servers(cluster):
    for name in ("a", "b"):
        check = cli(cluster[name].ini, "check-index", check=False, subprocess_run=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "thiếu trong chỉ mục toàn văn: 0" in check.stdout
    listing = cli(cluster["a"].ini, "agency", "list")
    assert H38 in listing.stdout and STTTT in listing.stdout


def test_kill_9_of_a_node_loses_no_committed_deposit(cluster):
    a, b, token = cluster["a"], cluster["b"], cluster["tokens"]["clerk"]
    with ThreadPoolExecutor(4) as pool:
        pending = [pool.submit(b.deposit, token, H38, "Công văn dừng đột ngột %d %s" % (i, WORD))
                   for i in range(12)]
        until(lambda: sum(f.done() for f in pending) >= 3, seconds=30, every=0.02)
        b.kill()
    answered = {"/%s/2026/%d" % (H38, f.result()["number"])
                for f in pending if f.exception() is None}
    assert answered, "no deposit was answered before the kill"
    archivist = cluster["tokens"]["archivist"]
    for path in answered:                  # every 201 survived, read from node a
        status, record = a.request(path, archivist)
        assert status == 200 and record["number"] == int(path.rsplit("/", 1)[1])
    _, year = a.request("/%s/2026?size=100" % H38, archivist)
    numbers = sorted(int(r["url"].rsplit("/", 1)[1]) for r in year["records"])
    assert numbers == list(range(1, len(numbers) + 1))     # no gap, no duplicate
    # the restarted node's index catches up with everything committed meanwhile
    b.start()
    everything = {"/%s/2026/%d" % (H38, n) for n in numbers}
    found = until(lambda: b.search_paths(archivist, WORD) >= everything and
                  b.search_paths(archivist, WORD), seconds=30)
    assert found == everything


def test_a_new_node_builds_by_reindex_then_follows(cluster):
    """A third node: ``reindex`` (its index folder empty) leaves its cursor at
    the feed's head; served, it then follows what the others commit, and its
    check-index agrees with the database."""
    from tests.storage.nodes import Node
    a, token = cluster["a"], cluster["tokens"]["clerk"]
    archivist = cluster["tokens"]["archivist"]
    c = Node(cluster["base"] / "c", cluster["backend"])
    built = cli(c.ini, "reindex")
    assert "Đã lập chỉ mục" in built.stdout
    assert (c.folder / "index" / "feed-cursor.json").exists()
    c.start()
    try:
        later = a.deposit(token, H38, "Thông báo nút mới %s" % WORD)
        path = "/%s/2026/%d" % (H38, later["number"])
        assert until(lambda: path in c.search_paths(archivist, WORD), seconds=20)
    finally:
        c.stop()
    check = cli(c.ini, "check-index", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
