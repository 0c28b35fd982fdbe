"""Clients nobody here wrote, over real HTTP (waitress), with the app
mounted under ``/archive`` as behind a reverse proxy: rclone (Debian),
cadaver (Debian), webdav4 (PyPI)."""
import hashlib
import http.client
import os
import re
import subprocess
from urllib.parse import urlsplit

from tests.conftest import H38
from tests.dav.conftest import bulk_year


def rclone(server, tmp_path, *args):
    env = dict(os.environ, RCLONE_CONFIG=str(tmp_path / "rclone.conf"),
               RCLONE_CONFIG_ARCHIVE_TYPE="webdav",
               RCLONE_CONFIG_ARCHIVE_URL=server.url + "/dav/",
               RCLONE_CONFIG_ARCHIVE_VENDOR="other",
               RCLONE_CONFIG_ARCHIVE_BEARER_TOKEN=server.tokens["connector"])
    done = subprocess.run(["rclone", *args], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_rclone_lists_copies_and_checks_an_agency(server, tmp_path):
    listed = rclone(server, tmp_path, "lsf", "-R", "archive:%s" % H38).splitlines()
    assert "2026/1/document.pdf" in listed and "2026/2/metadata.json" in listed
    assert "2026/1/versions/1/Quyết định phê duyệt đề án.pdf" in listed
    local = tmp_path / "copy"
    rclone(server, tmp_path, "copy", "archive:%s" % H38, str(local))
    rclone(server, tmp_path, "check", "--download", "archive:%s" % H38, str(local))
    data = (local / "2026" / "1" / "document.pdf").read_bytes()
    assert hashlib.sha256(data).hexdigest() == server.first["sha256"]


def test_cadaver_lists_and_gets_with_basic_auth(server, tmp_path):
    host = urlsplit(server.url).hostname
    (tmp_path / ".netrc").write_text("machine %s login connector password %s\n"
                                     % (host, server.tokens["connector"]))
    os.chmod(tmp_path / ".netrc", 0o600)
    target = tmp_path / "got.pdf"
    script = "ls\nget document.pdf %s\nquit\n" % target
    done = subprocess.run(["cadaver", "%s/dav/%s/2026/1/" % (server.url, H38)],
                          input=script, env=dict(os.environ, HOME=str(tmp_path)),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "metadata.json" in done.stdout and "versions" in done.stdout, done.stdout
    assert "failed" not in done.stdout.lower(), done.stdout
    assert hashlib.sha256(target.read_bytes()).hexdigest() == server.first["sha256"]


def walk(client, path, found):
    for entry in client.ls(path, detail=True):
        found[entry["name"]] = entry
        if entry["type"] == "directory":
            walk(client, entry["name"], found)


def test_webdav4_walks_depth_1_and_reads_properties(server):
    from webdav4.client import Client
    client = Client(server.url + "/dav/", auth=("connector", server.tokens["connector"]))
    found = {}
    walk(client, H38, found)
    pdf = found["%s/2026/1/document.pdf" % H38]
    assert pdf["type"] == "file" and pdf["content_length"] == server.first["size"]
    assert pdf["etag"] == '"sha256:%s"' % server.first["sha256"]
    record = found["%s/2026/1" % H38]
    assert record["type"] == "directory" and record["display_name"].startswith("1/QĐ-UBND")
    assert client.info("%s/2026/2/metadata.json" % H38)["content_type"].startswith(
        "application/json")


def raw(server, method, path, headers=None):
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.request(method, parts.path + path, headers=dict(
        {"Authorization": "Bearer " + server.tokens["connector"]}, **(headers or {})))
    response = conn.getresponse()
    return response, response.read()


def test_upper_and_lower_case_percent_encoding_resolve(server):
    name = "Quyết định phê duyệt đề án.pdf"
    base = "/dav/%s/2026/1/versions/1/" % H38
    upper = "".join(c if c.isascii() and c.isalnum() or c == "." else
                    "".join("%%%02X" % b for b in c.encode()) for c in name)
    bodies = set()
    lower = re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), upper)
    assert lower != upper
    for encoded in (upper, lower):
        response, body = raw(server, "GET", base + encoded)
        assert response.status == 200, encoded
        bodies.add(body)
    assert len(bodies) == 1


def test_a_10000_record_year_streams(server):
    bulk_year(server, H38, 2025, 10000)
    response, body = raw(server, "PROPFIND", "/dav/%s/2025/" % H38, {"Depth": "1"})
    assert response.status == 207
    assert response.getheader("Transfer-Encoding") == "chunked"
    assert response.getheader("Content-Length") is None
    assert body.count(b"<D:response>") == 10001
    assert body.rstrip().endswith(b"</D:multistatus>")
