"""Art. 6.1c–d, 8.1a — PDF version 1.4 or later.  The effective version is
the higher of the header's and the catalogue's /Version (a later
incremental update may raise it there)."""
from .model import STATUS, Check


def _as_tuple(version):
    major, _, minor = str(version).lstrip("/").partition(".")
    return int(major), int(minor or 0)


def effective_version(pdf):
    versions = [pdf.pdf_version]
    catalogue = pdf.Root.get("/Version")
    if catalogue is not None:
        versions.append(str(catalogue))
    return max(versions, key=_as_tuple).lstrip("/")


def pdf_version(ctx):
    version = effective_version(ctx.pdf)
    ok = _as_tuple(version) >= _as_tuple(ctx.policy.min_pdf_version)
    return Check("pdf_version", "6.1c", ok,
                 "Định dạng PDF phiên bản %s (yêu cầu %s trở lên; Điều 8, khoản 1, điểm a)."
                 % (version, ctx.policy.min_pdf_version), STATUS, {"version": version})


RULES = [pdf_version]
