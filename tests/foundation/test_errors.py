"""Every error, whatever its status, is the contract's JSON (or the
Vietnamese error page for a browser); every refusal is audited — refused
reads too, in the audit database only."""
import os

import pytest
import webob.exc
from pyramid.httpexceptions import HTTPClientError, HTTPServerError, status_map

from tests.conftest import H38, SYT, close_env, issue, make_settings
from tests.foundation.test_deposit_http import VIETNAMESE, error_of, latest_audit, settle


class HTTPClientClosed(HTTPClientError):
    code, title = 499, "Client Closed Request"


class HTTPNetworkTimeout(HTTPServerError):
    code, title = 599, "Network Connect Timeout Error"


EXTRA = {499: HTTPClientClosed, 599: HTTPNetworkTimeout}
STATUSES = sorted(code for code in status_map if code >= 400) + sorted(EXTRA)
# WebOb's exception classes are not Pyramid's: a library may raise those
WEBOB = sorted(code for code in webob.exc.status_map if code >= 400)


def error_class(status, family="pyramid"):
    if family == "webob":
        return webob.exc.status_map[status]
    return EXTRA.get(status) or status_map[status]


def raise_status(request):
    """A view raising the HTTP error named in ``?status=`` (``&family=webob``:
    WebOb's class for it)."""
    raise error_class(int(request.params["status"]), request.params.get("family"))()


class RaisingApp:
    """The real app (real FileStorage, real error views) plus one view that
    raises any HTTP error."""

    def __init__(self, tmp_path):
        from webtest import TestApp

        from archive_repo import make_config, start
        from archive_repo.resources import ArchiveRoot
        config = make_config(make_settings(tmp_path))
        config.add_view(raise_status, context=ArchiveRoot, name="raise")
        app = start(config)
        self.registry = app.registry
        self.token = issue(self.registry, "archivist")
        self.testapp = TestApp(app)

    def get(self, status, accept, family="pyramid"):
        return self.testapp.get("/raise", {"status": status, "family": family},
                                status=status, headers={
                                    "Accept": accept, "Authorization": "Bearer " + self.token})


@pytest.fixture(scope="module")
def raising(tmp_path_factory):
    app = RaisingApp(tmp_path_factory.mktemp("raising"))
    yield app
    close_env(app)


CASES = [(s, "pyramid") for s in STATUSES] + [(s, "webob") for s in WEBOB]
IDS = ["%s-%d" % (family, status) for status, family in CASES]


@pytest.mark.parametrize("status,family", CASES, ids=IDS)
def test_any_http_error_is_contract_json_in_vietnamese(raising, status, family):
    res = raising.get(status, "application/json", family)
    error = error_of(res, res.json["error"]["code"], status)
    assert error_class(status, family).title not in error["message"]
    assert error["code"].isascii() and error["code"] == error["code"].lower()
    assert " " not in error["code"]


@pytest.mark.parametrize("status,family", CASES, ids=IDS)
def test_any_http_error_is_a_vietnamese_page_for_a_browser(raising, status, family):
    res = raising.get(status, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", family)
    assert res.content_type == "text/html"
    assert '<html lang="vi">' in res.text and "Lỗi %d" % status in res.text
    main = res.text.split("<main>")[1]
    assert VIETNAMESE.search(main)
    assert error_class(status, family).title not in main


def test_a_url_that_is_not_utf8_is_400_not_500(env):
    res = env.testapp.get("/%FF%FE", headers=dict(env.auth("archivist"),
                                                  Accept="application/json"), status=400)
    error_of(res, "invalid_url", 400)


def _document(env):
    url = env.deposit().headers["Location"]
    return url.replace("http://localhost", "") + "/document.pdf"


def _data_fs(env):
    return env.settings["zodbconn.uri"].split("?")[0][len("file://"):]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_refused_reads_of_a_document_are_audited_in_the_audit_database(env, method):
    path = _document(env)
    settle(env)
    size_before = os.path.getsize(_data_fs(env))
    fetch = env.testapp.get if method == "GET" else env.testapp.head
    fetch(path, headers={"Accept": "application/json"}, status=401)
    entry = latest_audit(env)[0]
    assert (entry["action"], entry["target"], entry["outcome"]) == ("read", path, "refused")
    assert entry["detail"]["status"] == 401 and entry["detail"]["code"] == "unauthenticated"
    assert entry["detail"]["method"] == method and entry["role"] is None
    assert entry["actor"] == "anonymous"             # not "system", the command line
    fetch(path, headers=dict(env.auth(("clerk", SYT)), Accept="application/json"), status=403)
    entry = latest_audit(env)[0]
    assert (entry["action"], entry["target"], entry["outcome"]) == ("read", path, "refused")
    assert entry["detail"]["code"] == "forbidden"
    assert (entry["role"], entry["agency"]) == ("clerk", SYT)
    # the records' database was not written to
    assert os.path.getsize(_data_fs(env)) == size_before


def test_refused_reads_of_a_record_and_a_listing_are_audited(env):
    record = _document(env).rsplit("/", 1)[0]
    for path in (record, "/%s/2026" % H38, "/%s" % H38, "/"):
        env.testapp.get(path, headers=env.auth(("clerk", SYT)), status=403)
        entry = latest_audit(env)[0]
        assert (entry["target"], entry["outcome"], entry["detail"]["status"]) == \
            (path, "refused", 403)


def test_a_read_that_only_misses_is_not_a_refusal(env):
    _document(env)
    before = latest_audit(env)[0]
    env.testapp.get("/%s/2026/99" % H38, headers=env.auth("archivist"), status=404)
    assert latest_audit(env)[0] == before
