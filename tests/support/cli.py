"""``archive-repo -c INI …`` as a test runs it: in this process by default
(``scripts.main.main(argv)``, its output captured — a subprocess costs a
second of interpreter and import start-up each time), or as the operator's
subprocess for the one smoke test each command family keeps."""
import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def cli(ini, *args, check=True, subprocess_run=False):
    if subprocess_run:
        proc = subprocess.run([str(BIN / "archive-repo"), "-c", str(ini), *map(str, args)],
                              capture_output=True, text=True, timeout=300)
        ran = Ran(proc.returncode, proc.stdout, proc.stderr)
    else:
        from archive_repo.scripts.main import main
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["-c", str(ini), *map(str, args)])
        ran = Ran(code, out.getvalue(), err.getvalue())
    if check:
        assert ran.returncode == 0, ran.stderr
    return ran
