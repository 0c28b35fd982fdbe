"""Deposit → deliveries → inbox → accept / refuse, over HTTP with each
agency's own token; every illegal step refused with 403 or 409."""
from tests.support.pdfs import make_pdf
from tests.workflow.conftest import (H38, STTTT, SYT, accept, acknowledge, add_version, clerk,
                                     delivery_path, error_code, export, get, post_status,
                                     post_xml, recall, record_path, refuse, status_message,
                                     with_attachment)


def test_deposit_creates_one_sent_delivery_per_receiver(env, sent):
    assert [(d["receiver"], d["state"]) for d in sent["deliveries"]] == \
        [(STTTT, "sent"), (SYT, "sent")]
    assert sent["deliveries"][0]["sent_at"].endswith("+07:00")
    assert sent["deliveries"][0]["state_label"] == "Đã gửi, chờ tiếp nhận"


def test_inbox_lists_what_was_sent_to_the_agency_urgent_first(env, sent):
    env.deposit(meta={"receivers": [STTTT], "urgency": "Thượng khẩn",
                      "subject": "Về việc phòng chống lũ quét"})
    env.deposit(meta={"receivers": [SYT]})
    inbox = get(env, "/%s/inbox" % STTTT, clerk(STTTT)).json
    assert inbox["total"] == 2
    assert [r["urgency"] for r in inbox["results"]] == ["Thượng khẩn", None]
    assert inbox["results"][0]["document"]["subject"] == "Về việc phòng chống lũ quét"
    assert get(env, "/%s/inbox" % SYT, clerk(SYT)).json["total"] == 2


def test_inbox_filters_by_state_and_refuses_unknown_state(env, sent):
    other = env.deposit(meta={"receivers": [STTTT]}).json
    accept(env, other, STTTT)
    waiting = get(env, "/%s/inbox?state=sent" % STTTT, clerk(STTTT)).json
    assert [r["record"] for r in waiting["results"]] == [record_path(sent)]
    done = get(env, "/%s/inbox?state=accepted" % STTTT, clerk(STTTT)).json
    assert [r["record"] for r in done["results"]] == [record_path(other)]
    res = get(env, "/%s/inbox?state=lost" % STTTT, clerk(STTTT), status=400)
    error_code(res, 400, "invalid_state")


def test_inbox_html_is_vietnamese(env, sent):
    res = env.testapp.get("/%s/inbox" % STTTT, headers=dict(env.auth(clerk(STTTT)),
                                                              Accept="text/html"))
    assert "Văn bản gửi đến" in res.text and "Đã gửi, chờ tiếp nhận" in res.text
    assert "/%s/2026/1" % H38 in res.text


def test_another_agency_cannot_read_an_inbox(env, sent):
    error_code(get(env, "/%s/inbox" % STTTT, clerk(SYT), status=403), 403, "forbidden")


def test_accept_registers_incoming_number_receipt_time_and_handler(env, sent):
    res = accept(env, sent, STTTT, handler="Phòng Bưu chính - Viễn thông").json
    assert res["state"] == "accepted" and res["accepted_at"].endswith("+07:00")
    entry = res["entry"]
    assert (entry["number"], entry["year"]) == (1, int(res["accepted_at"][:4]))
    assert entry["handler"] == "Phòng Bưu chính - Viễn thông"
    assert entry["record"] == record_path(sent)
    page = get(env, entry["path"], clerk(STTTT)).json
    assert page["particulars"]["notation"] == "QĐ-UBND"
    assert page["record_url"].endswith(record_path(sent))
    # the sender sees it on the record
    record = get(env, record_path(sent)).json
    assert record["deliveries"][0]["state"] == "accepted"
    assert record["deliveries"][0]["incoming"]["number"] == 1


def test_incoming_numbers_follow_per_receiving_agency(env, sent):
    second = env.deposit(meta={"receivers": [STTTT, SYT]}).json
    assert accept(env, sent, STTTT).json["entry"]["number"] == 1
    assert accept(env, second, STTTT).json["entry"]["number"] == 2
    assert accept(env, second, SYT).json["entry"]["number"] == 1  # SYT's own register
    register = get(env, "/%s/incoming" % STTTT, clerk(STTTT)).json
    assert [y["count"] for y in register["years"]] == [2]
    year = get(env, register["years"][0]["url"].split("localhost")[1], clerk(STTTT)).json
    assert [e["number"] for e in year["entries"]] == [2, 1]


def test_empty_register_answers_without_creating_one(env):
    assert get(env, "/%s/incoming" % SYT, clerk(SYT)).json["years"] == []


def test_accept_twice_is_409_with_the_number_already_given(env, sent):
    accept(env, sent, STTTT)
    err = error_code(accept(env, sent, STTTT, status=409), 409, "illegal_transition")
    assert "đã được tiếp nhận" in err["message"] and "1/" in err["message"]


def test_only_the_receivers_clerk_may_accept(env, sent):
    path = delivery_path(sent, STTTT) + "/accept"
    from tests.workflow.conftest import post
    error_code(post(env, path, clerk(H38), status=403), 403, "forbidden")   # the sender
    error_code(post(env, path, clerk(SYT), status=403), 403, "forbidden")   # another receiver
    error_code(post(env, path, "archivist", status=403), 403, "forbidden")
    error_code(post(env, path, "admin", status=403), 403, "forbidden")
    res = env.testapp.post_json(path, {}, status=401)
    assert res.json["error"]["code"] == "unauthenticated"
    assert get(env, delivery_path(sent, STTTT), clerk(STTTT)).json["state"] == "sent"


def test_refuse_gives_feedback_on_the_record_and_in_the_refused_list(env, sent):
    res = refuse(env, sent, SYT, code="not_legally_valid",
                 text="Văn bản không có chữ ký số của tổ chức.").json
    assert res["state"] == "refused"
    assert res["refusal"]["code"] == "not_legally_valid"
    assert "giá trị pháp lý" in res["refusal"]["label"]
    record = get(env, record_path(sent)).json
    assert record["deliveries"][1]["refusal"]["text"] == "Văn bản không có chữ ký số của tổ chức."
    refused = get(env, "/%s/refused" % H38).json
    assert [(r["receiver"], r["record"]) for r in refused["results"]] == \
        [(SYT, record_path(sent))]
    page = env.testapp.get("/%s/refused" % H38, headers=dict(env.auth(clerk(H38)),
                                                               Accept="text/html"))
    assert "Văn bản không có chữ ký số của tổ chức." in page.text


def test_refuse_needs_a_known_reason_code_and_text(env, sent):
    error_code(refuse(env, sent, SYT, code="dislike", status=400), 400, "invalid_refusal")
    error_code(refuse(env, sent, SYT, text="  ", status=400), 400, "invalid_refusal")
    assert get(env, delivery_path(sent, SYT), clerk(SYT)).json["state"] == "sent"


def test_refusing_after_accepting_and_accepting_after_refusing_are_409(env, sent):
    accept(env, sent, STTTT)
    err = error_code(refuse(env, sent, STTTT, status=409), 409, "illegal_transition")
    assert "không thể từ chối sau khi tiếp nhận" in err["message"]
    refuse(env, sent, SYT)
    err = error_code(accept(env, sent, SYT, status=409), 409, "illegal_transition")
    assert "đã bị từ chối" in err["message"]
    error_code(refuse(env, sent, SYT, status=409), 409, "illegal_transition")


def test_only_the_receiver_may_refuse(env, sent):
    error_code(refuse(env, sent, STTTT, who=clerk(H38), status=403), 403, "forbidden")


def test_unknown_delivery_is_404(env, sent):
    get(env, delivery_path(sent, "000.00.99.H38"), status=404)


def test_another_receiver_cannot_refuse_or_acknowledge_a_delivery(env, sent):
    error_code(refuse(env, sent, STTTT, who=clerk(SYT), status=403), 403, "forbidden")
    recall(env, sent)
    for who in (clerk(SYT), clerk(H38), "archivist", "admin"):
        error_code(acknowledge(env, sent, STTTT, who=who, status=403), 403, "forbidden")
    assert get(env, delivery_path(sent, STTTT), clerk(STTTT)).json["state"] == \
        "recall_requested"


def test_every_step_is_in_the_records_audit_history(env, sent):
    post_status(env, sent, STTTT, status_message("01", STTTT, sent), clerk(STTTT))
    accept(env, sent, STTTT)
    refuse(env, sent, SYT)
    add_version(env, sent, kind="update")
    # an edXML replacement (from the axis): another file under the same header
    post_xml(env, with_attachment(export(env, sent, business="replace"),
                                  make_pdf(["Bản thay thế"])), status=200)
    post_status(env, sent, STTTT, status_message("05", STTTT, sent), clerk(STTTT))
    recall(env, sent)
    acknowledge(env, sent, STTTT)
    accept(env, sent, STTTT, status=409)            # refused: nothing of it in the history
    history = get(env, record_path(sent)).json["history"]
    assert [(h["action"], h["outcome"]) for h in history] == [
        ("deposit", "ok"), ("status_edxml", "ok"), ("accept", "ok"), ("refuse", "ok"),
        ("new_version", "ok"), ("export_edxml", "ok"), ("import_edxml", "ok"),
        ("status_edxml", "ok"), ("recall", "ok"), ("acknowledge_recall", "ok")]
    detail = {h["action"]: h["detail"] for h in history}
    assert detail["refuse"] == {"receiver": SYT, "reason_code": "not_competent"}
    assert detail["import_edxml"]["business"] == "replace"
    assert detail["import_edxml"]["version"] == 3
    assert detail["acknowledge_recall"]["receiver"] == STTTT
    assert detail["recall"]["receivers"] == [STTTT]
    assert [h["detail"]["code"] for h in history if h["action"] == "status_edxml"] == \
        ["01", "05"]
    assert all(h["actor"] and h["at"].endswith("+07:00") for h in history)
    conn = env.registry._zodb_databases["audit"].open()
    try:
        from archive_repo.audit import get_log
        refusals = [e for e in get_log(conn).latest(50) if e["outcome"] == "refused"]
    finally:
        conn.close()
    assert refusals and refusals[0]["detail"]["code"] == "illegal_transition"


def test_the_record_keeps_its_deliveries_states_and_the_ledger_row_follows(env, sent):
    """Each step rewrites the record's (receiver, state) pairs and only its
    own delivery in the facts row: both must stay what the deliveries say."""
    from archive_repo import db
    from archive_repo.reports import facts
    from archive_repo.resources import get_root
    accept(env, sent, STTTT)
    refuse(env, sent, SYT)
    recall(env, sent)
    acknowledge(env, sent, STTTT)
    with db.transaction(env.registry) as conn:
        record = get_root(conn).agencies[H38][2026][sent["number"]]
        read = tuple((d.receiver, d.state) for d in record.deliveries)
        assert record.delivery_states == read
        assert dict(read) == {STTTT: "recalled", SYT: "refused"}
        ledger = facts.ledger_in(conn)
        assert ledger.get(H38, 2026, record.number) == facts.row_of(record)
        del record.delivery_states                  # a record made before they were kept
        assert record.receiver_states() == read
    assert get(env, delivery_path(sent, SYT), clerk(SYT)).json["state"] == "refused"
