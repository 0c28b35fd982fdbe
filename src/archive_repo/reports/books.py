"""The Decree 30 registers of an agency and a year (App. VI), printable as
PDF (``archive_repo.printing``, landscape) and XLSX:

* ``outgoing`` — sổ đăng ký văn bản đi, 10 columns: number and notation;
  date; type and subject; signer; recipients; unit keeping the file copy;
  copies; date sent; receipt; notes;
* ``incoming`` — sổ đăng ký văn bản đến, 10 columns: date received;
  incoming number; author; number and notation; date of the document; type
  and subject; unit or person it goes to; date passed on; receipt; notes;
* ``handling`` — how incoming documents were handled against the deadline
  (accepted or refused within N working days of arrival, late, or still
  waiting; N is ``archive_repo.report_waiting_days``).

Each book is ``(title, headers, widths, rows(root, agency, year, context))``
in ``BOOKS``; rows come from the tree (one agency-year: the records
themselves, not the facts ledger, since the register needs every particular).
"""
import io

from .. import timeutil
from ..doctypes import DOCTYPES
from ..errors import ArchiveError, BadRequest
from ..printing import OfficialDocument
from ..rules import rule_policy
from ..rules.calendar import calendar_for
from ..settings import get_settings
from ..workflow.deliveries import INBOX, REFUSAL_REASONS, STATE_LABELS, index_of
from ..workflow.incoming import register_of

KEEPER = "Văn thư cơ quan (bản lưu điện tử tại Kho lưu trữ)"


def _date(text):
    return timeutil.show_date(timeutil.parse_date(text)) if text else ""


def _names(root, codes):
    return "; ".join(getattr(root.agencies.get(c), "name", c) or c for c in codes)


def _kind_and_subject(meta):
    kind = DOCTYPES.get(meta.get("doctype"), meta.get("doctype") or "")
    return "%s: %s" % (kind, meta.get("subject") or "") if kind else meta.get("subject") or ""


def _receipt(d):
    when = d.accepted_at or d.refused_at or d.recalled_at
    return "%s: %s%s" % (d.receiver, STATE_LABELS[d.state],
                         " (%s)" % timeutil.show_date(when) if when else "")


def _notes(record):
    notes = []
    if record.legal_status != "equivalent_to_paper":
        notes.append("Chỉ có giá trị tham khảo")
    if record.recall is not None:
        notes.append("Đã thu hồi ngày %s: %s" % (timeutil.show_date(record.recall.at),
                                                  record.recall.reason))
    if len(record.versions) > 1:
        notes.append("%d phiên bản" % len(record.versions))
    if record.metadata.get("urgency"):
        notes.append(record.metadata["urgency"])
    return "; ".join(notes)


def outgoing_rows(root, agency, year, context):
    container = agency.data.get(year)
    for record in (container.values() if container is not None else ()):
        meta = record.metadata
        yield ["%d/%s" % (record.number, meta.get("notation") or ""),
               _date(meta.get("issued_on")), _kind_and_subject(meta), meta.get("signer") or "",
               _names(root, meta.get("receivers") or ()), KEEPER,
               1 + len(record.deliveries), timeutil.show_date(record.deposited_at),
               "\n".join(_receipt(d) for d in record.deliveries), _notes(record)]


def incoming_rows(root, agency, year, context):
    register = register_of(agency)
    entries = register.year(year) if register is not None else None
    for entry in (entries.values() if entries is not None else ()):
        p = entry.particulars or {}
        cancelled = "Đã hủy ngày %s (bên gửi thu hồi: %s)" % (
            timeutil.show_date(entry.cancelled_at), entry.cancel_reason) \
            if entry.cancelled else ""
        yield [timeutil.show_date(entry.received_at), entry.number,
               _names(root, [p["sender"]]) if p else "",
               "%s/%s" % (p.get("number"), p.get("notation") or "") if p else "",
               _date(p.get("issued_on")), _kind_and_subject(p) if p else "",
               entry.handler or "", timeutil.show_date(entry.received_at) if entry.handler
               else "", "Tiếp nhận điện tử", "; ".join(
                   x for x in (p.get("urgency") if p else None, cancelled) if x)]


def _verdict(delivery, waited, days):
    if delivery.recall_requested_at is not None and not (delivery.accepted_at
                                                         or delivery.refused_at):
        return "Bên gửi đã thu hồi"
    if delivery.accepted_at or delivery.refused_at:
        return "Đúng hạn" if waited <= days else "Quá hạn"
    return "Đang chờ, quá hạn" if waited > days else "Đang chờ, trong hạn"


def handling_rows(root, agency, year, context):
    calendar, days, today = context["calendar"], context["days"], context["today"]
    inbox = index_of(agency, INBOX)
    arrived = sorted((d for d in (inbox.values() if inbox is not None else ())
                      if timeutil.to_vn(d.sent_at).year == year), key=lambda d: d.sent_at)
    for delivery in arrived:
        sent = timeutil.to_vn(delivery.sent_at)
        done = delivery.accepted_at or delivery.refused_at
        waited = calendar.working_days_between(
            sent.date(), timeutil.to_vn(done).date() if done else today)
        record = delivery.record
        yield ["%d/%s" % (record.number, record.metadata.get("notation") or ""),
               _names(root, [record.agency_code]), _kind_and_subject(record.metadata),
               timeutil.show_datetime(sent), STATE_LABELS[delivery.state],
               timeutil.show_datetime(done) if done else "", waited,
               _verdict(delivery, waited, days),
               REFUSAL_REASONS[delivery.refusal[0]] if delivery.refusal else "",
               record.metadata.get("urgency") or ""]


BOOKS = {
    "outgoing": ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", [
        "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
        "Người ký", "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản",
        "Ngày chuyển", "Ký nhận", "Ghi chú"], [2.5, 2.1, 4.4, 2, 2.8, 2.2, 1.3, 2.1, 3.2, 2.4],
        outgoing_rows),
    "incoming": ("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", [
        "Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ngày chuyển",
        "Ký nhận", "Ghi chú"], [2.1, 1.3, 2.8, 2.5, 2.1, 4.4, 2.4, 2.1, 1.9, 2.6], incoming_rows),
    "handling": ("BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN THEO THỜI HẠN", [
        "Số, ký hiệu văn bản", "Cơ quan gửi", "Tên loại và trích yếu nội dung",
        "Thời điểm nhận", "Tình trạng", "Thời điểm xử lý", "Số ngày làm việc",
        "Đánh giá", "Lý do từ chối", "Độ khẩn"], [2.5, 2.8, 4.2, 2.4, 2.6, 2.4, 1.4, 2, 2.6, 1.4],
        handling_rows),
}
FORMATS = {"pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def book_rows(root, kind, code, year, context):
    if kind not in BOOKS:
        raise BadRequest("invalid_book", "Loại sổ phải là một trong: %s." % ", ".join(BOOKS),
                         [{"field": "kind", "value": kind}])
    agency = root.agencies.get(code)
    if agency is None:
        raise ArchiveError("unknown_agency", "Không có cơ quan mã %s trong kho." % code,
                           [{"field": "agency", "value": code}], status=404)
    title, headers, widths, rows = BOOKS[kind]
    return agency, title, headers, widths, list(rows(root, agency, year, context))


def render_pdf(agency, year, title, headers, widths, rows, context):
    doc = OfficialDocument(title, "Năm %d" % year, issuer=agency.name or agency.code,
                           at=context.get("at"), landscape_pages=True)
    doc.paragraph("Cơ quan: %s (%s). Số dòng: %d." % (agency.name, agency.code, len(rows)),
                  "small")
    doc.table(headers, rows, widths=widths)
    return doc.build()


def render_xlsx(agency, year, title, headers, widths, rows, context):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    book = Workbook()
    sheet = book.active
    sheet.title = title.title()[:31]
    sheet.append(["%s — %s (%s) — năm %d" % (title, agency.name, agency.code, year)])
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A3"
    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width * 7
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


RENDER = {"pdf": render_pdf, "xlsx": render_xlsx}


def context_for(registry):
    """What the books need besides the tree: the working calendar, N, today."""
    return {"calendar": calendar_for(rule_policy(registry)),
            "days": get_settings(registry).report_waiting_days,
            "today": timeutil.now().date(), "at": timeutil.now()}


def make_book(root, kind, code, year, fmt, context):
    """The book's bytes; ``context``: ``calendar``, ``days``, ``today``, ``at``."""
    if fmt not in RENDER:
        raise BadRequest("invalid_format", "Định dạng sổ phải là pdf hoặc xlsx.",
                         [{"field": "format", "value": fmt}])
    agency, title, headers, widths, rows = book_rows(root, kind, code, year, context)
    return RENDER[fmt](agency, year, title, headers, widths, rows, context)
