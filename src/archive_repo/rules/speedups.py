"""pyHanko's reader, with hex strings read in one slice instead of byte by byte.

A signature's ``/Contents`` is a hex string of the size reserved for the
CMS (16–32 KB of hex digits), and pyHanko 0.38 reads hex strings one byte
at a time through a generator (``generic.read_hex_string_from_stream``):
with cProfile on bench/rules.py (20 born-digital documents, two signatures
each) 0.68 s of the engine's 2.2 s, and as much of pyHanko's own bare
validation.  :func:`read_hex_string` reads it in one slice when it is made
only of hex digits and PDF white space up to ``>`` — what every signer
writes.  Anything else (a comment inside the string, a stray byte, the end
of the file) goes back to where the string started and lets pyHanko's own
function read it, so errors and odd inputs are pyHanko's verbatim.
Measured in one process, same documents, alternating: 44.4 → 29.7 ms a
document (median of 5).  (A DER fast path for asn1crypto's ``Name.__eq__``,
the next hot spot in the profile, measured nothing: pyHanko compares mostly
names that differ.)

:func:`install` swaps the reader into ``pyhanko.pdf_utils.generic``, whose
``read_object`` looks it up at every call; the rule engine installs it when
it is imported.  ``tests/rules/test_speedups.py`` checks that it gives
pyHanko's answer — or its error — on generated inputs.
"""
import binascii
import re

from pyhanko.pdf_utils import generic

PYHANKO_READER = generic.read_hex_string_from_stream
# PDF white space (ISO 32000-1, 7.2.2) and the hex digits: the fast path's
# alphabet; a '%' (comment) or any other byte leaves it
_PLAIN = re.compile(rb"[0-9A-Fa-f \t\r\n\f\x00]*>")
_WHITESPACE = b" \t\r\n\f\x00"
CHUNK = 1 << 16
# past this the string is no signature's: pyHanko's reader takes it (an
# unterminated "<" must not pull a whole upload into memory here)
LIMIT = 1 << 22


def read_hex_string(stream):
    """``generic.read_hex_string_from_stream``, in one slice when it can."""
    start = stream.tell()
    found = _scan(stream, start)
    if found is None:
        stream.seek(start)
        return PYHANKO_READER(stream)
    digits = found.translate(None, _WHITESPACE)
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


def _scan(stream, start):
    """The bytes between ``<`` and ``>`` if they are plain hex and white
    space (the stream left after the ``>``), else None."""
    if stream.read(1) != b"<":
        return None
    body = bytearray()
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return None
        end = chunk.find(b">")
        body += chunk if end < 0 else chunk[:end + 1]
        if end >= 0:
            break
        if len(body) > LIMIT:
            return None
    if not _PLAIN.fullmatch(body):
        return None
    stream.seek(start + 1 + len(body))
    return bytes(body[:-1])


def install():
    generic.read_hex_string_from_stream = read_hex_string


def uninstall():
    """pyHanko as shipped (bench/rules.py times its bare validation so)."""
    generic.read_hex_string_from_stream = PYHANKO_READER
