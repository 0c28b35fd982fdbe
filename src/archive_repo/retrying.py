"""How requests survive ZODB conflicts.

Numbers are unique because the BTree refuses two deposits of the same key;
the loser's request is replayed by pyramid_retry (``retry.attempts``).
Replaying at once makes a herd: under 8 concurrent deposits into one year a
request lost 20 times in a row (measured).  A short random back-off,
doubling with each attempt, spreads the replays out.

To be replayable a request's body must be re-readable, so pyramid_retry
copies it (``make_body_seekable``: to a temp file) before any view runs —
a 5 GB upload would be read in full only to be answered 413.
``activate_hook`` gives such a request a single attempt, so the body stays
unread on the socket and the view refuses it from its Content-Length.
"""
import random
import time

from pyramid_retry import IBeforeRetry, is_last_attempt

from .edxml import EDXML_TYPES
from .settings import get_settings

MAX_SLEEP = 0.5


def body_limit(request):
    """The size limit the view will hold this request's body to: an edXML
    message's, or the upload limit (multipart deposits and versions; it is
    also far above any JSON body the archive takes)."""
    settings = get_settings(request.registry)
    if (request.content_type or "") in EDXML_TYPES:
        return settings.message_limit
    return settings.upload_limit


def activate_hook(request):
    """pyramid_retry's ``retry.activate_hook``: 1 attempt for a body declared
    larger than its limit (it will be refused, and is then never copied);
    None (the ``retry.attempts`` setting) otherwise."""
    length = request.content_length
    if length is not None and length > body_limit(request):
        return 1
    return None


def backoff(event):
    attempt = event.environ.get("retry.attempt", 0)
    time.sleep(random.uniform(0, min(MAX_SLEEP, 0.005 * 2 ** attempt)))


class TransientPredicate:
    """View predicate ``transient_retry``: with ``False``, a view matches
    unless the error is a transient one (ZODB ConflictError) that
    pyramid_retry will replay.

    pyramid_tm renders an exception view for a failed *commit* before it
    tags the error retryable, so pyramid_retry's own ``retryable_error``
    predicate would let a catch-all view swallow the conflict as a 500.
    When no view matches, the error reaches pyramid_retry."""

    def __init__(self, value, config):
        self.value = value

    def text(self):
        return "transient_retry = %s" % self.value

    phash = text

    def __call__(self, context, request):
        from transaction.interfaces import TransientError
        will_retry = isinstance(context, TransientError) and not is_last_attempt(request)
        return will_retry == self.value


def includeme(config):
    config.add_view_predicate("transient_retry", TransientPredicate)
    config.add_subscriber(backoff, IBeforeRetry)
