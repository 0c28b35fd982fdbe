"""New versions of a record: corrections and replacements (edXML
``BussinessDocType`` 2 update, 3 replace).

Each version is an immutable :class:`~archive_repo.resources.Version` with
its own rule report (deposit.service.evaluate_file); ``document.pdf``
serves the newest, ``versions/N/document.pdf`` any of them.  A recalled
record is frozen and takes no new version.
"""
from ..errors import BadRequest
from ..resources import new_version
from .recall import check_issuer, check_not_recalled

KINDS = {"update": "Đính chính, cập nhật", "replace": "Thay thế"}


def check_kind(kind):
    if kind not in KINDS:
        raise BadRequest("invalid_version_kind",
                         "Loại phiên bản phải là một trong: update (đính chính), "
                         "replace (thay thế).", [{"field": "kind", "value": kind}])
    return kind


def check_allowed(record, actor):
    """Before the upload is read: only the issuer, never a recalled record."""
    check_issuer(record, actor, "bổ sung phiên bản cho")
    check_not_recalled(record, "bổ sung phiên bản")


def same_bytes(record, sha256):
    """The record's version with these bytes, if any: sending the same file
    again (a replayed message, a retried upload) adds no version."""
    return next((v for v in record.versions if v.sha256 == sha256), None)


def add_version(record, kind, spooled, report, actor_id, at):
    """Store the checked file as the record's next version."""
    version = new_version(record, spooled.sha256, spooled.size, spooled.filename,
                          actor_id, report, reason=check_kind(kind), at=at)
    version.store_file(spooled.path)
    return version


class Versions:
    """``/{agency}/{year}/{number}/versions`` (not persistent)."""

    __name__ = "versions"

    def __init__(self, record):
        self.__parent__ = self.record = record

    def __getitem__(self, name):
        if not (isinstance(name, str) and name.isdigit() and name.isascii()):
            raise KeyError(name)
        number = int(name)
        if not 1 <= number <= len(self.record.versions):
            raise KeyError(name)
        return VersionContext(self, self.record.versions[number - 1])


class VersionContext:
    """``…/versions/N``: one version, read-only."""

    def __init__(self, parent, version):
        self.__parent__ = parent
        self.__name__ = str(version.number)
        self.record = parent.record
        self.version = version

