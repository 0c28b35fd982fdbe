"""Events the domain fires; other concerns (indexing, audit, sync feed)
subscribe to them instead of being called from the deposit code.

Subscribers run inside the request's transaction: what they write to ZODB
commits or aborts with the change that caused it.
"""


class RecordEvent:
    """Base: something happened to ``record``; ``request`` may be None
    (command-line jobs)."""

    def __init__(self, record, request=None, **info):
        self.record = record
        self.request = request
        self.info = info


class RecordAdded(RecordEvent):
    """A new record (its first version) was deposited."""


class RecordModified(RecordEvent):
    """A record changed: new version, recall, delivery state, new report.
    ``info['what']`` says which."""
