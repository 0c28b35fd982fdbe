"""``archive-repo import FILE…``: bulk edXML import through the same code
as HTTP, each file in its own transaction, resumable."""
import argparse
from contextlib import contextmanager

import pytest

from tests.conftest import build_env, close_env
from tests.support.pdfs import make_pdf
from tests.workflow.conftest import H38, STTTT, clerk, record_path
from archive_repo.indexing import fulltext_of, worker_of  # noqa: E402

INI = """[app:main]
use = egg:archive_repo
%s
"""


def make_target(tmp_path):
    """An empty archive on disk (agencies seeded) and its .ini."""
    target = tmp_path / "target"
    target.mkdir()
    env = build_env(target)
    close_env(env)
    ini = target / "archive.ini"
    ini.write_text(INI % "\n".join("%s = %s" % kv for kv in env.settings.items()))
    return ini


def run_import(ini, files, *flags):
    from pyramid.paster import bootstrap
    from archive_repo.scripts import import_edxml
    from archive_repo.scripts.main import CONSOLE
    parser = argparse.ArgumentParser()
    import_edxml.add_arguments(parser)
    args = parser.parse_args([str(f) for f in files] + list(flags))
    try:
        with bootstrap(str(ini), options=CONSOLE) as env:
            registry = env["registry"]
            return import_edxml.run(args, env)
    finally:
        for db in registry._zodb_databases.values():
            db.close()


@contextmanager
def opened(ini):
    """``(root, registry)`` of the archive of ``ini``, as a console job
    bootstraps it; closed afterwards."""
    from pyramid.paster import bootstrap
    from archive_repo.resources import get_root
    from archive_repo.scripts.main import CONSOLE
    with bootstrap(str(ini), options=CONSOLE) as env:
        registry = env["registry"]
        conn = registry._zodb_databases[""].open()
        try:
            yield get_root(conn), registry
        finally:
            conn.close()
    for db in registry._zodb_databases.values():
        db.close()


def stored(ini):
    with opened(ini) as (root, _):
        year = root.agencies[H38].data.get(2026)
        return {n: (r.current.sha256, [d.receiver for d in r.deliveries], len(r.versions))
                for n, r in (year.items() if year is not None else [])}


def exported_messages(env, folder, count=3):
    """``count`` records deposited in ``env`` and exported as edXML files."""
    files = []
    for i in range(count):
        record = env.deposit(meta={"receivers": [STTTT]}, pdf=make_pdf(["Số %d" % i])).json
        path = folder / ("%d.edxml" % i)
        path.write_bytes(env.testapp.get(record_path(record) + "/edxml",
                                         headers=env.auth(clerk(H38))).body)
        files.append(path)
    return files


def test_bulk_import_with_progress_resume_and_no_deliveries(env, tmp_path, capsys):
    files = exported_messages(env, tmp_path)
    ini = make_target(tmp_path)
    assert run_import(ini, files[:2]) == 0
    err = capsys.readouterr().err
    assert "2/2" in err                               # the progress bar
    assert run_import(ini, files, "--skip-existing") == 0
    assert "đã nhập 1, bỏ qua 2" in capsys.readouterr().out
    found = stored(ini)
    assert sorted(found) == [1, 2, 3]
    assert all(receivers == [] for _, receivers, _ in found.values())   # historical
    # the console job indexed what it imported: nothing left for the server
    assert indexed(ini) == ({"/%s/2026/%d" % (H38, n) for n in (1, 2, 3)}, 0)


def indexed(ini):
    """(paths in the full-text index, records still queued)."""
    with opened(ini) as (_, registry):
        return fulltext_of(registry).paths(), worker_of(registry).pending_paths()


def test_a_bad_file_stops_with_its_name_and_keeps_what_came_before(env, tmp_path):
    from archive_repo.errors import ArchiveError
    record = env.deposit().json
    good = tmp_path / "good.edxml"
    good.write_bytes(env.testapp.get(record_path(record) + "/edxml",
                                     headers=env.auth(clerk(H38))).body)
    bad = tmp_path / "bad.edxml"
    bad.write_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    ini = make_target(tmp_path)
    with pytest.raises(ArchiveError) as info:
        run_import(ini, [good, bad])
    assert info.value.message.startswith("bad.edxml: ")
    assert sorted(stored(ini)) == [1]


def test_a_replayed_update_adds_no_version_and_counts_as_skipped(env, tmp_path, capsys):
    from tests.workflow.conftest import add_version
    record = env.deposit(meta={"receivers": [STTTT]}).json
    first = tmp_path / "new.edxml"
    first.write_bytes(env.testapp.get(record_path(record) + "/edxml",
                                      headers=env.auth(clerk(H38))).body)
    add_version(env, record, pdf=make_pdf(["Bản đính chính"]))
    update = tmp_path / "update.edxml"
    update.write_bytes(env.testapp.get(record_path(record) + "/edxml?business=update",
                                       headers=env.auth(clerk(H38))).body)
    ini = make_target(tmp_path)
    assert run_import(ini, [first, update, update]) == 0
    assert "đã nhập 2, bỏ qua 1" in capsys.readouterr().out
    assert stored(ini)[record["number"]][2] == 2                  # versions
