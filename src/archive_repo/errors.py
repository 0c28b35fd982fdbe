"""The one error type of the archive's domain.

Domain functions raise :class:`ArchiveError`; an exception view turns it into
the contract's JSON shape ``{"error": {"code", "message", "details"}}``.  It
*raises* rather than returns so that ``pyramid_tm`` aborts the request's
transaction: a refusal never leaves half a record behind.
"""


class ArchiveError(Exception):
    status = 400
    headers = None          # response headers that go with it (Retry-After…)

    def __init__(self, code, message, details=(), status=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = list(details)
        if status is not None:
            self.status = status

    def as_json(self):
        return {"error": {"code": self.code, "message": self.message,
                          "details": self.details}}


class BadRequest(ArchiveError):
    status = 400


class Rejected(ArchiveError):
    """The document failed a rule that forbids keeping it (422)."""
    status = 422

    def __init__(self, details, message=None):
        super().__init__(
            "rejected",
            message or "Văn bản bị từ chối: không đáp ứng quy định, không lưu trữ.",
            details)


class Conflict(ArchiveError):
    status = 409


class TooLarge(ArchiveError):
    status = 413


class Gone(ArchiveError):
    """A destroyed record (an executed disposal decision): 410 with its
    tombstone — identifier, title, retention, decision, SHA-256s."""
    status = 410

    def __init__(self, record):
        stone = record.tombstone
        super().__init__(
            "destroyed",
            "Văn bản %s đã bị tiêu hủy theo Quyết định số %s ngày %s."
            % (record.path, stone.get("decision_number"), stone.get("decision_date_shown")),
            [dict(stone, path=record.path)])
