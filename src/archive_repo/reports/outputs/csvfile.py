"""The report as one CSV file (UTF-8 with a BOM, which spreadsheet programs
need to read Vietnamese): the indicators, then each table under a line
naming it.  Numbers are written as numbers (a dot for decimals)."""
import csv
import io

HEADERS = ["Mã chỉ tiêu", "Chỉ tiêu", "Giá trị", "Mẫu số (mã)", "Mẫu số", "Tỷ lệ (%)"]
TABLES = [
    ("per_month_agency", "Văn bản ban hành theo tháng và cơ quan",
     ["Tháng", "Mã cơ quan", "Cơ quan", "Số văn bản"],
     ("month", "agency", "agency_name", "documents")),
    ("failing_rules", "Quy định không đạt (văn bản chỉ có giá trị tham khảo)",
     ["Điều khoản", "Mã quy định", "Số văn bản"], ("article", "code", "documents")),
    ("refusal_reasons", "Lý do bên nhận từ chối", ["Mã lý do", "Lý do", "Số lượt"],
     ("reason", "label", "deliveries")),
    ("deposit_refusal_causes", "Nộp lưu bị từ chối theo nguyên nhân",
     ["Mã nguyên nhân", "Nguyên nhân", "Số lượt"], ("cause", "label", "deposits")),
    ("acceptance_hours", "Thời gian từ khi gửi đến khi được tiếp nhận",
     ["Đến (giờ)", "Khoảng thời gian", "Số lượt"], ("up_to_hours", "label", "deliveries")),
]


def indicator_rows(report):
    labels = {d["code"]: d["label"] for d in report["definitions"]}
    shares = report["percentages"]
    for code, value in report["indicators"].items():
        share = shares.get(code)
        yield [code, labels[code], "" if value is None else value,
               share["of"] if share else "", share["denominator"] if share else "",
               "" if not share or share["percent"] is None else share["percent"]]


def render(report, context=None):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Kỳ báo cáo", report["period"], report["period_detail"]["label"]])
    writer.writerow(["Phạm vi", report["scope"], report["scope_detail"]["label"]])
    writer.writerow(HEADERS)
    writer.writerows(indicator_rows(report))
    for key, title, headers, fields in TABLES:
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(headers)
        writer.writerows([row[f] for f in fields] for row in report["tables"][key])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
