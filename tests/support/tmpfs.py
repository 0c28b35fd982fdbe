"""A real, small tmpfs for the disk-full tests, mounted as root (CI runs as
root); the test is skipped, naming why, where mounting is impossible."""
import subprocess
from contextlib import contextmanager

import pytest


@contextmanager
def mounted_tmpfs(folder, size):
    """``folder`` (made here) as a tmpfs of ``size`` (``"4m"``), unmounted after."""
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s" % size, "tmpfs",
                           str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root): %s" % done.stderr.strip())
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
