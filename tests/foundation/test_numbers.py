"""One rule for a number in a URL: only its canonical spelling resolves, on
the API, over WebDAV and under versions/ alike."""
import pytest

from tests.conftest import H38


def _makeOne(name):
    from archive_repo.resources.folder import parse_number
    return parse_number(name)


@pytest.mark.parametrize("name,number", [("1", 1), ("2026", 2026), ("2147483647", 2 ** 31 - 1)])
def test_canonical_numbers(name, number):
    assert _makeOne(name) == number


@pytest.mark.parametrize("name", ["01", "02026", "0", "", "２０２６", "1e3", "-1", " 1",
                                  "2147483648", "9" * 5000, "١٢"])
def test_every_other_spelling_is_not_here(name):
    with pytest.raises(KeyError):
        _makeOne(name)


# a segment over archive_repo.max_segment_length is refused before traversal
# (archive_repo.limits): 414, on both doors alike
@pytest.mark.parametrize("path,status", [("/%s/02026/1", 404), ("/%s/2026/01", 404),
                                         ("/%s/2026/1/versions/01", 404),
                                         ("/%s/2026/" + "9" * 255, 404),
                                         ("/%s/2026/" + "9" * 5000, 414)])
def test_api_and_dav_agree_on_what_is_not_a_record(env, path, status):
    env.deposit()
    for prefix in ("", "/dav"):
        res = env.testapp.get(prefix + path % H38, headers=dict(
            env.auth("archivist"), Accept="application/json"), status="*")
        assert res.status_int == status, (prefix, path, res.status)
    assert env.testapp.get("/%s/2026/1" % H38, headers=env.auth("archivist")).status_int == 200
