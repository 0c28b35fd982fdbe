"""Every bad input is a 4xx with the contract's JSON error (archive_repo.limits),
each measured as a 500 before the bounds existed."""
import json

import pytest

from tests.conftest import H38, build_env, close_env, default_metadata
from tests.foundation.test_deposit_http import assert_nothing_stored, error_of
from tests.support.pdfs import make_pdf

JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def henv(tmp_path_factory):
    env = build_env(tmp_path_factory.mktemp("limits"), **{"archive_repo.max_keywords": "5"})
    yield env
    close_env(env)


def get(env, url, **kw):
    return env.testapp.get(url, headers=dict(env.auth("archivist"), **JSON),
                           expect_errors=True, **kw)


def post_parts(env, parts, pdf=b"%PDF-1.7\n"):
    """A deposit with ``parts`` (name, text) before the file part."""
    return env.testapp.post("/%s/2026/" % H38, params=parts,
                            upload_files=[("file", "vanban.pdf", pdf)],
                            headers=dict(env.auth(("clerk", H38)), **JSON),
                            expect_errors=True)


def deposit_meta(env, text):
    return post_parts(env, [("metadata", text)])


@pytest.mark.parametrize("url", ["/%s/%s" % (H38, "9" * 5000),
                                 "/%s/2026/%s" % (H38, "9" * 5000),
                                 "/dav/%s/%s" % (H38, "x" * 300)])
def test_a_path_segment_over_its_length_is_414(henv, url):
    error = error_of(get(henv, url), "uri_too_long", 414)
    assert error["details"][0]["limit"] == 255


@pytest.mark.parametrize("query", ["q=%00%ff", "q=%ff", "q=a%00b", "q=%1b[31m",
                                   "%ff=1", "page=1&q=%c3%28", "q=%c2%85"])
def test_a_query_string_not_utf8_or_with_controls_is_invalid_parameter(henv, query):
    error_of(get(henv, "/search?" + query), "invalid_parameter", 400)
    error_of(get(henv, "/%s/2026/?%s" % (H38, query)), "invalid_parameter", 400)


def test_vietnamese_query_strings_still_pass(henv):
    res = get(henv, "/search?q=%s" % "quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh")
    assert res.status_int == 200


@pytest.mark.parametrize("depth", [9, 1000, 100000])
def test_metadata_nested_too_deep_is_invalid_metadata(henv, depth):
    meta = json.dumps(dict(default_metadata(), subject="x"))
    text = meta[:-1] + ', "description": ' + "[" * depth + "]" * depth + "}"
    res = deposit_meta(henv, text)
    error = error_of(res, "invalid_metadata", 400)
    assert error["details"][0]["problem"] in ("too_deep", "too_large")
    assert_nothing_stored(henv)


def test_metadata_over_its_size_is_invalid_metadata(henv):
    text = json.dumps(dict(default_metadata(), description="x" * (70 << 10)))
    error = error_of(deposit_meta(henv, text), "invalid_metadata", 400)
    assert error["details"][0]["problem"] == "too_large"


@pytest.mark.parametrize("number", [[], "", "7", 1.5, True, {}, 2 ** 31, -1, 10 ** 400])
def test_a_number_of_the_wrong_type_or_range_is_400(henv, number):
    meta = json.dumps(dict(default_metadata(), number=number))
    error = error_of(deposit_meta(henv, meta), "invalid_metadata", 400)
    assert [d["field"] for d in error["details"]] == ["number"]
    assert_nothing_stored(henv)


def test_keywords_are_bounded_in_count_and_length(henv):
    many = json.dumps(dict(default_metadata(), keywords=["k%d" % i for i in range(6)]))
    error = error_of(deposit_meta(henv, many), "invalid_metadata", 400)
    assert error["details"] == [{"field": "keywords", "message": error["details"][0]["message"]}]
    assert "5" in error["details"][0]["message"]
    long = json.dumps(dict(default_metadata(), keywords=["x" * 101]))
    error = error_of(deposit_meta(henv, long), "invalid_metadata", 400)
    assert error["details"][0]["field"] == "keywords"


def test_two_metadata_parts_are_malformed_multipart(henv):
    meta = json.dumps(default_metadata())
    res = post_parts(henv, [("metadata", meta), ("metadata", meta)], pdf=make_pdf())
    error = error_of(res, "malformed_multipart", 400)
    assert "metadata" in error["details"][0]["problem"]
    assert_nothing_stored(henv)


@pytest.mark.parametrize("body, content_type, code", [
    ("[" * 50000 + "]" * 50000, "application/json", "invalid_json"),
    ('{"reason": ' + "[" * 20 + "]" * 20 + "}", "application/json", "invalid_json"),
])
def test_a_hostile_workflow_body_is_400(env, body, content_type, code):
    url = env.deposit().json["url"].split("localhost")[1] + "/recall"
    res = env.testapp.post(url, body, expect_errors=True,
                           headers=dict(env.auth(("clerk", H38)), **JSON,
                                        **{"Content-Type": content_type}))
    error_of(res, code, 400)


def test_the_bounds_are_settings(tmp_path):
    from archive_repo.settings import SettingError, parse_settings
    settings = parse_settings({"archive_repo.max_keywords": "7"}, complete=False)
    assert settings.max_keywords == 7 and settings.max_json_depth == 8
    with pytest.raises(SettingError):
        parse_settings({"archive_repo.max_json_depth": "1"}, complete=False)
