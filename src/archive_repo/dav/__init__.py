"""Read-only WebDAV (class 1) over the records tree, and the change feed
connectors sync from (issue 6; CONTRACT ``/dav/…``).

    tree.py      the DAV namespace: nodes, path resolution (NFC)
    records.py   archive → agency → year → record → versions collections
    files.py     document.pdf (blob) and files generated from metadata
    propfind.py  PROPFIND body parsing and the streamed multistatus
    stream.py    bodies read from a connection of their own
    listing.py   GET on a collection (HTML index)
    changes.py   the persistent, ordered change log
    views.py     HTTP

Endpoints (connector and archivist tokens; Bearer, or Basic with the token
as password):

* ``OPTIONS /dav/…`` and ``OPTIONS /`` — ``DAV: 1``, ``Allow``; no token needed.
* ``PROPFIND /dav/…`` — ``Depth: 0`` or ``1``; ``infinity`` or no Depth →
  403 with ``DAV:propfind-finite-depth``.  allprop (also an empty body),
  propname, named props: DAV ``resourcetype``, ``displayname``,
  ``getcontentlength``, ``getcontenttype``, ``getlastmodified``,
  ``creationdate``, ``getetag`` (``"sha256:…"``) and, in the namespace
  ``urn:x-archive-repo:lao-cai:dav:1``: ``register-number``, ``notation``,
  ``issued-on``, ``agency``, ``legal-status``, ``recalled``, ``version``,
  ``sha256``, ``reason``, ``record-count`` (years), ``change-cursor`` (root).
* ``GET``/``HEAD /dav/…`` — files with ETag, Last-Modified, Range and
  conditional requests (archive_repo.conditional; 412/416 as plain text);
  collections give an HTML index.
* any other method — 405 ``read_only`` with ``Allow``.
* ``GET /dav/changes?since=N[&limit=L][&feed=ID]`` or ``?since_time=T``
  (ISO 8601 with offset) — the change feed (changes.py):
  ``{"feed", "since", "cursor", "head", "more", "changes": [{"seq", "at",
  "what", "path", "version", "url", "dav_url"}]}``, oldest first; ``what``
  is ``added`` or the RecordModified kind (``version``, ``recall``,
  ``delivery``, ``revalidation``, …).  Store ``feed`` and ``cursor`` and ask
  again with both until ``more`` is false.  A first sync reads ``head``
  (PROPFIND the root for ``change-cursor`` and ``change-feed``, or
  ``since=0``), copies the tree, then follows the feed from that head.
  ``since`` above ``head`` → 409 ``cursor_ahead``; another ``feed`` → 409
  ``feed_changed`` (start again from 0).  ``OPTIONS`` → ``GET, HEAD,
  OPTIONS``; other methods → 405.
"""
from pyramid.events import ApplicationCreated

from ..events import RecordAdded, RecordModified
from . import changes


def includeme(config):
    config.add_route("dav_changes", "/dav/changes")
    config.add_route("dav_top", "/dav")
    config.add_route("dav", "/dav/*subpath")
    config.add_subscriber(changes.on_record_added, RecordAdded)
    config.add_subscriber(changes.on_record_modified, RecordModified)
    config.add_subscriber(changes.on_application_created, ApplicationCreated)
