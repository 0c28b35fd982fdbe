"""Art. 7.1a — every signature in the bytes is one the engine judged, and
nothing follows the last signed byte but well-formed incremental updates.

pyHanko finds signatures through the form tree (``/AcroForm /Fields``) and
skips a dictionary whose ``/SubFilter`` it does not know: one flipped byte
makes a signature vanish, or a signed file read as unsigned.  These rules do
not trust the form tree.  They scan the raw bytes — every revision's objects,
the objects packed in object streams, never the inside of other streams —
for signature dictionaries (``/Type /Sig`` or ``/DocTimeStamp``) and
``/ByteRange`` arrays, and hold each against the signatures the engine
validated.  Names are compared after ``#xx`` escapes are decoded
(``/Byte#52ange`` is ``/ByteRange``).

A byte range must be sane (Mladenov et al., CCS 2019, universal signature
forgery): it starts at 0, its gap holds exactly the hexadecimal
``/Contents``, and it ends inside the file.
"""
import re
import zlib

from .model import REJECT, Check, article

ARTICLE = "7.1a"
WHERE = "Điều 7, khoản 1, điểm a"
NAME = re.compile(rb"/((?:[A-Za-z0-9._+*-]|#[0-9A-Fa-f]{2})+)")
STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
INTEGERS = re.compile(rb"\s*\[\s*(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*\]")
HEX_GAP = re.compile(rb"<[0-9A-Fa-f\s]*>")
SIGNATURE_TYPES = {b"Sig", b"DocTimeStamp"}
ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# What a well-formed incremental update is made of, one token at a time:
# whitespace, comments, objects, a classic xref table with its trailer, and
# startxref.  Non-greedy up to the first ``endobj``: a stream holding that
# word is malformed for this purpose, which errs on the side of refusing.
UPDATE_TOKENS = re.compile(rb"""
    \s+
  | %[^\r\n]*
  | \d{1,10}\s+\d{1,5}\s+obj\b.*?\bendobj\b
  | xref\s+(?:\d+\s+\d+\s+(?:\d{10}\s\d{5}\s[nf]\s*)*)+
  | trailer\s*<<.*?>>(?=\s*startxref)
  | startxref\s+\d+
""", re.DOTALL | re.VERBOSE)
PREVIEW = 60
DICT_WINDOW = 4096       # how far before "stream" its dictionary may begin


def _name(raw):
    return ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def _segments(data):
    """The byte strings where dictionaries live: the file outside its
    streams, plus the decompressed body of every object stream."""
    pos, plain, packed = 0, [], []
    for found in STREAM.finditer(data):
        if found.start() < pos:
            continue
        end = data.find(b"endstream", found.end())
        if end < 0:
            break
        head = data[pos:found.start()]
        plain.append(head)
        # the stream's own dictionary: after the last "obj" keyword before it
        start = head.rfind(b"obj", max(0, len(head) - DICT_WINDOW))
        if start >= 0 and b"ObjStm" in _name(head[start:]):
            packed.append(_inflate(data[found.end():end]))
        pos = end + len(b"endstream")
    plain.append(data[pos:])
    return plain + packed


def _inflate(body):
    try:
        return zlib.decompressobj().decompress(body)
    except zlib.error:
        return body


def signature_dictionaries(data):
    """``(types, ranges)`` found in the raw bytes: how many dictionaries say
    they are a signature or document timestamp, and every /ByteRange (a
    tuple of four ints, or None where the value is not such an array)."""
    types, ranges = 0, []
    for segment in _segments(data):
        names = list(NAME.finditer(segment))
        for i, found in enumerate(names):
            name = _name(found.group(1))
            if name == b"Type" and i + 1 < len(names) and names[i + 1].start() \
                    - found.end() < 8 and _name(names[i + 1].group(1)) in SIGNATURE_TYPES:
                types += 1
            elif name == b"ByteRange":
                value = INTEGERS.match(segment, found.end())
                ranges.append(tuple(int(v) for v in value.groups()) if value else None)
    return types, ranges


def range_problem(data, byte_range):
    """What is wrong with a /ByteRange, in Vietnamese, or None."""
    if byte_range is None:
        return "thiếu /ByteRange hoặc /ByteRange không phải bốn số nguyên"
    a, b, c, d = byte_range
    if a != 0 or min(byte_range) < 0 or c < b:
        return "/ByteRange %s không bắt đầu từ đầu tệp hoặc sai thứ tự" % list(byte_range)
    if c + d > len(data):
        return "/ByteRange %s vượt quá cuối tệp (%d byte)" % (list(byte_range), len(data))
    if not HEX_GAP.fullmatch(data[b:c]):
        return "khoảng trống của /ByteRange %s không phải đúng giá trị /Contents" \
            % list(byte_range)
    return None


def raw_bytes(ctx):
    if "raw" not in ctx.facts:
        with open(ctx.path, "rb") as f:
            ctx.facts["raw"] = f.read()
    return ctx.facts["raw"]


def _validated(ctx):
    """The byte ranges of the signatures the engine judged (one
    SignatureFacts each); none if reading them stopped half-way."""
    ranges = ctx.facts.get("byte_ranges") or []
    if len(ranges) != len(ctx.signatures):
        return []
    return [r for r in ranges if r is not None]


@article("7.1a")
def signatures_accounted(ctx):
    """Every signature dictionary and /ByteRange in the bytes belongs to a
    signature the engine validated."""
    data = raw_bytes(ctx)
    types, ranges = signature_dictionaries(data)
    validated = _validated(ctx)
    problems = []
    for found in ranges:
        problem = range_problem(data, found)
        if problem:
            problems.append(problem)
        elif found not in validated:
            problems.append("chữ ký với /ByteRange %s không được đọc và kiểm tra được "
                            "(SubFilter lạ, hoặc nằm ngoài cây biểu mẫu /AcroForm)" % list(found))
    if types > len(ranges):
        problems.append("%d từ điển chữ ký thiếu /ByteRange" % (types - len(ranges)))
    elif types > len(validated) and not problems:
        problems.append("tệp có %d từ điển chữ ký (/Sig, /DocTimeStamp) nhưng chỉ kiểm tra "
                        "được %d chữ ký" % (types, len(validated)))
    details = {"dictionaries": types, "byte_ranges": [list(r) if r else None for r in ranges],
               "validated": len(validated)}
    if problems:
        return Check("signatures_accounted", ARTICLE, False,
                     "Có chữ ký số trong tệp không kiểm tra được: %s (%s)."
                     % ("; ".join(problems), WHERE), REJECT, dict(details, problems=problems))
    if not ranges and not types:
        return Check("signatures_accounted", ARTICLE, None,
                     "Tệp không chứa từ điển chữ ký số nào.", REJECT, details)
    return Check("signatures_accounted", ARTICLE, True,
                 "Mọi chữ ký số có trong tệp (%d) đều đã được kiểm tra." % len(validated),
                 REJECT, details)


def malformed_tail(tail):
    """Offset in ``tail`` of the first byte that is not part of a
    well-formed incremental update, or None; the update must end with
    ``%%EOF``."""
    pos = 0
    while pos < len(tail):
        found = UPDATE_TOKENS.match(tail, pos)
        if found is None or found.end() == pos:
            return pos
        pos = found.end()
    if tail.strip() and not tail.rstrip().endswith(b"%%EOF"):
        return len(tail.rstrip())
    return None


@article("7.1a")
def no_trailing_bytes(ctx):
    """After the last signed byte: only well-formed incremental updates,
    which the difference analysis then judges."""
    data = raw_bytes(ctx)
    ends = [c + d for _, _, c, d in _validated(ctx) if c + d <= len(data)]
    if not ends:
        return Check("no_trailing_bytes", ARTICLE, None,
                     "Văn bản không có chữ ký số: không có phần được ký để so sánh.", REJECT)
    signed_end = max(ends)
    at = malformed_tail(data[signed_end:])
    details = {"signed_end": signed_end, "file_size": len(data)}
    if at is None:
        return Check("no_trailing_bytes", ARTICLE, True,
                     "Sau phần được ký chỉ có các bản cập nhật tăng dần hợp lệ (%d byte)."
                     % (len(data) - signed_end), REJECT, details)
    offset = signed_end + at
    preview = data[offset:offset + PREVIEW].decode("latin-1")
    return Check("no_trailing_bytes", ARTICLE, False,
                 "Sau byte cuối cùng được ký (%d) có dữ liệu không phải bản cập nhật PDF hợp lệ, "
                 "từ byte %d: %r (%s)." % (signed_end, offset, preview, WHERE), REJECT,
                 dict(details, offset=offset, preview=preview))


RULES = [signatures_accounted, no_trailing_bytes]
