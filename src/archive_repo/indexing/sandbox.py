"""Text extraction (pdfminer, Tesseract) in a child process held to CPU,
memory and wall-clock limits, so that a hostile or broken PDF costs its own
record's text and nothing more.

Measured before: a PDF of 200 000 nested ``[`` stalled the index worker
for 30 minutes and every record behind it stayed unsearchable.  Now such a
document is indexed by its metadata with ``text_source: "failed"`` and the
reason (``cpu``, ``memory``, ``wall``, ``crashed``) is kept with its text in
the TextStore (by SHA-256: a reindex does not try the same bytes again).

One long-lived child per process and set of limits (starting Python and
importing pdfminer for each document would cost ~0.5 s): the parent sends
a path as a JSON line and reads ``{"text", "source"}`` back.  Before each
document the child sets its own CPU soft limit to the time it has used plus
``cpu_seconds`` (the kernel's SIGXCPU stops it); its address space is
limited to what it had after start-up plus ``memory_mb``; the parent kills
its whole process group (Tesseract included) after ``wall_seconds``.  A
child that died is started again for the next document.
"""
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Bounds:
    cpu_seconds: int = 60
    memory_mb: int = 1024
    wall_seconds: int = 120


def bounds_of(settings):
    return Bounds(settings.extract_cpu_seconds, settings.extract_memory_mb,
                  settings.extract_wall_seconds)


class Child:
    """The parent's handle on one extraction child."""

    def __init__(self, bounds):
        self.bounds, self.proc = bounds, None
        self.lock = threading.Lock()

    def _start(self):
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "archive_repo.indexing.extract_child",
             str(self.bounds.memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            start_new_session=True)             # its own group: Tesseract dies with it

    def extract(self, path):
        """``(text, source, reason)``; ``reason`` is None unless ``source``
        is ``"failed"``."""
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            try:
                self.proc.stdin.write(json.dumps({"path": path,
                                                  "cpu": self.bounds.cpu_seconds}).encode()
                                      + b"\n")
                self.proc.stdin.flush()
                line = self._read_line(time.monotonic() + self.bounds.wall_seconds)
            except BrokenPipeError:
                line = None
            if line is None:
                return "", "failed", self._stop()
            answer = json.loads(line)
            if "failed" in answer:
                self._stop()
                return "", "failed", answer["failed"]
            return answer["text"], answer["source"], None

    def _read_line(self, deadline):
        out, chunks = self.proc.stdout, []
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([out], [], [], left)[0]:
                return None
            chunk = os.read(out.fileno(), 1 << 20)
            if not chunk:
                return None                     # the child died
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                return b"".join(chunks)

    def _stop(self):
        """Stop the child; the reason it is gone (``wall`` if it was still
        running)."""
        code = self.proc.poll()
        if code is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            reason = "wall"
        else:
            reason = REASONS.get(-code, "crashed")
        self.proc = None
        return reason


REASONS = {signal.SIGXCPU: "cpu", signal.SIGKILL: "memory", signal.SIGSEGV: "memory"}

_children, _guard = {}, threading.Lock()


def extract(path, bounds=Bounds()):
    """``(text, source, reason)`` for the PDF at ``path``, within ``bounds``."""
    with _guard:
        child = _children.setdefault(bounds, Child(bounds))
    return child.extract(path)
