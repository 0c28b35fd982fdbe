"""Every entry point that changes a record, one table: after each, the
catalog, the change feed, the full-text index (once the worker has drained),
the audit trail and the reports' facts ledger agree with ZODB.

The domain operations fire their own events (archive_repo.events), so an
entry point cannot forget one; this test is what would notice if one did:
a missing event leaves the catalog stale, the feed short of an entry, the
audit trail without the action, or the full text behind.
"""
import argparse

import pytest

from tests.conftest import SYT, build_env, close_env
from tests.support.pdfs import make_pdf
from tests.workflow.conftest import (H38, STTTT, accept, acknowledge, add_version, clerk,
                                     export, post_status, post_xml, recall,
                                     record_path, refuse, status_message)


@pytest.fixture
def source(tmp_path):
    """Another archive: the issuer whose edXML messages the archive under
    test imports."""
    (tmp_path / "source").mkdir()
    other = build_env(tmp_path / "source")
    yield other
    close_env(other)


def _deposited(env, source):
    return env.deposit(meta={"receivers": [STTTT, SYT]}).json


def _cli_import(env, message, tmp_path):
    from archive_repo.scripts import import_edxml
    path = tmp_path / "message.edxml"
    path.write_bytes(message)
    parser = argparse.ArgumentParser()
    import_edxml.add_arguments(parser)
    # the console command's own run(), in this process, on the app's registry
    assert import_edxml.run(parser.parse_args([str(path)]), {"registry": env.registry}) == 0


def _cli_import_package(env, source, tmp_path):
    """The source's year as an archival package, imported by the console
    command's own run() on the app's registry."""
    from archive_repo.preservation.package import export
    from archive_repo.scripts import import_package
    source.deposit(meta={"receivers": [STTTT]})
    path = tmp_path / "aip.zip"
    export(source.registry, H38, 2026, str(path))
    parser = argparse.ArgumentParser()
    import_package.add_arguments(parser)
    assert import_package.run(parser.parse_args([str(path)]), {"registry": env.registry}) == 0


def _revalidate(env, record):
    from archive_repo import db
    from archive_repo.resources import get_root
    from archive_repo.rules import rule_policy
    from archive_repo.rules.revalidate import revalidate
    with db.opened(db.database(env.registry)) as conn:
        tm = conn.transaction_manager
        tm.begin()
        revalidate(get_root(conn), rule_policy(env.registry), tm.commit, registry=env.registry)
        tm.commit()


def _status(code, who, **text):
    def send(env, record):
        receiver = who
        sender = H38 if code == "13" else receiver
        post_status(env, record, receiver, status_message(code, sender, record, **text),
                    clerk(sender))
    return send


# Each row: what the clerk, the axis or the operator does to a record in the
# state ``prepare`` leaves it in; the audit action and the change-feed kind
# it must leave behind.
def _recalled(env, record):
    recall(env, record)


def _deposit_form(env, src, tmp):
    """The clerk's browser form (its fields, not the API's metadata JSON)."""
    res = env.testapp.post(
        "/%s/deposit" % H38,
        params={"notation": "QĐ-UBND", "doctype": "QĐ", "issued_on": "05/03/2026",
                "subject": "Về việc nộp lưu qua biểu mẫu", "signer": "Nguyễn Văn An",
                "receiver:%s" % STTTT: "on"},
        upload_files=[("file", "vanban.pdf", make_pdf())],
        headers=dict(env.auth(clerk(H38)), Accept="text/html"), status=303)
    assert "deposited=1" in res.location


ENTRY_POINTS = {
    "deposit over HTTP": (None, None, "deposit", "added"),
    "deposit through the browser form": (None, _deposit_form, "deposit", "added"),
    "edXML import over HTTP": (
        None, lambda env, src, tmp: post_xml(env, export(src, src.deposit().json)).json,
        "import_edxml", "added"),
    "edXML import by the console": (
        None, lambda env, src, tmp: _cli_import(env, export(src, src.deposit().json), tmp),
        "import_edxml", "added"),
    "AIP import by the console": (None, _cli_import_package, "import_package", "added"),
    "accept": (None, lambda env, r: accept(env, r, STTTT, handler="Phòng Kế hoạch"),
               "accept", "delivery"),
    "refuse": (None, lambda env, r: refuse(env, r, STTTT), "refuse", "delivery"),
    "recall": (None, _recalled, "recall", "recall"),
    "acknowledge recall": (_recalled, lambda env, r: acknowledge(env, r, STTTT),
                           "acknowledge_recall", "delivery"),
    "new version over HTTP": (None, lambda env, r: add_version(env, r), "new_version",
                              "version"),
    "status 01 arrived": (None, _status("01", STTTT), "status_edxml", "delivery"),
    "status 02 refused": (None, _status("02", STTTT, description="Sai thẩm quyền"),
                          "status_edxml", "delivery"),
    "status 03 accepted": (None, _status("03", STTTT, staff="Nguyễn Văn Bình"),
                           "status_edxml", "delivery"),
    "status 04 assigned": (lambda env, r: accept(env, r, STTTT), _status("04", STTTT),
                           "status_edxml", "delivery"),
    "status 13 recall": (None, _status("13", STTTT, description="Ban hành sai"),
                         "status_edxml", "recall"),
    "status 15 recall done": (_recalled, _status("15", STTTT), "status_edxml", "delivery"),
    "revalidate": (None, lambda env, r: _revalidate(env, r), "revalidate", "revalidation"),
}


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
def test_every_entry_point_keeps_the_indexes_feed_and_audit_with_the_database(
        name, env, source, tmp_path):
    prepare, act, action, what = ENTRY_POINTS[name]
    if act is None:                                  # the deposit itself
        path = record_path(_deposited(env, source))
    elif prepare is None and act.__code__.co_argcount == 3:
        before = _paths(env)
        act(env, source, tmp_path)
        [path] = _paths(env) - before
    else:
        record = _deposited(env, source)
        if prepare is not None:
            prepare(env, record)
        act(env, record)
        path = record_path(record)
    _assert_consistent(env, path, action, what)


def _paths(env):
    from archive_repo.indexing.rebuild import iter_records
    conn = env.conn()
    try:
        return {r.path for r in iter_records(env.root(conn))}
    finally:
        conn.close()


def _assert_consistent(env, path, action, what):
    from archive_repo.audit import AUDIT_DB, get_log
    from archive_repo.dav import changes
    from archive_repo.indexing import fulltext_of, worker_of
    from archive_repo.indexing.catalog import get_catalog, values
    from archive_repo.indexing.rebuild import differences, iter_records
    from archive_repo.reports import facts
    assert worker_of(env.registry).wait_idle(60), "the index worker did not drain"
    conn = env.conn()
    try:
        root = env.root(conn)
        records = {r.path: r for r in iter_records(root)}
        catalog = get_catalog(root)
        for record_path_, record in records.items():     # no catalog entry is stale
            assert catalog.indexed_values(record_path_) == catalog.comparable(values(record))
        ledger = facts.ledger_in(conn)                    # nor any row of the reports' facts
        assert {k: row for k, row in ledger.items()} == {
            (r.agency_code, r.year, r.number): facts.row_of(r) for r in records.values()}
        assert differences(root, fulltext_of(env.registry)) == {
            "missing_catalog": [], "extra_catalog": [], "missing_fulltext": [],
            "extra_fulltext": [], "failed": [], "pending": []}
        feed = [c for c in changes.get_log(conn).since(0, 10000)[0] if c.path == path]
        # history carried in from a package (imported_from) is the source's,
        # not a change made here
        trail = [e for e in get_log(conn.get_connection(AUDIT_DB)).for_target(path)
                 if e["action"] != "read"
                 and "imported_from" not in (e.get("detail") or {})]
        # one audit entry per change, in the same order, the last one this action
        assert len(trail) == len(feed), (trail, feed)
        assert (trail[-1]["action"], trail[-1]["outcome"], feed[-1].what) == (action, "ok", what)
        assert feed[-1].version == len(records[path].versions)
    finally:
        conn.close()


def test_a_subscriber_never_sees_a_record_without_its_deliveries(env):
    """Deliveries are made by the deposit itself, before RecordAdded fires:
    whatever listens (the catalog indexes delivery states) sees them."""
    from archive_repo.events import RecordAdded
    seen = []
    handler = lambda event: seen.append([d.receiver for d in event.record.deliveries])  # noqa
    env.registry.registerHandler(handler, (RecordAdded,))
    try:
        env.deposit(meta={"receivers": [STTTT, SYT]})
    finally:
        env.registry.unregisterHandler(handler, (RecordAdded,))
    assert seen == [[STTTT, SYT]]


def test_versions_made_by_a_step_are_counted_in_the_feed(env):
    record = env.deposit().json
    add_version(env, record, pdf=make_pdf(["Lần 2"]))
    add_version(env, record, pdf=make_pdf(["Lần 3"]))
    _assert_consistent(env, record_path(record), "new_version", "version")
