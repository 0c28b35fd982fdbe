"""Concurrent accepts on one FileStorage: one incoming number per delivery,
distinct consecutive numbers per register."""
from tests.support import threads

from tests.workflow.conftest import STTTT, accept


def race(count, work):
    results, errors = threads.race(count, work)
    assert errors == []
    return results


def register_numbers(env, code=STTTT, year=None):
    conn = env.conn()
    try:
        register = env.root(conn).agencies[code].named["incoming"]
        return {y: list(c.keys()) for y, c in register.items()}
    finally:
        conn.close()


def test_eight_clerks_accepting_the_same_delivery_get_one_number(env, sent):
    results = race(8, lambda i: accept(env, sent, STTTT, status="*"))
    statuses = sorted(r.status_int for r in results)
    assert statuses == [200] + [409] * 7
    numbers = register_numbers(env)
    assert list(numbers.values()) == [[1]]
    conflicts = [r.json["error"]["code"] for r in results if r.status_int == 409]
    assert set(conflicts) == {"illegal_transition"}


def test_parallel_accepts_of_different_deliveries_number_consecutively(env):
    records = [env.deposit(meta={"receivers": [STTTT]}).json for _ in range(12)]
    results = race(12, lambda i: accept(env, records[i], STTTT, status="*"))
    assert sorted(r.status_int for r in results) == [200] * 12
    given = sorted(r.json["entry"]["number"] for r in results)
    assert given == list(range(1, 13))
    assert sorted(sum(register_numbers(env).values(), [])) == given
