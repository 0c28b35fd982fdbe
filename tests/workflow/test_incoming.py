"""The incoming register restarts each 1 January, Vietnam time (Decree
30/2020: incoming numbers are taken in order of receipt within the year).

The receipt time is the ``at`` of the domain function (workflow.actions
.accept); the HTTP view passes the current time.  The register is then
read over HTTP with the receiver's token."""
from datetime import datetime, timezone

from archive_repo import timeutil
from tests.workflow.conftest import H38, STTTT, clerk, delivery_path, get, record_path

VN = timeutil.VN_TZ


def accept_at(env, record, receiver, at):
    """Accept ``record``'s delivery to ``receiver`` as its clerk at ``at``,
    in a transaction of its own; the (year, number) given."""
    from archive_repo.security.tokens import lookup
    from archive_repo.workflow import actions
    from archive_repo.workflow import deliveries as dl
    conn = env.conn()
    try:
        with conn.transaction_manager:
            root = env.root(conn)
            clerk_info = lookup(root, env.tokens[clerk(receiver)])
            stored = root.agencies[H38][2026][record["number"]]
            entry = actions.accept(root.agencies, dl.find(stored, receiver), clerk_info, at,
                                   registry=env.registry)
            given = (entry.year, entry.number)
    finally:
        conn.close()
    return given


def test_incoming_numbers_restart_on_1_january_vietnam_time(env):
    records = [env.deposit(meta={"receivers": [STTTT]}).json for _ in range(4)]
    moments = [
        datetime(2026, 12, 31, 9, 0, tzinfo=VN),
        datetime(2026, 12, 31, 23, 59, tzinfo=VN),
        datetime(2027, 1, 1, 0, 1, tzinfo=VN),
        datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc),   # 00:30 on 1/1 in Vietnam
    ]
    given = [accept_at(env, r, STTTT, at) for r, at in zip(records, moments)]
    assert given == [(2026, 1), (2026, 2), (2027, 1), (2027, 2)]

    register = get(env, "/%s/incoming" % STTTT, clerk(STTTT)).json
    assert [(y["year"], y["count"]) for y in register["years"]] == [(2027, 2), (2026, 2)]
    entries = {(e["year"], e["number"]): e
               for year in (2026, 2027)
               for e in get(env, "/%s/incoming/%d" % (STTTT, year), clerk(STTTT)).json["entries"]}
    assert {k: (e["record"], e["received_at"]) for k, e in entries.items()} == {
        (2026, 1): (record_path(records[0]), "2026-12-31T09:00:00+07:00"),
        (2026, 2): (record_path(records[1]), "2026-12-31T23:59:00+07:00"),
        (2027, 1): (record_path(records[2]), "2027-01-01T00:01:00+07:00"),
        (2027, 2): (record_path(records[3]), "2027-01-01T00:30:00+07:00"),
    }
    assert entries[(2027, 2)]["received_on"] == "01/01/2027"
    # the sender sees the number in the receiver's register of that year
    late = get(env, delivery_path(records[3], STTTT), clerk(H38)).json
    assert (late["incoming"]["year"], late["incoming"]["number"]) == (2027, 2)
    assert late["accepted_at"] == "2027-01-01T00:30:00+07:00"
