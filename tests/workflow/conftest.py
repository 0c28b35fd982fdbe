"""Helpers for the lifecycle tests: two (or three) agencies' clerks acting
over HTTP on a real app (tests/conftest.py's ``env``)."""
import pytest

from tests.conftest import H38, STTTT, SYT

JSON = {"Accept": "application/json"}


def headers(env, who):
    return dict(env.auth(who), **JSON)


def clerk(code):
    return ("clerk", code)


def get(env, path, who=clerk(H38), status=200, **kw):
    return env.testapp.get(path, headers=headers(env, who), status=status, **kw)


def post(env, path, who, body=None, status=200):
    return env.testapp.post_json(path, body or {}, headers=headers(env, who), status=status)


def delivery_path(record, receiver):
    return "/%s/%s/%s/deliveries/%s" % (record["agency"], record["year"], record["number"],
                                         receiver)


def record_path(record):
    return "/%s/%s/%s" % (record["agency"], record["year"], record["number"])


def accept(env, record, receiver, status=200, **body):
    return post(env, delivery_path(record, receiver) + "/accept", clerk(receiver), body,
                status)


def refuse(env, record, receiver, who=None, status=200, code="not_competent",
           text="Văn bản không thuộc thẩm quyền xử lý của Sở."):
    return post(env, delivery_path(record, receiver) + "/refuse", who or clerk(receiver),
                {"reason_code": code, "reason": text}, status)


def recall(env, record, who=clerk(H38), status=200, reason="Ban hành sai thẩm quyền."):
    return post(env, record_path(record) + "/recall", who, {"reason": reason}, status)


def acknowledge(env, record, receiver, who=None, status=200):
    return post(env, delivery_path(record, receiver) + "/acknowledge-recall",
                who or clerk(receiver), None, status)


def error_code(response, status, code):
    assert response.status_int == status
    assert response.json["error"]["code"] == code, response.json
    return response.json["error"]


@pytest.fixture
def sent(env):
    """A record of H38 sent to STTTT and SYT."""
    return env.deposit(meta={"receivers": [STTTT, SYT]}).json


__all__ = ["H38", "STTTT", "SYT"]
