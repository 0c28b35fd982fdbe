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
from .dossiers import document_list

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


# -- deposit: the deposit list and the hand-over record (App. V) --------------------

LIST_HEADERS = ["STT", "Số, ký hiệu hồ sơ", "Tiêu đề hồ sơ", "Thời gian tài liệu",
                "Thời hạn bảo quản", "Số tờ/trang", "Ghi chú"]


def date_range(dossier):
    start, end = dossier.fields.get("start_date"), dossier.fields.get("end_date")
    return "%s – %s" % (timeutil.vn_date(start), timeutil.vn_date(end))


def list_rows(deposit):
    return [[no, d.number, d.title, date_range(d), d.retention.label,
             (d.totals or {}).get("page_count", ""), d.file_code]
            for no, d in enumerate(deposit.dossiers, start=1)]


def deposit_list_pdf(deposit):
    agency = deposit.agency
    doc = printing.OfficialDocument("MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU",
                                    "Nộp lưu vào %s" % deposit.archive,
                                    issuer=agency.name or agency.code, landscape_pages=True,
                                    at=deposit.submitted_at)
    doc.table(LIST_HEADERS, list_rows(deposit), widths=[1, 2.5, 7, 3.5, 2.5, 2, 4])
    t = deposit.totals()
    doc.paragraph("Mục lục này gồm %d hồ sơ, %d tệp văn bản." % (t["dossiers"], t["files"]))
    doc.signatures(["NGƯỜI LẬP"], [deposit.handed_by])
    return doc.build()


def handover_facts(deposit):
    start, end = deposit.date_range()
    t = deposit.totals()
    return [
        ("Căn cứ", "Điều 30, Điều 31 Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ "
                   "về công tác văn thư; Danh mục hồ sơ của cơ quan"),
        ("Bên giao", "%s — %s" % (deposit.agency.name or deposit.agency.code, deposit.handed_by)),
        ("Bên nhận", "%s — %s" % (deposit.archive, deposit.received_by or "(chưa tiếp nhận)")),
        ("Ngày giao", timeutil.show_date(deposit.submitted_at)),
        ("Ngày nhận", timeutil.show_date(deposit.decided_at) if deposit.decided_at else ""),
        ("Tên khối tài liệu", "Tài liệu của %s" % (deposit.agency.name or deposit.agency.code)),
        ("Thời gian của tài liệu", "%s – %s" % (timeutil.vn_date(start), timeutil.vn_date(end))),
        ("Số lượng tài liệu", "%d hồ sơ, %d tệp (tài liệu điện tử)" % (t["dossiers"],
                                                                      t["files"])),
        ("Tình trạng tài liệu", "Đã kiểm tra đủ văn bản theo mục lục, mã SHA-256 của từng tệp "
                                "và tính toàn vẹn của chữ ký số"),
        ("Công cụ tra cứu kèm theo", "Mục lục hồ sơ, tài liệu nộp lưu"),
    ]


def handover_pdf(deposit):
    doc = printing.OfficialDocument("BIÊN BẢN", "Về việc giao nhận tài liệu",
                                    issuer=deposit.archive, at=deposit.decided_at
                                    or deposit.submitted_at)
    doc.facts(handover_facts(deposit))
    doc.paragraph("Biên bản này được lập thành hai bản; mỗi bên giữ một bản. Kèm theo mục lục "
                  "hồ sơ, tài liệu nộp lưu.")
    doc.signatures(["ĐẠI DIỆN BÊN GIAO", "ĐẠI DIỆN BÊN NHẬN"],
                   [deposit.handed_by, deposit.received_by or ""])
    return doc.build()


def deposit_xml(deposit, kind):
    """``kind`` ``list`` (the deposit list) or ``handover`` (the hand-over
    record): the same facts as the PDFs, for machines."""
    root = etree.Element("MucLucNopLuu" if kind == "list" else "BienBanGiaoNhan",
                         agency=deposit.agency.code, deposit=deposit.path,
                         submittedAt=timeutil.isoformat(deposit.submitted_at))
    if kind == "handover":
        for label, value in handover_facts(deposit):
            sub(root, "Muc", value, ten=label)
        sub(root, "TrangThai", deposit.state)
        if deposit.return_reason:
            sub(root, "LyDoTraLai", deposit.return_reason)
    for no, d in enumerate(deposit.dossiers, start=1):
        node = sub(root, "HoSo", stt=no, maHoSo=d.file_code)
        sub(node, "SoKyHieu", d.number)
        sub(node, "TieuDe", d.title)
        sub(node, "BatDau", d.fields.get("start_date") or "")
        sub(node, "KetThuc", d.fields.get("end_date") or "")
        sub(node, "ThoiHanBaoQuan", d.retention.label, ma=d.retention.code)
        sub(node, "SoTrang", (d.totals or {}).get("page_count", 0))
        for path, number, sha in (d.totals or {}).get("members", ()):
            sub(node, "VanBan", path, phienBan=number, sha256=sha)
    return xml_bytes(root)


# -- disposal: the list proposed and the destruction minute ------------------------

DISPOSAL_HEADERS = ["STT", "Văn bản", "Trích yếu", "Thời hạn", "SHA-256"]


def disposal_rows(batch):
    if batch.destroyed:
        return [[no, "%s (%s)" % (s["path"], s.get("notation") or ""), s.get("subject") or "",
                 s["retention"]["label"], "\n".join(v["sha256"] for v in s["versions"])]
                for no, s in enumerate(batch.destroyed, start=1)]
    return [[no, r.path, r.metadata.get("subject") or "", "", r.current.sha256]
            for no, r in enumerate(batch.records(), start=1)]


def minute_pdf(batch):
    agency = batch.agency
    decision = batch.attachments["decision"].meta
    doc = printing.OfficialDocument("BIÊN BẢN", "Về việc tiêu hủy tài liệu hết giá trị",
                                    issuer=agency.name or agency.code, at=batch.executed_at)
    doc.facts([
        ("Căn cứ", "Quyết định số %s ngày %s của %s về việc tiêu hủy tài liệu hết giá trị"
                   % (decision["number"], timeutil.vn_date(decision["date"]),
                      decision["signer"])),
        ("Thời gian thực hiện", timeutil.show_datetime(batch.executed_at)),
        ("Người thực hiện", batch.executed_by),
        ("Danh sách", batch.path),
        ("Số lượng", "%d hồ sơ, %d văn bản (%d tệp)" % (
            len(batch.dossiers), len(batch.destroyed),
            sum(len(s["versions"]) for s in batch.destroyed))),
        ("Phương thức", "Xóa toàn bộ dữ liệu của các tệp khỏi kho lưu trữ; giữ lại thông tin "
                        "nhận dạng và mã SHA-256 của từng tệp đã hủy"),
    ])
    doc.table(DISPOSAL_HEADERS, disposal_rows(batch), widths=[1, 4, 6, 2, 7])
    doc.signatures(["NGƯỜI THỰC HIỆN", "NGƯỜI GIÁM SÁT"], [batch.executed_by, ""])
    return doc.build()


def disposal_list_pdf(batch):
    agency = batch.agency
    doc = printing.OfficialDocument("DANH MỤC TÀI LIỆU HẾT GIÁ TRỊ", "Đề nghị tiêu hủy",
                                    issuer=agency.name or agency.code, at=batch.made_at)
    doc.table(DISPOSAL_HEADERS, disposal_rows(batch), widths=[1, 4, 6, 2, 7])
    doc.heading("Thuyết minh")
    doc.paragraph(batch.note)
    return doc.build()


# -- a dossier's own export: its document list (App. V) and its fields ----------------

DOCUMENT_HEADERS = ["STT", "Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu nội dung",
                    "Tác giả", "Tờ/Trang số", "Ghi chú"]


def document_list_pdf(dossier):
    agency = dossier.agency
    doc = printing.OfficialDocument("MỤC LỤC VĂN BẢN", "Hồ sơ %s: %s" % (dossier.number,
                                                                        dossier.title),
                                    issuer=agency.name or agency.code, landscape_pages=True)
    doc.facts([("Mã hồ sơ", dossier.file_code),
               ("Thời hạn bảo quản", dossier.retention.label),
               ("Thời gian", "%s – %s" % (timeutil.vn_date(dossier.fields.get("start_date")),
                                          timeutil.vn_date(dossier.fields.get("end_date")))),
               ("Người lập", dossier.fields.get("owner") or "")])
    rows = [[r["no"], r["number_notation"], timeutil.vn_date(r["date"]), r["type_and_summary"],
             r["author"], r["page"], r["notes"]] for r in document_list(dossier)]
    doc.table(DOCUMENT_HEADERS, rows, widths=[1, 3, 2.5, 9, 4, 1.8, 2.5])
    doc.paragraph("Mục lục này gồm %d văn bản." % len(rows))
    return doc.build()


def dossier_xml(dossier):
    """The dossier's fields (Circular 05/2025 names in English) and its
    documents in time order, each with its version and SHA-256."""
    root = etree.Element("HoSo", fileCode=dossier.file_code, state=dossier.state,
                         path=dossier.path)
    fields = sub(root, "Fields")
    for name, value in sorted(dossier.fields.items()):
        if value not in (None, "", [], ()):
            sub(fields, name, ", ".join(value) if isinstance(value, list) else value)
    sub(fields, "retention_code", dossier.retention.code)
    if dossier.retention.years:
        sub(fields, "retention_years", dossier.retention.years)
    documents = sub(root, "Documents")
    for row in document_list(dossier):
        record = row["record"]
        node = sub(documents, "Document", no=row["no"], path=record.path,
                   version=record.current.number, sha256=record.current.sha256)
        for key in ("number_notation", "date", "type_and_summary", "author", "page", "notes"):
            sub(node, key, row[key] if row[key] is not None else "")
    return xml_bytes(root)
