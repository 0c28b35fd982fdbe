"""Disk space: below ``archive_repo.min_free_mb`` a deposit is 507
``storage_full`` before anything is written, and once space returns the
service works again without a restart — on a real, small tmpfs (mounted
here, as root; CI runs as root)."""
import os

import pytest

from tests.support.tmpfs import mounted_tmpfs
from tests.conftest import H38, build_env, close_env
from tests.foundation.test_deposit_http import blob_files, error_of, stored_numbers


@pytest.fixture
def small_disk(tmp_path):
    with mounted_tmpfs(tmp_path / "disk", "48m") as mount:
        yield mount


def fill(folder, leave_mb):
    """A ballast file leaving about ``leave_mb`` free on ``folder``'s volume."""
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    ballast = os.path.join(folder, "ballast")
    with open(ballast, "wb") as f:
        f.truncate(0)
        chunk = b"\0" * (1 << 20)
        for _ in range(max(0, (free >> 20) - leave_mb)):
            f.write(chunk)
    return ballast


def test_a_deposit_below_the_floor_is_507_and_works_again_when_space_returns(small_disk):
    env = build_env(small_disk, **{"archive_repo.min_free_mb": "8"})
    try:
        assert env.deposit().json["number"] == 1
        ballast = fill(str(small_disk), leave_mb=4)
        before = sorted(blob_files(env))
        res = env.deposit(status=507)
        error = error_of(res, "storage_full", 507)
        assert error["details"] == [{"min_free_mb": 8}]
        assert stored_numbers(env) == [1] and sorted(blob_files(env)) == before
        health = env.testapp.get("/health", status=503).json
        assert health["checks"]["disk"]["status"] == "failed"
        # reads keep working
        headers = dict(env.auth("archivist"), Accept="application/json")
        env.testapp.get("/%s/2026/1" % H38, headers=headers, status=200)
        assert env.testapp.get("/%s/2026/1/document.pdf" % H38, headers=env.auth(
            "archivist")).body.startswith(b"%PDF")
        os.unlink(ballast)
        assert env.deposit().json["number"] == 2        # no restart
        assert env.testapp.get("/health").json["checks"]["disk"]["status"] == "ok"
    finally:
        close_env(env)
