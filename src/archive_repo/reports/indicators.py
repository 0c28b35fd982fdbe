"""The fixed set of indicators (Art. 11.2; Decree 30 App. VI): a table of
code (stable: scripts and the Province's spreadsheets read it), Vietnamese
label, definition (printed with every report) and the function of the
:class:`~archive_repo.reports.tally.Tally` that gives the figure.

``of`` names the indicator that is this one's denominator: a report never
shows a percentage without it (``percentages`` in the JSON carries both).
"""
from dataclasses import dataclass
from statistics import median
from typing import Callable, Optional


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    definition: str
    value: Callable
    of: Optional[str] = None
    group: str = "out"


def count(code):
    return lambda tally: tally[code]


def percentile(values, share):
    """Nearest-rank percentile (no interpolation: a figure that happened)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 100))
    return round(ordered[int(rank) - 1], 2)


def median_hours(tally):
    return round(median(tally.accept_hours), 2) if tally.accept_hours else None


def _i(code, label, definition, of=None, group="out", value=None):
    return Indicator(code, label, definition, value or count(code), of, group)


DOCUMENTS = [
    _i("out_total", "Văn bản điện tử ban hành",
       "Văn bản đã đăng ký trong kho có ngày ban hành trong kỳ (không gồm văn bản mật: "
       "văn bản mật không được tiếp nhận, Điều 1, khoản 2)."),
    _i("out_born_digital", "Văn bản điện tử tạo lập từ đầu",
       "Văn bản ban hành trong kỳ không phải bản số hóa.", "out_total"),
    _i("out_digitized", "Văn bản số hóa từ văn bản giấy",
       "Văn bản ban hành trong kỳ là bản số hóa (Điều 8).", "out_total"),
    _i("out_personal_signature", "Có chữ ký số cá nhân",
       "Văn bản ban hành trong kỳ có ít nhất một chữ ký số của người có thẩm quyền.",
       "out_total"),
    _i("out_organisation_signature", "Có chữ ký số của cơ quan, tổ chức",
       "Văn bản ban hành trong kỳ có ít nhất một chữ ký số của cơ quan, tổ chức.",
       "out_total"),
    _i("out_equivalent_to_paper", "Có giá trị pháp lý như văn bản giấy",
       "Văn bản ban hành trong kỳ đáp ứng mọi quy định tại Điều 6 (Điều 4, khoản 1).",
       "out_total"),
    _i("out_reference_only", "Chỉ có giá trị tham khảo",
       "Văn bản ban hành trong kỳ không đáp ứng ít nhất một quy định tại Điều 6 "
       "(Điều 4, khoản 2); các quy định không đạt xem bảng theo điều khoản.", "out_total"),
    _i("out_timed", "Văn bản xác định được thời hạn gửi",
       "Văn bản ban hành trong kỳ có chữ ký số của tổ chức nên xét được thời hạn gửi "
       "(Điều 6, khoản 1, điểm b).", "out_total"),
    _i("out_sent_in_time", "Gửi đúng hạn",
       "Gửi trong ngày ký số hoặc chậm nhất 12h00 ngày làm việc tiếp theo "
       "(Điều 6, khoản 1, điểm b).", "out_timed"),
    _i("out_sent_late", "Gửi chậm",
       "Gửi sau 12h00 ngày làm việc tiếp theo ngày ký số (Điều 6, khoản 1, điểm b).",
       "out_timed"),
    _i("out_urgent", "Văn bản khẩn",
       "Văn bản ban hành trong kỳ có mức độ khẩn (Khẩn, Thượng khẩn, Hỏa tốc).",
       "out_total"),
    _i("out_urgent_at_once", "Văn bản khẩn được gửi ngay",
       "Văn bản khẩn gửi trong vòng 1 giờ sau khi ký số (Điều 6, khoản 4, điểm c).",
       "out_urgent"),
]

DELIVERIES = [
    _i("deliveries_sent", "Lượt gửi văn bản", "Lượt gửi (mỗi nơi nhận một lượt) trong kỳ.",
       group="deliveries"),
    _i("deliveries_decided", "Lượt được bên nhận xử lý",
       "Lượt gửi được bên nhận tiếp nhận hoặc từ chối trong kỳ.", group="deliveries"),
    _i("deliveries_accepted", "Lượt được tiếp nhận",
       "Lượt gửi được bên nhận tiếp nhận, vào sổ văn bản đến trong kỳ (Điều 7, khoản 1).",
       "deliveries_decided", "deliveries"),
    _i("deliveries_refused", "Lượt bị từ chối",
       "Lượt gửi bị bên nhận từ chối trong kỳ (Điều 5, khoản 5; Điều 7, khoản 2); lý do "
       "xem bảng lý do từ chối.", "deliveries_decided", "deliveries"),
    _i("deliveries_waiting", "Lượt chờ tiếp nhận quá hạn",
       "Lượt gửi đến ngày cuối kỳ vẫn chưa được tiếp nhận hay từ chối sau hơn N ngày làm "
       "việc (N: cấu hình archive_repo.report_waiting_days).", group="deliveries"),
    _i("acceptance_median_hours", "Thời gian tiếp nhận, trung vị (giờ)",
       "Trung vị số giờ từ lúc gửi đến lúc được tiếp nhận, các lượt tiếp nhận trong kỳ.",
       group="deliveries", value=median_hours),
    _i("acceptance_p90_hours", "Thời gian tiếp nhận, phân vị 90 (giờ)",
       "90% lượt tiếp nhận trong kỳ được tiếp nhận trong không quá số giờ này.",
       group="deliveries", value=lambda t: percentile(t.accept_hours, 90)),
    _i("recalls", "Văn bản bị thu hồi",
       "Văn bản có thông báo thu hồi trong kỳ (Điều 7, khoản 3).", group="deliveries"),
    _i("recall_acknowledgements", "Lượt bên nhận xác nhận thu hồi",
       "Lượt bên nhận xác nhận đã hủy bản nhận của văn bản bị thu hồi, trong kỳ.",
       group="deliveries"),
    _i("incoming_registered", "Văn bản đến được vào sổ",
       "Văn bản điện tử được cơ quan trong phạm vi báo cáo tiếp nhận, vào sổ văn bản "
       "đến trong kỳ.", group="incoming"),
]

REFUSALS = [
    _i("deposit_refusals", "Lượt nộp lưu bị từ chối",
       "Lượt nộp lưu văn bản bị kho từ chối trong kỳ (không lưu gì), theo nhật ký kiểm tra.",
       group="deposits"),
    _i("deposit_refusals_state_secret", "— do là văn bản mật",
       "Văn bản mật bị từ chối (Điều 1, khoản 2): không được tính là văn bản điện tử.",
       "deposit_refusals", "deposits"),
    _i("deposit_refusals_unreadable", "— do tệp không đọc được",
       "Tệp PDF hoặc chữ ký số không đọc được.", "deposit_refusals", "deposits"),
    _i("deposit_refusals_tampered", "— do văn bản bị thay đổi sau khi ký",
       "Chữ ký số không còn toàn vẹn hoặc văn bản bị sửa sau khi ký.", "deposit_refusals",
       "deposits"),
    _i("deposit_refusals_other", "— do lý do khác", "Các lượt từ chối còn lại.",
       "deposit_refusals", "deposits"),
]

# ---- Dossier indicators (issue 15): counted by reports/dossiers.py ------------
DOSSIERS = [
    _i("dossiers_closed", "Hồ sơ được kết thúc",
       "Hồ sơ kết thúc (khóa hồ sơ) trong kỳ.", group="dossiers"),
    _i("dossiers_deposited", "Hồ sơ nộp lưu vào Lưu trữ cơ quan",
       "Hồ sơ được Lưu trữ cơ quan tiếp nhận trong kỳ.", group="dossiers"),
    _i("dossiers_overdue", "Hồ sơ quá hạn nộp lưu",
       "Hồ sơ đến ngày cuối kỳ đã quá hạn nộp lưu mà chưa giao nộp.", group="dossiers"),
]

INDICATORS = DOCUMENTS + DELIVERIES + REFUSALS + DOSSIERS
BY_CODE = {i.code: i for i in INDICATORS}
GROUPS = {"out": "Văn bản đi", "deliveries": "Gửi, nhận văn bản", "incoming": "Văn bản đến",
          "deposits": "Nộp lưu bị từ chối", "dossiers": "Hồ sơ"}


def figures(tally):
    return {i.code: i.value(tally) for i in INDICATORS}


def percentages(values):
    """``{code: {"of", "numerator", "denominator", "percent"}}`` for every
    indicator with a denominator; ``percent`` is None when it is 0."""
    out = {}
    for i in INDICATORS:
        if i.of is None:
            continue
        num, den = values[i.code], values[i.of]
        out[i.code] = {"of": i.of, "numerator": num, "denominator": den,
                       "percent": round(100.0 * num / den, 2) if den else None}
    return out


def definitions():
    return [{"code": i.code, "label": i.label, "definition": i.definition, "of": i.of,
             "group": i.group} for i in INDICATORS]
