"""Conditional and range requests on /dav/ files: the rules of
archive_repo.conditional (tests/foundation/test_conditionals.py), refused
in plain text for WebDAV clients; and Last-Modified that follows
revalidation."""
import json
import time
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime

from archive_repo.rules import rule_policy
from tests.conftest import H38
from tests.dav.conftest import dav

RECORD = "/dav/%s/2026/1/" % H38
PDF = RECORD + "document.pdf"
FILES = (PDF, RECORD + "metadata.json", RECORD + "validation.json",
         RECORD + "versions/1/validation.json")
OTHER = '"sha256:%s"' % ("0" * 64)


def get(archive, path, status, method="GET", **headers):
    return dav(archive, method, path, depth=None, status=status,
               headers={k.replace("_", "-"): v for k, v in headers.items()})


def earlier(http_date, **delta):
    return format_datetime(parsedate_to_datetime(http_date) - timedelta(**delta), usegmt=True)


def assert_plain_vietnamese(res, status):
    assert res.status_int == status
    assert res.content_type == "text/plain" and res.charset == "utf-8"
    assert "tệp" in res.text or "tài liệu" in res.text


def test_if_match_and_if_unmodified_since_on_every_file(archive):
    for path in FILES:
        first = get(archive, path, 200)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert get(archive, path, 200, If_Match=etag).body == first.body
        assert_plain_vietnamese(get(archive, path, 412, If_Match=OTHER), 412)
        get(archive, path, 412, If_Match="W/" + etag)
        get(archive, path, 200, If_Unmodified_Since=modified)
        assert_plain_vietnamese(
            get(archive, path, 412, If_Unmodified_Since=earlier(modified, seconds=1)), 412)
        get(archive, path, 412, method="HEAD", If_Match=OTHER)


def test_if_none_match_precedes_if_modified_since(archive):
    for path in FILES:
        first = get(archive, path, 200)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        get(archive, path, 304, If_None_Match="W/" + etag)
        get(archive, path, 200, If_None_Match=OTHER, If_Modified_Since=modified)
        get(archive, path, 304, If_Modified_Since=modified)
        get(archive, path, 412, If_Match=OTHER, If_None_Match=etag)


def test_if_range_and_416_on_files(archive):
    for path in FILES:
        first = get(archive, path, 200)
        etag, size = first.headers["ETag"], len(first.body)
        part = get(archive, path, 206, Range="bytes=2-5", If_Range=etag)
        assert part.body == first.body[2:6]
        assert part.headers["Content-Range"] == "bytes 2-5/%d" % size
        assert get(archive, path, 200, Range="bytes=2-5", If_Range=OTHER).body == first.body
        res = get(archive, path, 416, Range="bytes=%d-" % size)
        assert_plain_vietnamese(res, 416)
        assert res.headers["Content-Range"] == "bytes */%d" % size


def revalidate_all(env):
    """What ``archive-repo revalidate`` does, in a connection of its own."""
    from archive_repo.rules.revalidate import revalidate
    conn = env.conn()
    tm = conn.transaction_manager
    tm.begin()

    def commit():
        tm.commit()
        tm.begin()
    revalidate(env.root(conn), rule_policy(env.registry), commit, registry=env.registry)
    tm.commit()
    conn.close()


def test_revalidation_moves_last_modified_of_the_files_it_changes(archive):
    paths = (RECORD + "validation.json", RECORD + "versions/1/validation.json",
             RECORD + "metadata.json")
    before = {path: get(archive, path, 200) for path in paths}
    time.sleep(1.1)                       # HTTP dates count whole seconds
    revalidate_all(archive)
    for path, old in before.items():
        res = get(archive, path, 200, If_Modified_Since=old.headers["Last-Modified"])
        assert res.body != old.body, path
        assert parsedate_to_datetime(res.headers["Last-Modified"]) > \
            parsedate_to_datetime(old.headers["Last-Modified"]), path
        get(archive, path, 304, If_Modified_Since=res.headers["Last-Modified"])
    report = json.loads(get(archive, RECORD + "validation.json", 200).body)
    assert len(report["revalidations"]) == 1
