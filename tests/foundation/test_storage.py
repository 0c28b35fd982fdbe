"""What the files on disk hold: the PDF's bytes only in a blob, never in a
pickle of Data.fs; tokens only as their hash."""
import os

from tests.foundation.test_deposit_http import blob_dir, blob_files
from tests.support.pdfs import make_pdf


def data_fs(env):
    return env.settings["zodbconn.uri"].split("?")[0][len("file://"):]


def audit_fs(env):
    return env.settings["zodbconn.uri.audit"].split("?")[0][len("file://"):]


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


def test_the_deposit_report_is_stored_as_one_json_text_and_old_dicts_evolve(tmp_path):
    """New versions keep the report as JSON text in their state; a version
    stored before (the report as a pickled dict) is brought to that shape by
    its evolve step at start-up, and reads the same."""
    import json
    from tests.conftest import H38, build_env, close_env
    env = build_env(tmp_path)
    before = env.deposit().json
    conn = env.conn()
    with conn.transaction_manager:
        version = env.root(conn).agencies[H38]["2026"]["1"].current
        version._p_activate()
        state = version.__dict__
        assert isinstance(state["_report"], str) and "report" not in state
        report = json.loads(state["_report"])
        assert report["legal_status"] == before["legal_status"]
        # as stored before: the dict itself in the state
        del state["_report"]
        state["report"] = report
        version._p_changed = True
        del env.root(conn).evolved["2026-12-version-reports-json"]   # an older release
    conn.close()
    close_env(env)
    again = build_env(tmp_path)
    after = again.testapp.get("/%s/2026/1" % H38, headers=dict(
        again.auth("archivist"), Accept="application/json")).json
    assert after["legal_status"] == before["legal_status"]
    assert after["checks"] == before["checks"] and after["checks"]
    conn = again.conn()
    state = again.root(conn).agencies[H38]["2026"]["1"].current
    state._p_activate()
    assert isinstance(state.__dict__["_report"], str) and "report" not in state.__dict__
    assert "2026-12-version-reports-json" in again.root(conn).evolved
    conn.close()
    close_env(again)
