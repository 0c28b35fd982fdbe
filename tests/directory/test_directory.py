"""The agency directory on a real FileStorage."""
from datetime import date

import pytest
import transaction
import ZODB
from ZODB.FileStorage import FileStorage

from archive_repo.directory import (add_agency, default_directory_path, describe,
                                    load_directory, seed, validate_code)
from archive_repo.errors import ArchiveError
from archive_repo.resources import get_root


@pytest.fixture
def db(tmp_path):
    database = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    yield database
    database.close()


def _with_root(db, fn):
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        with tm:
            return fn(get_root(conn))
    finally:
        conn.close()


@pytest.mark.parametrize("code", ["000.00.00.H38", " 000.00.14.h38 ", "123.45.67.G22"])
def test_valid_codes(code):
    assert validate_code(code) == code.strip().upper()


@pytest.mark.parametrize("code", ["H38", "000.00.00.38", "000.0.00.H38", "000.00.00.HH8",
                                  "000.00.00.H38x", "", None])
def test_invalid_codes(code):
    with pytest.raises(ArchiveError) as exc:
        validate_code(code)
    assert exc.value.code == "invalid_agency_code"


def test_shipped_directory_loads():
    entries = {e.code: e for e in load_directory(default_directory_path())}
    assert entries["000.00.00.H38"].name == "Ủy ban nhân dân tỉnh Lào Cai"
    assert not entries["000.00.00.H38"].provisional
    districts = [e for e in entries.values() if e.kind == "district"]
    assert len(districts) == 9 and all(e.valid_to == date(2025, 6, 30) for e in districts)
    assert all(e.provisional for e in districts)
    # every successor and parent resolves inside the file
    for e in entries.values():
        assert e.successor is None or e.successor in entries
        assert e.parent_code is None or e.parent_code in entries


def test_seed_is_idempotent_across_commits(db):
    entries = load_directory(default_directory_path())
    added, skipped = _with_root(db, lambda root: seed(root, entries))
    assert (added, skipped) == (len(entries), 0)
    added, skipped = _with_root(db, lambda root: seed(root, entries))
    assert (added, skipped) == (0, len(entries))
    district = _with_root(db, lambda root: describe(root.agencies["000.00.38.H38"],
                                                    today=date(2026, 11, 25)))
    assert district["active"] is False and district["valid_to"] == "2025-06-30"
    assert district["successor"] == "000.00.00.H38"


def test_add_agency_refuses_duplicates_and_unknown_parent(db):
    _with_root(db, lambda root: seed(root, load_directory(default_directory_path())))
    made = _with_root(db, lambda root: add_agency(
        root, "000.01.14.H38", "Trung tâm Công nghệ thông tin", "000.00.14.H38").code)
    assert made == "000.01.14.H38"
    with pytest.raises(ArchiveError) as exc:
        _with_root(db, lambda root: add_agency(root, "000.00.00.H38", "Trùng"))
    assert exc.value.code == "agency_exists" and exc.value.status == 409
    assert "000.00.00.H38" in exc.value.message
    with pytest.raises(ArchiveError) as exc:
        _with_root(db, lambda root: add_agency(root, "000.02.14.H38", "X", "000.09.09.H38"))
    assert exc.value.code == "unknown_parent"


def test_bad_file_names_the_line(tmp_path):
    bad = tmp_path / "a.csv"
    bad.write_text("# comment\ncode,name,parent_code\n000.00.00.H38,A,\n000.00.00.H38,B,\n",
                   encoding="utf-8")
    with pytest.raises(ArchiveError) as exc:
        load_directory(str(bad))
    assert "Dòng 4" in exc.value.message
    bad.write_text("code,name,parent_code\n000.00.01.H38,A,000.00.00.H38\n", encoding="utf-8")
    with pytest.raises(ArchiveError) as exc:
        load_directory(str(bad))
    assert "000.00.00.H38" in exc.value.message
