"""What the files on disk hold: the PDF's bytes only in a blob, never in a
pickle of Data.fs; tokens only as their hash."""
import os

from tests.foundation.test_deposit_http import blob_dir, blob_files
from tests.support.pdfs import make_pdf


def data_fs(env):
    return env.settings["zodbconn.uri"].split("?")[0][len("file://"):]


def audit_fs(env):
    return env.settings["zodbconn.uri.audit"][len("file://"):]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_the_pdf_bytes_are_in_a_blob_not_in_data_fs(env):
    marker = b"PDF-BYTES-MARKER-" + os.urandom(12).hex().encode()
    pdf = make_pdf() + b"\n%" + marker + b"\n"
    assert env.deposit(pdf=pdf).status_int == 201
    assert marker not in read(data_fs(env))
    assert marker not in read(audit_fs(env))
    blobs = blob_files(env)
    assert len(blobs) == 1 and os.path.relpath(blobs[0], blob_dir(env)).split(os.sep)[0] != "tmp"
    assert read(blobs[0]) == pdf


def test_tokens_are_stored_only_hashed(env):
    from archive_repo.security import hash_token
    env.deposit()                     # the audit database has entries too
    stored = read(data_fs(env)) + read(audit_fs(env))
    assert env.tokens
    for token in env.tokens.values():
        assert token.encode("ascii") not in stored
        # what is kept instead: the hash (so the search above can find things)
        assert hash_token(token).encode("ascii") in stored
