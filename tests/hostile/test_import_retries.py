"""``archive-repo import`` while the server writes: the file whose commit
conflicts is imported again after a back-off and the run carries on — exit
0, every file imported once, the other writer's change kept (real
FileStorage, a real ConflictError at commit)."""
from tests.conftest import H38
from tests.workflow.test_import_cli import exported_messages, make_target, opened, run_import


def test_a_conflicting_file_is_imported_again_and_the_run_carries_on(env, tmp_path,
                                                                   monkeypatch):
    from archive_repo import db, timeutil
    from archive_repo.dav.changes import ensure_log, sequence_now
    from archive_repo.scripts import import_edxml
    files = exported_messages(env, tmp_path)
    ini = make_target(tmp_path)
    real, intruded, runs = import_edxml.import_message, [], []

    def import_then_intrude(message, ctx, known):
        """The server records a change of the agency first (twice), in the
        change-feed log the import's file writes too: its commit conflicts."""
        result = real(message, ctx, known)
        runs.append(1)
        if len(intruded) < 2:
            with db.transaction(ctx.registry) as other:
                ensure_log(other).append(H38, "/%s/2026/99" % H38, "server", timeutil.now())
            intruded.append(len(runs))
        return result
    monkeypatch.setattr(import_edxml, "import_message", import_then_intrude)
    assert run_import(ini, files) == 0
    assert intruded == [1, 2] and len(runs) == 5        # two files run twice
    with opened(ini) as (root, registry):
        assert sorted(root.agencies[H38].data[2026].keys()) == [1, 2, 3]
        sequence_now(db.database(registry))
    with opened(ini) as (root, _):
        log = ensure_log(root._p_jar)
        whats = [change.what for change in log.since(0, 100)[0]]
    assert sorted(whats) == ["added"] * 3 + ["server"] * 2
