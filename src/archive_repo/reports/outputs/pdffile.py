"""The report as an official report (báo cáo, Decree 30 App. I form, through
``archive_repo.printing``): the issuer, place and date, the period and
scope, the indicators with their denominators, the tables, the charts, and
who generated it when."""
from ... import timeutil
from ...printing import OfficialDocument
from .. import charts
from .csvfile import TABLES, indicator_rows


def _value(v):
    if v == "" or v is None:
        return ""
    return ("%.2f" % v).rstrip("0").rstrip(".") if isinstance(v, float) else str(v)


def render(report, context=None):
    context = context or {}
    doc = OfficialDocument("BÁO CÁO", "Tình hình gửi, nhận và lưu trữ văn bản điện tử "
                           + report["period_detail"]["label"],
                           issuer=context.get("issuer", ""), number=context.get("number", ""),
                           at=context.get("at"))
    doc.facts([("Kỳ báo cáo", "%s (%s – %s)" % (
                   report["period_detail"]["label"],
                   timeutil.show_date(timeutil.parse_date(report["period_detail"]["from"])),
                   timeutil.show_date(timeutil.parse_date(report["period_detail"]["to"])))),
               ("Phạm vi", report["scope_detail"]["label"]),
               ("Lập lúc", timeutil.show_datetime(context.get("at") or timeutil.now())),
               ("Người lập", context.get("by") or "hệ thống")])
    doc.heading("I. Các chỉ tiêu")
    doc.table(["Mã", "Chỉ tiêu", "Giá trị", "Mẫu số", "Tỷ lệ (%)"],
              [[r[0], r[1], _value(r[2]), _value(r[4]), _value(r[5])]
               for r in indicator_rows(report)], widths=[4.2, 8.5, 1.6, 1.6, 1.6])
    for n, (key, title, headers, fields) in enumerate(TABLES, 2):
        rows = report["tables"][key]
        if rows:
            doc.heading("%s. %s" % (_roman(n), title))
            doc.table(headers, [[r[f] for f in fields] for r in rows])
    found = charts.render_all(report, "png")
    if found:
        doc.page_break()
        doc.heading("%s. Biểu đồ" % _roman(len(TABLES) + 2))
        for _name, _title, png in found:
            doc.image(png, width_cm=16)
    doc.signatures(["NGƯỜI LẬP BÁO CÁO", "THỦ TRƯỞNG CƠ QUAN"],
                   [context.get("by") or "", ""])
    return doc.build()


def _roman(n):
    return ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII"][n]
