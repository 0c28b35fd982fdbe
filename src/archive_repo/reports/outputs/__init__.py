"""A report's outputs, one module per format; ``FORMATS`` is the table
views and the CLI read: format → (media type, file extension, render),
where ``render(report, context) -> bytes``.  ``context`` carries what is
not a figure (who asked, when, the issuer's name) for the printed forms."""
from . import csvfile, jsonfile, pdffile, xlsxfile

FORMATS = {
    "json": ("application/json", "json", jsonfile.render),
    "csv": ("text/csv; charset=utf-8", "csv", csvfile.render),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
             xlsxfile.render),
    "pdf": ("application/pdf", "pdf", pdffile.render),
}
