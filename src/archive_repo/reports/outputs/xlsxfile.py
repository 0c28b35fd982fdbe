"""The report as a workbook (openpyxl): one sheet per table, Vietnamese
headers, real number cells, column widths set, the header row frozen."""
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .csvfile import HEADERS, TABLES, indicator_rows

HEAD = Font(bold=True)
FILL = PatternFill("solid", fgColor="F0E6E6")
SHEET_NAMES = {"per_month_agency": "Theo tháng", "failing_rules": "Quy định không đạt",
               "refusal_reasons": "Lý do từ chối", "deposit_refusal_causes": "Nộp lưu bị từ chối",
               "acceptance_hours": "Thời gian tiếp nhận"}


def _sheet(book, title, intro, headers, rows, widths):
    sheet = book.create_sheet(title)
    for line in intro:
        sheet.append(line)
    sheet.append(headers)
    head_row = sheet.max_row
    for cell in sheet[head_row]:
        cell.font, cell.fill = HEAD, FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = sheet.cell(row=head_row + 1, column=1)
    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    return sheet


def render(report, context=None):
    book = Workbook()
    book.remove(book.active)
    intro = [["Kỳ báo cáo", report["period"], report["period_detail"]["label"]],
             ["Phạm vi", report["scope"], report["scope_detail"]["label"]]]
    rows = [[None if v == "" else v for v in row] for row in indicator_rows(report)]
    _sheet(book, "Chỉ tiêu", intro, HEADERS, rows, [30, 48, 12, 26, 10, 10])
    for key, _title, headers, fields in TABLES:
        _sheet(book, SHEET_NAMES[key], [], headers,
               ([r[f] for f in fields] for r in report["tables"][key]),
               [max(12, len(h) + 4) for h in headers[:-1]] + [12])
    definitions = [[d["code"], d["label"], d["definition"]] for d in report["definitions"]]
    _sheet(book, "Định nghĩa", [], ["Mã chỉ tiêu", "Chỉ tiêu", "Định nghĩa"], definitions,
           [30, 40, 90])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
