"""Deposit metadata validation (no HTTP)."""
import pytest

from archive_repo.errors import BadRequest

KNOWN = {"000.00.14.H38", "000.00.16.H38"}


def _validate(**changes):
    from archive_repo.deposit.metadata import validate
    data = {"notation": "QĐ-UBND", "doctype": "QĐ", "subject": "Về việc A",
            "issued_on": "2026-03-05", "signer": "Nguyễn Văn An",
            "receivers": ["000.00.14.H38"]}
    data.update(changes)
    return validate({k: v for k, v in data.items() if v is not ...}, KNOWN.__contains__)


def _fields(exc):
    return {d["field"] for d in exc.value.details}


def test_valid_metadata_is_normalised_to_nfc():
    decomposed = "Quye\u0302\u0301t đi\u0323nh"
    clean = _validate(subject=decomposed)
    assert clean["subject"] == "Quyết định"
    assert clean["digitized"] is False


@pytest.mark.parametrize("field,value", [
    ("number", -3), ("number", 0), ("number", "5"), ("number", 2.5), ("number", True),
    ("issued_on", "05/03/2026"), ("issued_on", "2026-02-30"),
    ("doctype", "XYZ"), ("urgency", "Gấp"), ("receivers", ["000.00.99.H38"]),
    ("receivers", "000.00.14.H38"), ("subject", "a\x00b"), ("signer", "An\x1b[31m"),
    ("notation", "x" * 31), ("digitized", "yes"), ("page_count", 0),
    ("confidentiality", "Công khai"),
])
def test_bad_values_are_named(field, value):
    with pytest.raises(BadRequest) as exc:
        _validate(**{field: value})
    assert field in _fields(exc)
    assert exc.value.code == "invalid_metadata"


def test_missing_required_and_unknown_fields_are_all_listed():
    with pytest.raises(BadRequest) as exc:
        _validate(subject=..., signer=..., colour="red")
    assert {"subject", "signer", "colour"} <= _fields(exc)


def test_newline_allowed_in_subject_not_in_signer():
    assert _validate(subject="Dòng 1\nDòng 2")["subject"] == "Dòng 1\nDòng 2"
    with pytest.raises(BadRequest):
        _validate(signer="An\nBình")
