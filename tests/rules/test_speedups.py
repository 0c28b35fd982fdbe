"""The one-slice hex string reader gives what pyHanko's own reader gives."""
import io

from hypothesis import given, settings, strategies as st

from archive_repo.rules import speedups

# hex digits and white space mostly, with the bytes that leave the fast path
ALPHABET = st.sampled_from(list(b"0123456789abcdefABCDEF") * 4 + list(b" \n\r\t\f\x00")
                           + list(b"%>gz<(") + [0xff])


def read(reader, data):
    stream = io.BytesIO(data)
    try:
        found = reader(stream)
        return ("ok", type(found).__name__, bytes(found.original_bytes), stream.tell())
    except Exception as exc:                    # the same error, or the test fails
        return ("error", type(exc).__name__, str(exc))


@settings(max_examples=400, deadline=None)
@given(body=st.lists(ALPHABET, max_size=80).map(bytes), tail=st.binary(max_size=8))
def test_same_result_as_pyhanko(body, tail):
    data = b"<" + body + tail
    assert read(speedups.read_hex_string, data) == read(speedups.PYHANKO_READER, data)


def test_a_signature_sized_string_is_read_in_one_slice_and_positioned_after_it():
    contents = bytes(range(256)) * 64
    hexed = contents.hex().upper().encode()
    data = b"<" + b"\n".join(hexed[i:i + 64] for i in range(0, len(hexed), 64)) + b">\n/Foo"
    stream = io.BytesIO(data)
    found = speedups.read_hex_string(stream)
    assert found.original_bytes == contents
    assert stream.read() == b"\n/Foo"


def test_the_rule_engine_reads_pdfs_with_it():
    from pyhanko.pdf_utils import generic
    import archive_repo.rules  # noqa: F401  (installs it)
    assert generic.read_hex_string_from_stream is speedups.read_hex_string
