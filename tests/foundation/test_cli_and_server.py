"""The console script and the real server, as an operator runs them:
``archive-repo -c INI …`` and ``pserve INI`` in subprocesses."""
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import default_metadata
from tests.support.cli import cli
from tests.support.pdfs import make_pdf

BIN = Path(sys.executable).parent
H38 = "000.00.00.H38"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_ini(tmp_path, port):
    var = tmp_path / "var"
    for sub in ("blobs", "index", "trust-roots", "crls"):
        (var / sub).mkdir(parents=True, exist_ok=True)
    ini = tmp_path / "test.ini"
    ini.write_text("""
[app:main]
use = egg:archive_repo
zodbconn.uri = file://{var}/Data.fs?blobstorage_dir={var}/blobs
zodbconn.uri.audit = file://{var}/Audit.fs
archive_repo.index_dir = {var}/index
archive_repo.trust_roots = {var}/trust-roots
archive_repo.crl_dir = {var}/crls

[server:main]
use = egg:waitress#main
listen = 127.0.0.1:{port}
""".format(var=var, port=port), encoding="utf-8")
    return ini




@pytest.fixture
def ini(tmp_path):
    return write_ini(tmp_path, free_port())


def test_init_seeds_directory_idempotently(ini):
    first = cli(ini, "init", subprocess_run=True)      # the operator's console script
    assert "thêm" in first.stdout
    listing = cli(ini, "agency", "list").stdout
    assert H38 in listing
    second = cli(ini, "init")
    assert "thêm 0" in second.stdout


def test_agency_add_and_duplicate_refused(ini):
    cli(ini, "init")
    cli(ini, "agency", "add", "000.01.14.H38", "--name", "Trung tâm Công nghệ thông tin",
        "--parent", "000.00.14.H38")
    again = cli(ini, "agency", "add", "000.01.14.H38", "--name", "X", check=False)
    assert again.returncode != 0
    assert len(again.stderr.strip().splitlines()) == 1
    assert "000.01.14.H38" in again.stderr
    bad = cli(ini, "agency", "add", "H38", "--name", "X", check=False)
    assert bad.returncode != 0 and "lỗi" in bad.stderr


def test_token_add_prints_token_last(ini):
    cli(ini, "init")
    out = cli(ini, "token", "add", "--agency", H38, "--role", "clerk").stdout
    token = out.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    unknown = cli(ini, "token", "add", "--agency", "000.00.99.H99", "--role", "clerk",
                  check=False)
    assert unknown.returncode != 0


def test_a_database_held_by_the_server_gets_a_clear_one_line_error(ini, tmp_path):
    from ZODB.FileStorage import FileStorage
    cli(ini, "init")
    held = FileStorage(str(tmp_path / "var" / "Data.fs"))  # as a running pserve holds it
    try:
        busy = cli(ini, "agency", "list", check=False, subprocess_run=True)
    finally:
        held.close()
    assert busy.returncode == 2
    assert "Traceback" not in busy.stderr
    [line] = busy.stderr.strip().splitlines()
    assert "đang được một tiến trình khác mở" in line and "pserve" in line
    assert H38 in cli(ini, "agency", "list").stdout        # free again once it is closed


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                      % (boundary, name, value)).encode("utf-8"))
    for name, (filename, data) in files.items():
        parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                      'Content-Type: application/pdf\r\n\r\n' % (boundary, name, filename)
                      ).encode("utf-8") + data + b"\r\n")
    body = b"".join(parts) + ("--%s--\r\n" % boundary).encode()
    return body, "multipart/form-data; boundary=%s" % boundary


def wait_for(url, proc, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        try:
            urllib.request.urlopen(url, timeout=1)
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
            continue
        return
    raise AssertionError("server did not start")


def test_pserve_serves_deposit_and_document(ini):
    cli(ini, "init")
    token = cli(ini, "token", "add", "--agency", H38, "--role", "clerk",
                subprocess_run=True).stdout.split()[-1]
    port = [l for l in ini.read_text().splitlines() if l.startswith("listen")][0].split(":")[-1]
    base = "http://127.0.0.1:%s" % port
    proc = subprocess.Popen([str(BIN / "pserve"), str(ini)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_for(base + "/", proc)
        pdf = make_pdf()
        body, ctype = multipart({"metadata": json.dumps(default_metadata(), ensure_ascii=False)},
                                {"file": ("vanban.pdf", pdf)})
        req = urllib.request.Request(base + "/%s/2026/" % H38, data=body, method="POST",
                                     headers={"Content-Type": ctype,
                                              "Authorization": "Bearer " + token,
                                              "Accept": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as res:
            assert res.status == 201
            location = res.headers["Location"]
            record = json.load(res)
        assert location == base + "/%s/2026/1" % H38 and record["number"] == 1
        req = urllib.request.Request(location + "/document.pdf",
                                     headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(req, timeout=30) as res:
            assert res.read() == pdf
        try:
            urllib.request.urlopen(location, timeout=10)
        except urllib.error.HTTPError as exc:
            assert exc.code == 401
            assert json.load(exc)["error"]["code"] == "unauthenticated"
        else:
            raise AssertionError("anonymous read allowed")
        assert search_until_found(base, token, "chuyen doi so") == [location]
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # the console scripts see what the server indexed
    check = cli(ini, "check-index")
    assert "thiếu trong chỉ mục toàn văn: 0" in check.stdout
    assert "Đã lập chỉ mục 1 văn bản" in cli(ini, "reindex").stdout


def search_until_found(base, token, query, seconds=10):
    """The result URLs once the index worker has caught up."""
    from urllib.parse import quote
    req = urllib.request.Request(base + "/search?q=" + quote(query),
                                 headers={"Authorization": "Bearer " + token,
                                          "Accept": "application/json"})
    deadline = time.monotonic() + seconds
    while True:
        with urllib.request.urlopen(req, timeout=10) as res:
            urls = [r["url"] for r in json.load(res)["results"]]
        if urls or time.monotonic() > deadline:
            return urls
        time.sleep(0.1)


def test_token_list_and_revoke(ini, tmp_path):
    cli(ini, "init")
    out = cli(ini, "token", "add", "--role", "archivist").stdout.splitlines()
    token_id = out[0].split()[2].rstrip(":")
    listing = cli(ini, "token", "list").stdout
    assert token_id in listing and out[-1] not in listing      # the secret is never shown
    cli(ini, "token", "revoke", token_id)
    assert "thu hồi" in cli(ini, "token", "list").stdout
    again = cli(ini, "token", "revoke", token_id, check=False)
    assert again.returncode != 0
