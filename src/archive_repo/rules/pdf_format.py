"""Art. 6.1c–d, 8.1a, 9.3a — PDF version 1.4 or later (Circular 01/2019 and
the standards list of Circular 39/2017).

The effective version is the higher of the header's and the catalogue's
``/Version``: an incremental update (a signature, say) cannot rewrite the
header, so PDF 1.4+ features added later declare themselves there.  A
catalogue ``/Version`` that is not a version number is ignored and reported.
"""
import re

from .model import STATUS, Check, article

VERSION = re.compile(r"^/?(\d+)\.(\d+)$")


def parse_version(text):
    """(major, minor) from "1.7" or "/1.7", or None."""
    found = VERSION.match(str(text).strip())
    return (int(found.group(1)), int(found.group(2))) if found else None


def versions(pdf):
    """{"header": "1.3", "catalogue": "1.7" or None} as written in the file."""
    catalogue = pdf.Root.get("/Version")
    return {"header": str(pdf.pdf_version),
            "catalogue": str(catalogue).lstrip("/") if catalogue is not None else None}


def effective_version(pdf):
    found = [v for v in versions(pdf).values() if v and parse_version(v)]
    return max(found, key=parse_version) if found else None


@article("6.1c")
def pdf_version(ctx):
    found = versions(ctx.pdf)
    version = effective_version(ctx.pdf)
    required = ctx.policy.min_pdf_version
    ok = version is not None and parse_version(version) >= parse_version(required)
    details = dict(found, version=version, required=required)
    if ok:
        return Check("pdf_version", "6.1c", True,
                     "Định dạng PDF phiên bản %s (yêu cầu %s trở lên)." % (version, required),
                     STATUS, details)
    return Check("pdf_version", "6.1c", False,
                 "Định dạng PDF phiên bản %s, yêu cầu phiên bản %s trở lên (Điều 6, khoản 1, "
                 "điểm c; Điều 8, khoản 1, điểm a)." % (version or "không xác định", required),
                 STATUS, details)


RULES = [pdf_version]
