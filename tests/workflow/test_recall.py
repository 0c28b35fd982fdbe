"""Recall (Art. 7.3, 9.4): the issuer recalls, receivers acknowledge, the
archive keeps the document frozen with its notice."""
from tests.workflow.conftest import (H38, JSON, STTTT, SYT, accept, acknowledge, add_version,
                                     clerk, delivery_path, error_code, get, recall, record_path,
                                     refuse)


def test_recall_keeps_the_record_with_a_notice_and_asks_every_receiver(env, sent):
    accept(env, sent, STTTT)
    notice = recall(env, sent).json
    assert notice["reason"] == "Ban hành sai thẩm quyền."
    assert notice["recalled_at"].endswith("+07:00")
    assert notice["pending"] == [STTTT, SYT] and notice["acknowledged"] == []
    record = get(env, record_path(sent)).json
    assert record["recall"]["reason"] == "Ban hành sai thẩm quyền."
    assert [d["state"] for d in record["deliveries"]] == ["recall_requested"] * 2
    # never deleted: the document is still served
    pdf = env.testapp.get(record_path(sent) + "/document.pdf", headers=env.auth(clerk(H38)))
    assert pdf.body.startswith(b"%PDF")
    html = env.testapp.get(record_path(sent), headers=env.auth(clerk(H38))).text
    assert "Văn bản đã bị thu hồi" in html


def test_record_is_marked_recalled_for_listings(env, sent):
    recall(env, sent)
    conn = env.conn()
    try:
        record = env.root(conn).agencies[H38][2026][sent["number"]]
        assert record.recalled
    finally:
        conn.close()


def test_acknowledging_cancels_the_incoming_entry_and_the_sender_sees_who(env, sent):
    entry = accept(env, sent, STTTT).json["entry"]
    recall(env, sent)
    res = acknowledge(env, sent, STTTT).json
    assert res["state"] == "recalled" and res["recalled_at"]
    cancelled = get(env, entry["path"], clerk(STTTT)).json
    assert cancelled["cancelled"] and cancelled["cancel_reason"] == "Ban hành sai thẩm quyền."
    assert cancelled["particulars"] is None        # the receiver's copy is destroyed
    assert cancelled["number"] == entry["number"]  # the line of the register stays
    notice = get(env, record_path(sent)).json["recall"]
    assert [a["receiver"] for a in notice["acknowledged"]] == [STTTT]
    assert notice["pending"] == [SYT]
    acknowledge(env, sent, SYT)       # never accepted: nothing to cancel, still recalled
    assert get(env, record_path(sent)).json["recall"]["pending"] == []


def test_recall_twice_is_409(env, sent):
    recall(env, sent)
    err = error_code(recall(env, sent, status=409), 409, "already_recalled")
    assert "đã bị thu hồi" in err["message"]


def test_only_the_issuing_clerk_may_recall(env, sent):
    error_code(recall(env, sent, who=clerk(STTTT), status=403), 403, "forbidden")
    error_code(recall(env, sent, who="archivist", status=403), 403, "forbidden")
    error_code(recall(env, sent, who="admin", status=403), 403, "forbidden")
    assert get(env, record_path(sent)).json["recall"] is None


def test_recall_needs_a_reason(env, sent):
    error_code(recall(env, sent, reason=" ", status=400), 400, "reason_required")


def test_accepting_or_refusing_a_recalled_delivery_is_409(env, sent):
    recall(env, sent)
    err = error_code(accept(env, sent, STTTT, status=409), 409, "illegal_transition")
    assert "thu hồi" in err["message"]
    error_code(refuse(env, sent, SYT, status=409), 409, "illegal_transition")


def test_acknowledge_rules(env, sent):
    error_code(acknowledge(env, sent, STTTT, status=409), 409, "illegal_transition")
    recall(env, sent)
    error_code(acknowledge(env, sent, STTTT, who=clerk(H38), status=403), 403, "forbidden")
    acknowledge(env, sent, STTTT)
    error_code(acknowledge(env, sent, STTTT, status=409), 409, "illegal_transition")


def test_a_refused_delivery_is_not_asked_to_acknowledge(env, sent):
    refuse(env, sent, SYT)
    notice = recall(env, sent).json
    assert notice["pending"] == [STTTT]
    assert get(env, delivery_path(sent, SYT), clerk(SYT)).json["state"] == "refused"


def test_accepting_a_delivery_already_recalled_is_409(env, sent):
    recall(env, sent)
    acknowledge(env, sent, STTTT)
    err = error_code(accept(env, sent, STTTT, status=409), 409, "illegal_transition")
    assert "thu hồi" in err["message"]
    assert get(env, delivery_path(sent, STTTT), clerk(STTTT)).json["incoming"] is None
    assert get(env, "/%s/incoming" % STTTT, clerk(STTTT)).json["years"] == []


BYTES = ("/document.pdf", "/versions/1/document.pdf", "/versions/2/document.pdf", "/edxml")


def test_a_receiver_that_acknowledged_no_longer_reads_the_document(env, sent):
    add_version(env, sent)
    accept(env, sent, STTTT)
    recall(env, sent)
    mine = dict(env.auth(clerk(STTTT)), **JSON)
    for path in BYTES:            # asked to recall, not yet destroyed: still readable
        env.testapp.get(record_path(sent) + path, headers=mine, status=200)
    acknowledge(env, sent, STTTT)
    for path in BYTES:
        err = error_code(env.testapp.get(record_path(sent) + path, headers=mine, status=403),
                         403, "copy_destroyed")
        assert "đã xác nhận hủy" in err["message"]
    env.testapp.head(record_path(sent) + "/document.pdf", headers=mine, status=403)
    # what it keeps: the record's particulars, the recall notice, its cancelled entry
    record = get(env, record_path(sent), clerk(STTTT)).json
    assert record["recall"]["reason"] == "Ban hành sai thẩm quyền."
    assert record["subject"] == sent["subject"]
    get(env, record_path(sent) + "/versions/2", clerk(STTTT))
    entry = get(env, record["deliveries"][0]["incoming"]["path"], clerk(STTTT)).json
    assert entry["cancelled"]
    # the archive keeps the original: the issuer, the archivist and a receiver
    # that has not acknowledged yet still read it
    for who in (clerk(H38), "archivist", clerk(SYT)):
        for path in BYTES:
            env.testapp.get(record_path(sent) + path, headers=env.auth(who), status=200)
    # the refused reads are audited
    conn = env.registry._zodb_databases["audit"].open()
    try:
        from archive_repo.audit import get_log
        refused = [e for e in get_log(conn).latest(200)
                   if e["outcome"] == "refused" and e["detail"]["code"] == "copy_destroyed"]
    finally:
        conn.close()
    assert len(refused) == len(BYTES) + 1
    assert {e["target"] for e in refused} == {record_path(sent) + p for p in BYTES}
    assert {e["agency"] for e in refused} == {STTTT}
    assert {e["action"] for e in refused} == {"read"}
