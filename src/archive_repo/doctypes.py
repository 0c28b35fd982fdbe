"""Document types and their abbreviations (Decree 30/2020/NĐ-CP, App. III).

``CV`` stands for công văn, which has no abbreviation in a notation
("123/UBND-VP"); the archive still needs a code for it.  The abbreviations of
Circular 01/2011/TT-BNV (in force in 2019) that differ are accepted too, so
historical imports keep their type.
"""

DOCTYPES = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    "SY": "Bản sao y",
    "TrS": "Bản trích sao",
    "SL": "Bản sao lục",
    "CV": "Công văn",
    "TCg": "Thư công",
    # Circular 01/2011/TT-BNV abbreviations (historical imports)
    "UQ": "Giấy ủy quyền",
    "NP": "Giấy nghỉ phép",
}

URGENCIES = ("Khẩn", "Thượng khẩn", "Hỏa tốc")
SECRET_LEVELS = ("Mật", "Tối mật", "Tuyệt mật")


def name_of(code):
    return DOCTYPES.get(code, code)
