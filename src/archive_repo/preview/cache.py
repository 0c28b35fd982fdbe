"""Rendered previews, least recently used first out.  Keyed by the
version's SHA-256 and the verdicts drawn: the bytes never change, and a
preview is cheap to redo after a restart (about 0.1 s a page)."""
import threading
from collections import OrderedDict

from zope.interface import Interface

SIZE = 64


class IPreviewCache(Interface):
    """Marker for the process's PreviewCache."""


class PreviewCache:
    def __init__(self, size=SIZE):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()
        self.hits = self.misses = 0

    def get_or_make(self, key, make):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                self.hits += 1
                return self.items[key]
            self.misses += 1
        value = make()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value
