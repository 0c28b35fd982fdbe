"""The report's charts, drawn server-side by matplotlib (Agg; the
object-oriented ``Figure`` API, not pyplot's global state, so that two
requests drawing at once do not share a figure).  DejaVu Sans, matplotlib's
own font, has every Vietnamese glyph.

``CHARTS`` is the table the PDF and the statistics page read: name →
(title, draw); ``draw(ax, report)`` returns False when there is nothing
to show.  ``render(report, name, "png"|"svg")`` gives the bytes; SVG is
written without a date and with a fixed id salt, so the same report gives
the same bytes.
"""
import io

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

FONT = {"family": "DejaVu Sans", "size": 9}
COLOURS = ["#9b1c1c", "#1f5f8b", "#3b7d3b", "#c77c02", "#6a4c93", "#2a9d8f",
           "#8d6e63", "#546e7a"]
TOP_AGENCIES = 7


def documents_per_month(ax, report):
    rows = report["tables"]["per_month_agency"]
    months = report.get("months") or sorted({r["month"] for r in rows})
    if not rows:
        return False
    totals = {}
    for r in rows:
        totals[r["agency"]] = totals.get(r["agency"], 0) + r["documents"]
    top = sorted(totals, key=lambda c: (-totals[c], c))[:TOP_AGENCIES]
    names = {r["agency"]: r["agency_name"] for r in rows}
    series = {code: [0] * len(months) for code in top + ["other"]}
    for r in rows:
        series[r["agency"] if r["agency"] in top else "other"][months.index(r["month"])] \
            += r["documents"]
    bottom = [0] * len(months)
    for n, (code, counts) in enumerate(series.items()):
        if not any(counts):
            continue
        ax.bar(months, counts, bottom=bottom, color=COLOURS[n % len(COLOURS)],
               label=names.get(code, "Cơ quan khác")[:40])
        bottom = [a + b for a, b in zip(bottom, counts)]
    ax.set_ylabel("Số văn bản")
    ax.legend(fontsize=7, loc="upper left")
    return True


def equivalent_share(ax, report):
    v = report["indicators"]
    counts = [v["out_equivalent_to_paper"], v["out_reference_only"]]
    if not sum(counts):
        return False
    ax.bar(["Như văn bản giấy", "Chỉ để tham khảo"], counts, color=COLOURS[2:0:-1])
    for x, n in enumerate(counts):
        ax.annotate("%d (%.1f%%)" % (n, 100.0 * n / sum(counts)), (x, n), ha="center",
                    va="bottom")
    ax.set_ylabel("Số văn bản")
    return True


def failing_rules(ax, report):
    rows = report["tables"]["failing_rules"][:10][::-1]
    if not rows:
        return False
    ax.barh(["Điều %s %s" % (r["article"], r["code"]) for r in rows],
            [r["documents"] for r in rows], color=COLOURS[0])
    ax.set_xlabel("Số văn bản không đạt")
    return True


def acceptance_times(ax, report):
    rows = report["tables"]["acceptance_hours"]
    if not any(r["deliveries"] for r in rows):
        return False
    ax.bar([r["label"] for r in rows], [r["deliveries"] for r in rows], color=COLOURS[1])
    ax.set_xlabel("Thời gian từ lúc gửi đến lúc tiếp nhận")
    ax.set_ylabel("Số lượt")
    return True


CHARTS = {
    "documents_per_month": ("Văn bản ban hành theo tháng và cơ quan", documents_per_month),
    "equivalent_share": ("Tỷ lệ văn bản có giá trị như văn bản giấy", equivalent_share),
    "failing_rules": ("Các quy định không đạt nhiều nhất", failing_rules),
    "acceptance_times": ("Thời gian từ khi gửi đến khi được tiếp nhận", acceptance_times),
}


def render(report, name, fmt="png"):
    """The chart ``name`` as PNG or SVG bytes, or None with nothing to draw."""
    import matplotlib
    title, draw = CHARTS[name]
    with matplotlib.rc_context({"font.family": FONT["family"], "font.size": FONT["size"],
                                "svg.hashsalt": "archive_repo", "svg.fonttype": "path"}):
        fig = Figure(figsize=(7.5, 3.6), dpi=110)
        ax = fig.subplots()
        if not draw(ax, report):
            return None
        ax.set_title(title, fontsize=11)
        for axis in (ax.yaxis,) if name != "failing_rules" else (ax.xaxis,):
            axis.set_major_locator(MaxNLocator(integer=True))
        fig.tight_layout()
        out = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(out, format=fmt, metadata=metadata)
    return out.getvalue()


def render_all(report, fmt="png"):
    """``[(name, title, bytes)]`` of the charts that have something to show."""
    found = []
    for name, (title, _draw) in CHARTS.items():
        data = render(report, name, fmt)
        if data is not None:
            found.append((name, title, data))
    return found
