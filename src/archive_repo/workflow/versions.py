"""New versions of a record: corrections and replacements (edXML
``BussinessDocType`` 2 update, 3 replace).

Each version is an immutable :class:`~archive_repo.resources.Version` with
its own rule report (rules.engine.evaluate_file); ``document.pdf``
serves the newest, ``versions/N/document.pdf`` any of them.  A recalled
record is frozen and takes no new version.
"""
from ..errors import BadRequest
from ..events import RecordActionNoted, RecordModified, fire
from ..resources import new_version
from ..resources.root import remember_digest
from ..rules.engine import evaluate_file
from ..rules.issuer import issuer_of
from ..resources.folder import parse_number
from .deliveries import actor_id
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


def add_version(record, kind, spooled, actor, at, policy, *, registry, request=None,
                because=None):
    """Check the spooled file and store it as the record's next version;
    return ``(version, duplicate)``.  The same bytes as a version the record
    already has (a replayed message, a retried upload) add nothing: that
    version is returned with ``duplicate`` true, and only audited."""
    kind = check_kind(kind)
    same = same_bytes(record, spooled.sha256)
    detail = {"kind": kind, "sha256": spooled.sha256}
    if same is not None:
        fire(registry, RecordActionNoted(
            record, request, action="new_version", actor=actor, outcome="duplicate",
            because=because, detail=dict(detail, version=same.number)))
        return same, True
    report = evaluate_file(spooled, record.metadata, at, policy, issuer_of(record))
    version = new_version(record, spooled.sha256, spooled.size, spooled.filename,
                          actor_id(actor), report, reason=kind, at=at)
    version.store_file(spooled.path)
    remember_digest(record, version.sha256, record.path)
    fire(registry, RecordModified(
        record, request, action="new_version", actor=actor, because=because,
        detail=dict(detail, version=version.number), what="version"))
    return version, False


class Versions:
    """``/{agency}/{year}/{number}/versions`` (not persistent)."""

    __name__ = "versions"

    def __init__(self, record):
        self.__parent__ = self.record = record

    def __getitem__(self, name):
        number = parse_number(name)
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

