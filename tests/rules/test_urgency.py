"""Art. 6.4: urgent documents are priority with their level stated (6.4a)
and carry the extra organisation signature at the urgency stamp (6.4b)."""
import pytest

from archive_repo.rules import urgency
from archive_repo.rules.model import Context, RulePolicy, SignatureFacts
from archive_repo.timeutil import now
from tests.rules.conftest import by_code


def _ctx(level, *roles):
    sigs = [SignatureFacts(field="ChuKy%d" % n, role=role) for n, role in enumerate(roles)]
    return Context(path="-", metadata={"urgency": level}, deposited_at=now(),
                   policy=RulePolicy(), signatures=sigs)


def test_normal_documents_are_not_concerned():
    ctx = _ctx(None, "personal", "organisation")
    assert urgency.urgency_marked(ctx).passed is None
    assert urgency.urgency_marked(ctx).details == {"priority": False}
    assert urgency.urgency_signature(ctx).passed is None


@pytest.mark.parametrize("written,level,priority", [
    ("Khẩn", "Khẩn", 1), ("Thượng khẩn", "Thượng khẩn", 2), ("Hỏa tốc", "Hỏa tốc", 3),
    ("Hoả tốc", "Hỏa tốc", 3),          # the older tone placement
    ("THUONG KHAN", "Thượng khẩn", 2),   # an import without diacritics
])
def test_urgent_documents_are_priority_with_their_level(written, level, priority):
    result = urgency.urgency_marked(_ctx(written, "organisation", "urgency"))
    assert result.passed is True and result.severity == "flag"
    assert result.details == {"urgency": level, "edxml_priority": priority, "priority": True}
    assert level in result.message


def test_an_unknown_level_is_still_priority_but_flagged():
    result = urgency.urgency_marked(_ctx("Khẩn cấp"))
    assert result.passed is False and result.details["priority"] is True
    assert "cần ghi rõ mức độ khẩn" in result.message


def test_urgent_document_needs_the_urgency_signature():
    missing = urgency.urgency_signature(_ctx("Hỏa tốc", "personal", "organisation"))
    assert missing.passed is False and missing.severity == "status"
    assert missing.message == ("Văn bản Hỏa tốc thiếu chữ ký số của tổ chức tại vị trí dấu chỉ "
                               "mức độ khẩn (Điều 6, khoản 4, điểm b).")
    present = urgency.urgency_signature(_ctx("Hỏa tốc", "personal", "organisation", "urgency"))
    assert present.passed is True and present.details == {"fields": ["ChuKy2"]}


def test_urgent_signed_document_end_to_end(check, urgent_pdf):
    report = check(urgent_pdf, urgency="Thượng khẩn")
    checks = by_code(report)
    assert checks["urgency_signature"]["passed"] is True
    assert report["flags"]["priority"] is True and report["flags"]["urgency"] == "Thượng khẩn"
    assert report["legal_status"] == "equivalent_to_paper", report["legal_status_reasons"]


def test_document_declared_urgent_without_the_stamp_signature(check, good_pdf):
    report = check(good_pdf, urgency="Khẩn")
    assert report["legal_status"] == "reference_only"
    assert by_code(report)["urgency_signature"]["message"] in report["legal_status_reasons"]
    assert report["flags"]["priority"] is True
