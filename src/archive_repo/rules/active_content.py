"""Art. 6.1d (formats of Circular 39/2017/TT-BTTTT) — a document that runs
code is not the equivalent of paper: JavaScript anywhere (actions, the
document's /JavaScript name tree), actions that launch programs, and
embedded files that are executables.  Flagged in the report and the
document is *reference only*; it is still kept (the archive keeps evidence,
it never runs it).
"""
from .model import STATUS, Check, article

# Action types that run something (ISO 32000-1, 12.6.4).
RUNS = {"/JavaScript": "JavaScript", "/Launch": "chạy chương trình (Launch)",
        "/Rendition": "JavaScript trong hành động Rendition"}
EXECUTABLE_SUFFIXES = (".exe", ".dll", ".bat", ".cmd", ".com", ".scr", ".ps1", ".vbs",
                       ".js", ".jar", ".msi", ".sh", ".apk")
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF")     # Windows PE, ELF


def _filename(spec):
    return str(spec.get("/UF") or spec.get("/F") or "")


def _executable(spec):
    name = _filename(spec).lower()
    if name.endswith(EXECUTABLE_SUFFIXES):
        return True
    import pikepdf
    stream = (spec.get("/EF") or {}).get("/F")
    try:
        head = stream.read_bytes()[:16] if stream is not None else b""
    except pikepdf.PdfError:        # an undecodable stream runs nothing
        return False
    return head.startswith(EXECUTABLE_MAGIC)


def findings(pdf):
    """What in ``pdf`` (pikepdf) runs code, as short Vietnamese phrases
    with the object number."""
    import pikepdf
    found = []
    names = (pdf.Root.get("/Names") or {})
    if "/JavaScript" in names:
        found.append("cây tên /JavaScript của tài liệu")
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        kind = obj.get("/S")
        if kind in RUNS and (kind != "/Rendition" or "/JS" in obj):
            found.append("%s (đối tượng %d)" % (RUNS[str(kind)], obj.objgen[0]))
        elif "/JS" in obj:
            found.append("JavaScript (đối tượng %d)" % obj.objgen[0])
        if obj.get("/Type") == "/Filespec" and "/EF" in obj and _executable(obj):
            found.append("tệp chạy được đính kèm %s (đối tượng %d)"
                         % (_filename(obj) or "?", obj.objgen[0]))
    return found


@article("6.1d")
def active_content(ctx):
    found = findings(ctx.pdf)
    if found:
        return Check("active_content", "6.1d", False,
                     "Văn bản chứa nội dung thực thi: %s — không được coi là tương đương văn bản "
                     "giấy (Điều 6, khoản 1, điểm d)." % "; ".join(found), STATUS,
                     {"found": found})
    return Check("active_content", "6.1d", True,
                 "Văn bản không chứa JavaScript, hành động chạy chương trình hay tệp thực thi.",
                 STATUS)


RULES = [active_content]
