"""Art. 6.1b: signed by the organisation and sent the same day or by 12:00
of the next working day; 6.4c: urgent documents go out at once."""
import json
from datetime import datetime, timedelta, timezone

import pytest

from archive_repo.rules import evaluate, policy_from_settings, timing
from archive_repo.settings import DEFAULT_CALENDAR
from archive_repo.rules.model import Context, RulePolicy, SignatureFacts
from tests.rules.conftest import by_code
from tests.support.pdfs import make_pdf
from tests.support.signing import VN, signed_document


def at(*args):
    return datetime(*args, tzinfo=VN)


def _ctx(sent, *signed, role="organisation", urgency=None, calendar=DEFAULT_CALENDAR):
    sigs = [SignatureFacts(field="ChuKy%d" % n, role=role, signed_at=t,
                           signed_at_source="claimed") for n, t in enumerate(signed)]
    return Context(path="-", metadata={"urgency": urgency}, deposited_at=sent,
                   policy=RulePolicy(calendar_file=calendar), signatures=sigs)


UNIT_CASES = [
    ("same-day-evening", at(2026, 3, 5, 8, 0), at(2026, 3, 5, 23, 30), True),
    ("next-day-11:59", at(2026, 3, 5, 16, 0), at(2026, 3, 6, 11, 59), True),
    ("next-day-12:01", at(2026, 3, 5, 16, 0), at(2026, 3, 6, 12, 1), False),
    ("friday-to-monday-holiday", at(2026, 4, 24, 16, 0), at(2026, 4, 27, 9, 0), True),
    ("signed-on-saturday", at(2026, 3, 7, 10, 0), at(2026, 3, 9, 11, 0), True),
    ("swap-weekend", at(2026, 8, 28, 16, 0), at(2026, 9, 3, 11, 0), True),   # off 29/8–2/9
    ("clock-skew", at(2026, 3, 5, 15, 3), at(2026, 3, 5, 15, 0), True),
    ("sent-before-signed", at(2026, 3, 5, 15, 0), at(2026, 3, 5, 9, 0), False),
    # 18:00 UTC on Thursday is 01:00 Friday in Vietnam: the deadline is Monday
    ("utc-signing-time", datetime(2026, 3, 5, 18, 0, tzinfo=timezone.utc),
     at(2026, 3, 9, 11, 0), True),
]


@pytest.mark.parametrize("label,signed,sent,ok", UNIT_CASES, ids=[c[0] for c in UNIT_CASES])
def test_deadline(label, signed, sent, ok):
    result = timing.sent_in_time(_ctx(sent, signed))
    assert result.passed is ok, result.message
    assert result.article == "6.1b" and result.severity == "status"
    if not ok:
        assert "Điều 6, khoản 1, điểm b" in result.message


def test_late_message_names_times_and_deadline():
    result = timing.sent_in_time(_ctx(at(2026, 4, 28, 12, 1), at(2026, 4, 24, 16, 0)))
    assert result.message.startswith("Văn bản ký số tổ chức lúc 16:00:00 24/04/2026 và gửi lúc "
                                     "12:01:00 28/04/2026, quá 12h00 ngày làm việc tiếp theo")
    assert result.details["deadline"] == "2026-04-28T12:00:00+07:00"
    assert result.details["signed_at_source"] == "claimed"
    assert result.details["calendar_confirmed"] is True


def test_the_latest_organisation_signature_counts():
    ctx = _ctx(at(2026, 3, 10, 11, 0), at(2026, 3, 5, 9, 0), at(2026, 3, 9, 9, 0))
    result = timing.sent_in_time(ctx)
    assert result.passed and result.details["field"] == "ChuKy1"


def test_no_organisation_signature_is_not_judged():
    result = timing.sent_in_time(_ctx(at(2026, 3, 5, 9, 0), at(2026, 3, 5, 8, 0),
                                      role="personal"))
    assert result.passed is None
    assert "Không có chữ ký số của tổ chức" in result.message


def test_a_make_up_saturday_from_the_operator_file(tmp_path):
    path = tmp_path / "days.json"
    path.write_text(json.dumps({"working_days": {"2026-10-10": "Làm bù"}}))
    signed, sent = at(2026, 10, 9, 16, 0), at(2026, 10, 10, 11, 0)
    assert timing.sent_in_time(_ctx(sent, signed, calendar=str(path))).passed is True
    # without the file Monday 12/10 is the next working day, so the deposit
    # on Monday afternoon would be in time — with it, it is late
    monday = at(2026, 10, 12, 9, 0)
    assert timing.sent_in_time(_ctx(monday, signed, calendar=None)).passed is True
    assert timing.sent_in_time(_ctx(monday, signed, calendar=str(path))).passed is False


@pytest.mark.parametrize("delay,flagged", [(timedelta(minutes=20), True),
                                           (timedelta(hours=3), False)])
def test_urgent_documents_go_out_at_once(delay, flagged):
    signed = at(2026, 3, 5, 9, 0)
    result = timing.urgent_sent_immediately(_ctx(signed + delay, signed, urgency="Hỏa tốc"))
    assert result.passed is flagged and result.severity == "flag"
    assert ("phải gửi ngay" in result.message) is not flagged


def test_urgency_timing_does_not_apply_to_normal_documents():
    signed = at(2026, 3, 5, 9, 0)
    assert timing.urgent_sent_immediately(_ctx(signed, signed)).passed is None


# -- end to end, on real signed documents -----------------------------------------

@pytest.fixture(scope="module")
def signed_at(pki):
    """One real signed document per organisation signing time."""
    made = {}

    def get(moment):
        if moment not in made:
            made[moment] = signed_document(pki, org_time=moment, pdf=make_pdf())
        return made[moment]
    return get


E2E_CASES = [
    # Friday 24/4/2026 16:00, before Giỗ Tổ (Sun 26, off Mon 27): next working day Tue 28
    ("friday-before-holiday-11:59", at(2026, 4, 24, 16, 0), at(2026, 4, 28, 11, 59), True),
    ("friday-before-holiday-12:01", at(2026, 4, 24, 16, 0), at(2026, 4, 28, 12, 1), False),
    # Tết: signed the last working day before (Fri 13/2), sent the first after (Mon 23/2)
    ("tet-first-working-day", at(2026, 2, 13, 16, 0), at(2026, 2, 23, 10, 0), True),
    ("tet-afternoon-too-late", at(2026, 2, 13, 16, 0), at(2026, 2, 23, 14, 0), False),
    # make-up Saturday 22/8/2026 is the next working day after Friday 21/8
    ("make-up-saturday", at(2026, 8, 21, 16, 0), at(2026, 8, 22, 11, 0), True),
    ("after-make-up-saturday", at(2026, 8, 21, 16, 0), at(2026, 8, 24, 9, 0), False),
]


@pytest.mark.parametrize("label,signed,sent,ok", E2E_CASES, ids=[c[0] for c in E2E_CASES])
def test_sent_in_time_end_to_end(check, signed_at, label, signed, sent, ok):
    report = check(signed_at(signed), deposited_at=sent)
    result = by_code(report)["sent_in_time"]
    assert result["passed"] is ok, result["message"]
    assert result["details"]["signed_at"] == signed.isoformat()
    assert report["legal_status"] == ("equivalent_to_paper" if ok else "reference_only")
    if not ok:
        assert result["message"] in report["legal_status_reasons"]


def test_operator_calendar_setting_reaches_the_rule(tmp_path, settings, signed_at):
    path = tmp_path / "days.json"
    path.write_text(json.dumps({"days_off": {"2026-04-28": "Nghỉ đột xuất"}}))
    policy = policy_from_settings(dict(settings, **{"archive_repo.calendar": str(path)}))
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(signed_at(at(2026, 4, 24, 16, 0)))
    report = evaluate(str(pdf), {"receivers": []}, at(2026, 4, 29, 11, 0), policy)
    assert by_code(report)["sent_in_time"]["passed"] is True
