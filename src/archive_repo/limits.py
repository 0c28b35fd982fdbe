"""Bounds on what a client may send, so that hostile or broken input is a
4xx with the contract's JSON error and never a 500 (or an hour of CPU).

Each bound is a setting (``settings.SETTINGS``); the defaults are far above
what a clerk's form or the axis connector sends.  Measured before the
bounds: metadata nested 100 000 deep was a ``RecursionError`` (500), a query
string with ``%ff`` a ``UnicodeDecodeError`` (500), 200 000 keywords were
stored.

- ``limits_tween`` looks at the raw URL before traversal or any view:
  a path segment longer than ``max_segment_length`` is 414 ``uri_too_long``;
  a query string that is not UTF-8, or holds control characters, is 400
  ``invalid_parameter``.
- ``load_json`` parses a JSON document within ``max_metadata_kb`` and
  ``max_json_depth`` (the metadata of a deposit, the JSON bodies of the
  workflow's POSTs).
"""
import json
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl

from .errors import ArchiveError, BadRequest
from .settings import get_settings


@dataclass(frozen=True)
class Limits:
    json_depth: int = 8
    metadata_kb: int = 64
    keywords: int = 50
    keyword_length: int = 100
    segment_length: int = 255


def limits_of(registry):
    s = get_settings(registry)
    return Limits(s.max_json_depth, s.max_metadata_kb, s.max_keywords,
                  s.max_keyword_length, s.max_segment_length)


def _depth(value):
    """Nesting depth of a parsed JSON value, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, level = stack.pop()
        deepest = max(deepest, level)
        children = value.values() if isinstance(value, dict) else \
            value if isinstance(value, list) else ()
        stack.extend((child, level + 1) for child in children
                     if isinstance(child, (dict, list)))
    return deepest


def load_json(text, limits, code="invalid_json", what="metadata"):
    """``text`` (str or bytes) parsed, or BadRequest ``code`` saying which
    bound it broke; ValueError for JSON that is merely invalid."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > limits.metadata_kb << 10:
        raise BadRequest(code, "Dữ liệu JSON quá lớn (tối đa %d KB)." % limits.metadata_kb,
                         [{"field": what, "problem": "too_large",
                           "limit_bytes": limits.metadata_kb << 10, "size": size}])
    try:
        data = json.loads(text)
        too_deep = _depth(data) > limits.json_depth
    except RecursionError:
        too_deep = True
    if too_deep:
        raise BadRequest(code, "Dữ liệu JSON lồng nhau quá sâu (tối đa %d cấp)."
                         % limits.json_depth,
                         [{"field": what, "problem": "too_deep",
                           "limit_depth": limits.json_depth}])
    return data


class UriTooLong(ArchiveError):
    status = 414


def check_url(environ, limits):
    """The raw URL against the bounds (see the module's docstring)."""
    for segment in environ.get("PATH_INFO", "").split("/"):
        if len(segment) > limits.segment_length:
            raise UriTooLong("uri_too_long",
                             "Một phần của địa chỉ (URL) dài quá %d ký tự."
                             % limits.segment_length,
                             [{"limit": limits.segment_length, "length": len(segment)}])
    query = environ.get("QUERY_STRING", "")
    try:
        pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise _invalid_parameter("not_utf8")
    for name, value in pairs:
        if any(unicodedata.category(ch) == "Cc" for ch in name + value):
            raise _invalid_parameter("control_character", name)


def _invalid_parameter(problem, name=None):
    detail = {"problem": problem}
    if name is not None:
        detail["parameter"] = name[:100]
    return BadRequest("invalid_parameter",
                      "Tham số trong địa chỉ (URL) không hợp lệ: phải là UTF-8, "
                      "không chứa ký tự điều khiển.", [detail])


def limits_tween_factory(handler, registry):
    limits = limits_of(registry)

    def limits_tween(request):
        check_url(request.environ, limits)
        return handler(request)
    return limits_tween


def includeme(config):
    from pyramid.tweens import EXCVIEW
    # under the exception view: a refusal here is rendered like any other
    config.add_tween("archive_repo.limits.limits_tween_factory", under=EXCVIEW)
