"""Art. 5.3: when a paper copy must still be sent — a flag with its reason."""
import pytest

from archive_repo.rules import paper_copy
from archive_repo.rules.model import Context, RulePolicy
from archive_repo.timeutil import now
from tests.rules.conftest import by_code
from tests.support.pdfs import make_pdf


def kinds(**metadata):
    metadata.setdefault("doctype", "CV")
    return [kind for kind, _, _ in paper_copy.reasons(metadata)]


@pytest.mark.parametrize("receivers,expected", [
    (["000.00.00.G22"], ["to_government"]),          # Văn phòng Chính phủ
    (["000.00.05.G22"], ["to_government"]),          # a unit of it
    (["000.00.00.G09"], []),                         # a ministry is not the Government
    (["000.00.00.H38", "000.00.11.H53"], []),
])
def test_documents_to_the_government(receivers, expected):
    assert kinds(subject="Báo cáo tình hình kinh tế - xã hội", receivers=receivers) == expected


@pytest.mark.parametrize("doctype,subject,expected", [
    ("QĐ", "Quyết định về việc bổ nhiệm Phó Giám đốc Sở Y tế", ["organisation_personnel"]),
    ("QĐ", "Về việc thành lập Ban Chỉ đạo chuyển đổi số", ["organisation_personnel"]),
    ("TTr", "Tờ trình đề nghị bổ nhiệm Phó Giám đốc Sở Y tế", []),   # 5.3b: decisions only
    ("CV", "Về việc cấp giấy phép xây dựng", ["licence"]),
    ("QĐ", "Về việc tặng Bằng khen cho tập thể", ["emulation_awards"]),
    ("QĐ", "quyet dinh phan bo ngan sach nam 2026", ["budget_capital"]),
    ("QĐ", "Giao kế hoạch vốn đầu tư công năm 2026", ["budget_capital"]),
    ("BC", "Báo cáo tình hình thu ngân sách quý I", []),         # about, not allocating
    ("KH", "Kế hoạch chuyển đổi số năm 2026", []),
])
def test_kinds_of_5_3b(doctype, subject, expected):
    assert kinds(doctype=doctype, subject=subject) == expected


def test_keywords_count_too_and_words_are_whole():
    assert kinds(subject="Về việc tổ chức hội nghị", keywords=["thi đua"]) == ["emulation_awards"]
    assert kinds(subject="Về việc thiđua") == []


def test_the_flag_says_why():
    ctx = Context(path="-", deposited_at=now(), policy=RulePolicy(), metadata={
        "doctype": "QĐ", "subject": "Quyết định khen thưởng", "receivers": ["000.00.00.G22"]})
    result = paper_copy.paper_copy_required(ctx)
    assert result.passed is True and result.severity == "flag"
    assert result.details["reasons"] == ["to_government", "emulation_awards"]
    assert result.message == (
        "Phải gửi kèm văn bản giấy: gửi Chính phủ, Thủ tướng Chính phủ (Điều 5, khoản 3, "
        "điểm a) — \"000.00.00.G22\"; hồ sơ, tài liệu liên quan đến thi đua, khen thưởng "
        "(Điều 5, khoản 3, điểm b) — \"khen thuong\".")


def test_the_flag_reaches_the_report_without_touching_the_status(check):
    report = check(make_pdf(), doctype="QĐ", subject="Quyết định bổ nhiệm cán bộ",
                   receivers=["000.00.00.G22"])
    assert report["flags"]["paper_copy_required"] is True
    assert report["flags"]["paper_copy_reasons"] == ["to_government", "organisation_personnel"]
    assert by_code(report)["paper_copy_required"]["message"] not in report["legal_status_reasons"]
