"""The traversal containers (unit level, no HTTP)."""
import pytest


def _year():
    from archive_repo.resources import Year
    return Year(2026)


def _record(n):
    from archive_repo.resources import Record
    return Record(n, {"subject": "x"}, "t")


@pytest.mark.parametrize("name", ["abc", "-1", "0", "1.5", "", "٣", "99999999999"])
def test_year_getitem_raises_only_keyerror(name):
    year = _year()
    year.add(1, _record(1))
    with pytest.raises(KeyError):
        year[name]


def test_year_numbers_and_length():
    year = _year()
    assert year.next_number() == 1
    for n in (1, 2, 7):
        year.add(n, _record(n))
    assert len(year) == 3
    assert year.next_number() == 8
    assert year["7"].number == 7 and year["7"].__name__ == "7"
    with pytest.raises(KeyError):
        year.add(2, _record(2))
    assert len(year) == 3


def test_page_is_newest_first_and_bounded():
    year = _year()
    for n in range(1, 121):
        year.add(n, _record(n))
    first = [r.number for r in year.page(0, 50)]
    assert first == list(range(120, 70, -1))
    last = [r.number for r in year.page(100, 50)]
    assert last == list(range(20, 0, -1))
    assert year.page(200, 50) == []


def test_agency_years_and_named_children():
    from archive_repo.resources import Agency, Folder
    agency = Agency("000.00.00.H38", "UBND tỉnh Lào Cai")
    transient = agency["2026"]
    assert transient.year == 2026 and 2026 not in agency.data
    assert agency.ensure_year(transient) is agency.data[2026]
    child = agency.add_named("incoming", Folder())
    assert agency["incoming"] is child
    for bad in ("1899", "3000", "năm", "incoming2"):
        with pytest.raises(KeyError):
            agency[bad]
