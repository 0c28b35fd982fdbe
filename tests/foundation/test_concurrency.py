"""Concurrent deposits into one year on a real FileStorage never share a
number: the BTree key refuses a duplicate, and the registration step
(``retrying.run_step``) runs under a per-agency-year lock, so the threads of
one server do not even race for it (tests/hostile/test_registration.py
makes the step conflict on purpose)."""
from collections import Counter

from tests.conftest import H38
from tests.support.threads import race


def test_parallel_deposits_get_distinct_consecutive_numbers(env):
    from pyramid_retry import IBeforeRetry
    retries = []
    env.registry.registerHandler(lambda event: retries.append(event.exception),
                                 (IBeforeRetry,))

    def worker(_):
        return [(res.status_int, res.json.get("number"))
                for res in (env.deposit(status="*") for _ in range(4))]
    batches, errors = race(8, worker)
    assert errors == []
    results = [item for batch in batches for item in batch]
    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 32}, statuses
    numbers = sorted(n for _, n in results)
    assert numbers == list(range(1, 33))
    # no request was replayed whole (rules and all): only the step retries
    assert retries == []
    conn = env.conn()
    year = env.root(conn).agencies[H38].data[2026]
    assert len(year) == 32 and sorted(year.keys()) == numbers
    conn.close()
