"""Search results as a table to take away: CSV (UTF-8 with BOM, so that
spreadsheet programs read the Vietnamese right) and XLSX (openpyxl) — Decree
30, App. VI asks the system to export lists in both."""
import csv
import io

from .. import timeutil
from ..doctypes import DOCTYPES

COLUMNS = ("Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Loại văn bản", "Trích yếu",
           "Giá trị pháp lý", "Độ khẩn", "Đã thu hồi", "Địa chỉ")
STATUS = {"equivalent_to_paper": "Tương đương văn bản giấy", "reference_only": "Chỉ để tham khảo"}
# all results of one search; more is a job for ``archive-repo`` exports
MAX_ROWS = 5000


def rows_of(results, agency_names):
    for r in results:
        yield ["%s/%s" % (r.get("number"), r.get("notation") or ""),
               timeutil.vn_date(r.get("issued_on")),
               agency_names.get(r.get("agency"), r.get("agency")),
               DOCTYPES.get(r.get("doctype"), r.get("doctype") or ""),
               r.get("subject") or "",
               STATUS.get(r.get("legal_status"), r.get("legal_status") or ""),
               r.get("urgency") or "Thường",
               "Có" if r.get("recalled") else "Không",
               r.get("url")]


def as_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(rows, title):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả tìm kiếm"
    sheet.append([title])
    sheet.append(list(COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for letter, width in zip("ABCDEFGHI", (16, 14, 34, 16, 60, 24, 12, 10, 50)):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
