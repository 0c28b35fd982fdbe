"""Concurrent deposits into one year on a real FileStorage never share a
number: the BTree key refuses the duplicate and pyramid_retry replays."""
import threading
from collections import Counter

from tests.conftest import H38


def test_parallel_deposits_get_distinct_consecutive_numbers(env):
    from pyramid_retry import IBeforeRetry
    retries = []
    env.registry.registerHandler(lambda event: retries.append(event.exception),
                                 (IBeforeRetry,))
    results, errors = [], []
    start = threading.Barrier(8)

    def worker():
        start.wait()
        for _ in range(4):
            try:
                res = env.deposit(status="*")
                results.append((res.status_int, res.json.get("number")))
            except Exception as exc:  # noqa: BLE001 — reported below
                errors.append(repr(exc))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 32}, statuses
    numbers = sorted(n for _, n in results)
    assert numbers == list(range(1, 33))
    # the test really raced: some deposits chose a taken number and were replayed
    from ZODB.POSException import ConflictError
    assert retries and all(isinstance(e, ConflictError) for e in retries)
    conn = env.conn()
    year = env.root(conn).agencies[H38].data[2026]
    assert len(year) == 32 and sorted(year.keys()) == numbers
    conn.close()
