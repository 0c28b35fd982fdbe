"""Printable documents in the form of a Vietnamese administrative text:
minutes (biên bản), lists (mục lục), registers (sổ) and reports (báo cáo).

Decree 30/2020/NĐ-CP App. I fixes the layout that archivists expect on paper:
the issuing body top left, the national motto top right, place and date, the
title in bold capitals, the body, the signature block.  One builder serves
every concern that prints, so that a backup minute, a disposal minute and a
statistics report look like documents of the same archive::

    doc = OfficialDocument("BIÊN BẢN", "Sao lưu dữ liệu", issuer="Kho lưu trữ …")
    doc.paragraph("Hồi 17 giờ 00 …")
    doc.table(["STT", "Tệp", "SHA-256"], rows, widths=[1.2, 6, 9])
    doc.signatures(["NGƯỜI LẬP", "NGƯỜI DUYỆT"])
    pdf_bytes = doc.build()

Text is set in DejaVu, which has every Vietnamese glyph; the font files are
taken from matplotlib's package data, so a wheel install needs no system font.
"""
import io
import os
from datetime import datetime
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (Image, KeepTogether, LongTable, PageBreak, Paragraph,
                                SimpleDocTemplate, Spacer, Table, TableStyle)
from xml.sax.saxutils import escape

from . import timeutil

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
FONT, BOLD, ITALIC = "ArchiveSerif", "ArchiveSerif-Bold", "ArchiveSerif-Italic"


@cache
def register_fonts():
    """Register the DejaVu Serif family once per process."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    files = {FONT: "DejaVuSerif.ttf", BOLD: "DejaVuSerif-Bold.ttf",
             ITALIC: "DejaVuSerif-Italic.ttf"}
    for name, filename in files.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, BOLD)
    addMapping(FONT, 0, 1, ITALIC)
    addMapping(FONT, 1, 1, BOLD)
    return FONT


def _style(name, size=11, bold=False, italic=False, align=TA_LEFT, leading=None):
    font = BOLD if bold else ITALIC if italic else FONT
    return ParagraphStyle(name, fontName=font, fontSize=size, alignment=align,
                          leading=leading or size * 1.3)


STYLES = {
    "body": _style("body", 11),
    "small": _style("small", 8.5),
    "cell": _style("cell", 8.5, leading=10.5),
    "head": _style("head", 8.5, bold=True, align=TA_CENTER, leading=10.5),
    "centre": _style("centre", 11, align=TA_CENTER),
    "centre_bold": _style("centre_bold", 11, bold=True, align=TA_CENTER),
    "title": _style("title", 14, bold=True, align=TA_CENTER),
    "subtitle": _style("subtitle", 12, bold=True, align=TA_CENTER),
    "date": _style("date", 11, italic=True, align=TA_CENTER),
    "heading": _style("heading", 12, bold=True),
    "motto": _style("motto", 10, bold=True, align=TA_CENTER),
    "issuer": _style("issuer", 10, align=TA_CENTER),
}


def place_and_date(at=None, place="Lào Cai"):
    """'Lào Cai, ngày 02 tháng 12 năm 2026' (Decree 30 App. I: day and month
    below 10 written with a leading zero)."""
    at = at or timeutil.now()
    if isinstance(at, datetime):
        at = timeutil.to_vn(at)
    return "%s, ngày %02d tháng %02d năm %d" % (place, at.day, at.month, at.year)


def text(value):
    """A cell or paragraph value as safe Platypus markup."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


class OfficialDocument:
    """A document being composed; ``build()`` returns its PDF bytes."""

    def __init__(self, kind, title, issuer="", parent="", number="", at=None,
                 landscape_pages=False, author="archive_repo"):
        register_fonts()
        self.kind, self.title, self.author = kind, title, author
        self.pagesize = landscape(A4) if landscape_pages else A4
        self.story = [self._header(parent, issuer, number, at),
                      Spacer(1, 0.5 * cm),
                      Paragraph(text(kind.upper()), STYLES["title"])]
        if title:
            self.story.append(Paragraph(text(title), STYLES["subtitle"]))
        self.story.append(Spacer(1, 0.4 * cm))

    def _header(self, parent, issuer, number, at):
        width = (self.pagesize[0] - 4 * cm) / 2
        left = [Paragraph(text(parent.upper()), STYLES["issuer"])] if parent else []
        left.append(Paragraph(text(issuer.upper()), STYLES["motto"]))
        if number:
            left.append(Paragraph("Số: " + text(number), STYLES["issuer"]))
        right = [Paragraph(MOTTO[0], STYLES["motto"]),
                 Paragraph("<u>%s</u>" % MOTTO[1], STYLES["motto"]),
                 Spacer(1, 0.2 * cm),
                 Paragraph(text(place_and_date(at)), STYLES["date"])]
        table = Table([[left, right]], colWidths=[width * 0.8, width * 1.2])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return table

    # -- content -------------------------------------------------------------
    def heading(self, value):
        self.story += [Spacer(1, 0.2 * cm), Paragraph(text(value), STYLES["heading"])]

    def paragraph(self, value, style="body"):
        self.story.append(Paragraph(text(value), STYLES[style]))

    def facts(self, pairs):
        """A two-column table of label → value (who, when, what)."""
        rows = [[Paragraph(text(k), STYLES["cell"]), Paragraph(text(v), STYLES["cell"])]
                for k, v in pairs]
        usable = self.pagesize[0] - 4 * cm
        table = Table(rows, colWidths=[usable * 0.3, usable * 0.7])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        self.story.append(table)

    def table(self, headers, rows, widths=None):
        """A ruled table repeating its header on every page; ``widths`` are
        relative (scaled to the page)."""
        usable = self.pagesize[0] - 4 * cm
        widths = widths or [1] * len(headers)
        scale = usable / float(sum(widths))
        data = [[Paragraph(text(h), STYLES["head"]) for h in headers]]
        data += [[Paragraph(text(v), STYLES["cell"]) for v in row] for row in rows]
        table = LongTable(data, colWidths=[w * scale for w in widths], repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        self.story += [table, Spacer(1, 0.3 * cm)]

    def image(self, data, width_cm=16):
        """A PNG (bytes), scaled to ``width_cm`` keeping its proportions."""
        from PIL import Image as PILImage
        with PILImage.open(io.BytesIO(data)) as img:
            w, h = img.size
        width = min(width_cm * cm, self.pagesize[0] - 4 * cm)
        self.story.append(Image(io.BytesIO(data), width=width, height=width * h / w))

    def page_break(self):
        self.story.append(PageBreak())

    def signatures(self, roles, names=None):
        """The signature block: one column per role (``NGƯỜI LẬP`` …),
        with the signer's name under the space for the signature."""
        names = names or [""] * len(roles)
        cells = [[Paragraph(text(r), STYLES["centre_bold"]),
                  Paragraph("(Ký, ghi rõ họ tên)", STYLES["date"]),
                  Spacer(1, 1.8 * cm), Paragraph(text(n), STYLES["centre_bold"])]
                 for r, n in zip(roles, names)]
        self.story += [Spacer(1, 0.6 * cm), KeepTogether(Table([cells]))]

    # -- output --------------------------------------------------------------
    def build(self):
        out = io.BytesIO()
        template = SimpleDocTemplate(out, pagesize=self.pagesize, leftMargin=2 * cm,
                                     rightMargin=2 * cm, topMargin=1.8 * cm,
                                     bottomMargin=1.8 * cm, title=self.kind + " " + self.title,
                                     author=self.author, creator="archive_repo")
        template.build(list(self.story), onFirstPage=_page_number,
                       onLaterPages=_page_number)
        return out.getvalue()


def _page_number(canvas, doc):
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(doc.pagesize[0] / 2, 1 * cm, "Trang %d" % doc.page)
    canvas.restoreState()
