"""``reindex`` and ``check-index`` on a real FileStorage, bootstrapped from
an .ini file the way ``archive-repo -c INI …`` runs them."""
import argparse

import pytest
from pyramid.paster import bootstrap

from archive_repo.scripts.main import CONSOLE

from .conftest import H38, build_env, close_env, paths, restarted, search, settle
from archive_repo.indexing import fulltext_of, worker_of  # noqa: E402

INI = """[app:main]
use = egg:archive_repo
zodbconn.uri = file://{var}/Data.fs?blobstorage_dir={var}/blobs
zodbconn.uri.audit = file://{var}/Audit.fs
archive_repo.index_dir = {var}/index
archive_repo.trust_roots = {var}/trust
"""


@pytest.fixture
def ini(tmp_path):
    env = build_env(tmp_path)
    for number in (1, 2, 3):
        env.deposit(meta={"number": number})
    settle(env)
    worker_of(env.registry).stop()
    close_env(env)
    path = tmp_path / "app.ini"
    path.write_text(INI.format(var=tmp_path))
    return str(path)


def _run(ini, module, *argv):
    import importlib
    mod = importlib.import_module("archive_repo.scripts." + module)
    parser = argparse.ArgumentParser()
    mod.add_arguments(parser)
    args = parser.parse_args(list(argv))
    with bootstrap(ini, options=CONSOLE) as env:
        registry = env["registry"]
        assert worker_of(registry).thread is None     # console jobs run no worker
        status = mod.run(args, env)
    _close(registry)
    return status


def _close(registry):
    for db in registry._zodb_databases.values():
        db.close()


def _damage(ini):
    """Lose one record from the catalog and another from the full text,
    behind the app's back."""
    from archive_repo.indexing.catalog import get_catalog
    with bootstrap(ini, options=CONSOLE) as env:
        registry = env["registry"]
        tm = env["request"].tm
        tm.begin()
        get_catalog(env["root"]).unindex("/%s/2026/2" % H38)
        tm.commit()
        fulltext_of(registry).apply([], ["/%s/2026/3" % H38])
    _close(registry)


def test_check_index_agrees_after_normal_work(ini, capsys):
    assert _run(ini, "check_index") == 0
    out = capsys.readouterr().out
    assert "thiếu trong chỉ mục toàn văn: 0" in out


def test_check_index_reports_differences_and_reindex_repairs(ini, capsys, tmp_path):
    _damage(ini)
    assert _run(ini, "check_index") == 1
    captured = capsys.readouterr()
    assert "thiếu trong danh mục (catalog): 1\n  /%s/2026/2" % H38 in captured.out
    assert "thiếu trong chỉ mục toàn văn: 1\n  /%s/2026/3" % H38 in captured.out
    assert "archive-repo reindex" in captured.err

    assert _run(ini, "reindex", "--dry-run") == 0
    assert _run(ini, "check_index") == 1              # a dry run writes nothing
    capsys.readouterr()

    assert _run(ini, "reindex", "--every", "2", "--compact") == 0
    captured = capsys.readouterr()
    assert "3/3" in captured.err                      # the progress bar
    assert "Đã lập chỉ mục 3 văn bản" in captured.out
    assert _run(ini, "check_index") == 0
    from archive_repo.indexing.fulltext import FullText
    index = FullText(str(tmp_path / "index"))
    assert index.segment_sizes() == [3]               # --compact: one segment
    index.close()

    with restarted(tmp_path) as env:
        assert sorted(paths(search(env, q="chuyen doi so"))) == [
            "/%s/2026/%d" % (H38, n) for n in (1, 2, 3)]


def test_lost_full_text_folder_is_rebuilt_at_start_up(ini, tmp_path):
    import shutil
    shutil.rmtree(tmp_path / "index")
    with restarted(tmp_path) as env:
        assert search(env, q="chuyen doi so")["total"] == 3


def test_damaged_full_text_folder_is_set_aside_and_rebuilt(ini, tmp_path):
    for toc in (tmp_path / "index").glob("*.toc"):
        toc.write_bytes(b"not a table of contents")
    with restarted(tmp_path) as env:
        assert search(env, q="chuyen doi so")["total"] == 3
    aside = list(tmp_path.glob("index.set-aside-*"))
    assert len(aside) == 1 and any(p.suffix == ".toc" for p in aside[0].iterdir())


def test_a_catalog_of_an_older_layout_is_rebuilt_by_its_evolve_step_at_start_up(ini, tmp_path):
    from ZODB import DB
    from ZODB.FileStorage import FileStorage

    from archive_repo.indexing.catalog import LAYOUT, RecordCatalog, get_catalog
    from archive_repo.resources import get_root
    db = DB(FileStorage(str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobs")))
    conn = db.open()
    old = RecordCatalog()                      # as an older version left it
    old.layout = LAYOUT - 1
    get_root(conn).catalog = old
    del get_root(conn).evolved["2026-12-catalog-layout-3"]   # by a release before the step
    conn.transaction_manager.commit()
    db.close()
    with restarted(tmp_path) as env:
        conn = env.conn()
        try:
            catalog = get_catalog(env.root(conn))
            assert catalog.layout == LAYOUT and len(catalog) == 3
            assert catalog.query(agency=H38, year=2026)[0] == 3
        finally:
            conn.close()


def test_reindex_writes_the_full_text_over_two_processes(tmp_path):
    """What an operator's reindex does by default (``--procs 2``): every
    record indexed once, one segment per writer process, nothing lost."""
    from archive_repo.indexing.fulltext import MP_BATCH, FullText
    from tests.dav.conftest import bulk_year
    count = 2 * MP_BATCH + 20
    env = build_env(tmp_path)
    bulk_year(env, H38, 2025, count)
    settle(env)
    worker_of(env.registry).stop()
    close_env(env)
    ini = tmp_path / "app.ini"
    ini.write_text(INI.format(var=tmp_path))
    assert _run(str(ini), "reindex", "--procs", "2") == 0
    index = FullText(str(tmp_path / "index"))
    try:
        assert index.doc_count() == count
        assert sum(index.segment_sizes()) >= count + 2      # the old documents, deleted
        assert len(index.segment_sizes()) >= 3
    finally:
        index.close()
    assert _run(str(ini), "check_index") == 0
