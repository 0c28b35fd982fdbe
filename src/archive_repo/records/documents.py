"""The documents records management prints and exports, in the layouts of
Decree 30/2020 App. V: the file plan (PDF, XLSX), the deposit list and the
hand-over record (PDF, XML), the destruction minute (PDF).  PDFs through
``archive_repo.printing``; XLSX through openpyxl; XML through lxml."""
import io

from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .. import printing, timeutil
from . import fileplan as fp

PLAN_HEADERS = ["Số và ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ", "Thời hạn bảo quản",
                "Đơn vị/người lập hồ sơ", "Ghi chú"]
PLAN_WIDTHS = [2.5, 8, 2.5, 3, 2.5]


def plan_summary(plan):
    t = plan.totals()
    return ("Bản danh mục hồ sơ này có %d hồ sơ, bao gồm: %d hồ sơ bảo quản vĩnh viễn; "
            "%d hồ sơ bảo quản có thời hạn." % (t["total"], t["permanent"], t["limited"]))


def plan_pdf(plan, agency_name):
    doc = printing.OfficialDocument("DANH MỤC HỒ SƠ", "Năm %d" % plan.year, issuer=agency_name,
                                    landscape_pages=True)
    if plan.approved:
        a = plan.approval
        doc.paragraph("(Ban hành kèm theo Quyết định số %s ngày %s của %s)"
                      % (a["decision"], timeutil.vn_date(a["approved_on"]), a["position"]))
    doc.table(PLAN_HEADERS, [cells for _, cells in fp.rows(plan)], widths=PLAN_WIDTHS)
    doc.paragraph(plan_summary(plan))
    doc.signatures(["THỦ TRƯỞNG CƠ QUAN"],
                   [plan.approval["approved_by"] if plan.approved else ""])
    return doc.build()


def plan_xlsx(plan, agency_name):
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh mục hồ sơ %d" % plan.year
    sheet.append([agency_name])
    sheet.append(["DANH MỤC HỒ SƠ NĂM %d" % plan.year])
    sheet.append(PLAN_HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for kind, cells in fp.rows(plan):
        sheet.append(cells)
        if kind == "heading":
            sheet.cell(sheet.max_row, 2).font = Font(bold=True)
    sheet.append([])
    sheet.append([plan_summary(plan)])
    if plan.approved:
        sheet.append(["Duyệt: %s, Quyết định số %s ngày %s" % (
            plan.approval["approved_by"], plan.approval["decision"],
            timeutil.vn_date(plan.approval["approved_on"]))])
    for letter, width in zip("ABCDE", (18, 60, 16, 24, 18)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xml_bytes(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def sub(parent, tag, value=None, **attrs):
    node = etree.SubElement(parent, tag, **{k: str(v) for k, v in attrs.items()})
    if value is not None:
        node.text = str(value)
    return node
