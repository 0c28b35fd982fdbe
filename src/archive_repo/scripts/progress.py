"""A plain progress bar on stderr for long console jobs."""
import sys
import time


class Progress:
    def __init__(self, total, label="", stream=None, width=30):
        self.total, self.label, self.width = total, label, width
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self._last = 0.0

    def step(self, n=1):
        self.done += n
        now = time.monotonic()
        if now - self._last >= 0.2 or self.done >= self.total:
            self._last = now
            self.draw()

    def draw(self):
        frac = self.done / self.total if self.total else 1.0
        filled = int(frac * self.width)
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        self.stream.write("\r%s [%s%s] %d/%d %.0f/s" % (
            self.label, "#" * filled, "." * (self.width - filled),
            self.done, self.total, rate))
        self.stream.flush()

    def close(self):
        self.draw()
        self.stream.write("\n")
        self.stream.flush()
