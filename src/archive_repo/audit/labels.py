"""How the audit trail reads to a person: actions and outcomes in
Vietnamese, and who acted named as people know them."""

ACTIONS = {
    "deposit": "Nộp lưu",
    "accept": "Tiếp nhận, vào sổ văn bản đến",
    "refuse": "Từ chối nhận",
    "recall": "Thu hồi văn bản",
    "acknowledge_recall": "Xác nhận thu hồi, hủy bản đã nhận",
    "new_version": "Bổ sung phiên bản",
    "revalidate": "Kiểm tra lại theo Quy chế",
    "import_edxml": "Nhập từ thông điệp edXML",
    "status_edxml": "Nhận trạng thái edXML",
    "read_document": "Đọc tệp văn bản",
    "view_record": "Xem văn bản",
    "read": "Truy cập",
    "write": "Thao tác ghi",
    "sign_in": "Đăng nhập",
    "sign_out": "Đăng xuất",
    "lock_out": "Khóa tài khoản tạm thời",
    "user_add": "Thêm người dùng",
    "user_password": "Đặt mật khẩu",
    "user_disable": "Khóa người dùng",
}

OUTCOMES = {"ok": "Thành công", "refused": "Bị từ chối", "locked": "Đã khóa",
            "no_op": "Không thay đổi", "duplicate": "Trùng lặp"}

ROLES = {"clerk": "Văn thư", "archivist": "Lưu trữ viên", "connector": "Kết nối liên thông",
         "admin": "Quản trị"}


def action_label(code):
    return ACTIONS.get(code, code)


def outcome_label(code):
    return OUTCOMES.get(code, code)


def actor_label(entry, agency_name=lambda code: code):
    """The person as named that day, else the role and agency of the token,
    else the system or an anonymous caller."""
    detail = entry.get("detail") or {}
    if detail.get("by"):
        return detail["by"]
    actor = entry.get("actor")
    if actor == "system":
        return "Hệ thống (lệnh quản trị)"
    if actor == "anonymous":
        return "Chưa đăng nhập"
    parts = [ROLES.get(entry.get("role"), entry.get("role") or "")]
    if entry.get("agency"):
        parts.append(agency_name(entry["agency"]))
    return ", ".join(p for p in parts if p) + " (token %s)" % actor


def shown(entry, agency_name=lambda code: code):
    """An entry as a page shows it."""
    return dict(entry, action_label=action_label(entry.get("action")),
                outcome_label=outcome_label(entry.get("outcome")),
                actor_label=actor_label(entry, agency_name))
