"""BTree-backed containers, after Substance D's ``Folder``.

A container holds its children in a BTree so that a year with 100 000
records has O(1) ``len`` (a ``BTrees.Length`` — fine for a *count*, never for
handing out numbers) and iterates lazily, loading only the buckets it walks.
``__getitem__`` raises ``KeyError`` and nothing else, which is what Pyramid's
traverser needs to answer 404.
"""
from BTrees.IOBTree import IOBTree
from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from persistent import Persistent


class Folder(Persistent):
    """Children keyed by a string name."""

    _btree_factory = OOBTree
    __name__ = None
    __parent__ = None

    def __init__(self):
        self.data = self._btree_factory()
        self._num_objects = Length()

    def _key(self, name):
        """Turn a traversal name into a BTree key; KeyError if it cannot be
        one."""
        if not isinstance(name, str) or not name:
            raise KeyError(name)
        return name

    def __getitem__(self, name):
        return self.data[self._key(name)]

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name):
        try:
            return self._key(name) in self.data
        except KeyError:
            return False

    def __len__(self):
        return self._num_objects()

    def __iter__(self):
        return iter(self.data.keys())

    def keys(self, min=None, max=None):
        return self.data.keys(min, max)

    def values(self, min=None, max=None):
        return self.data.values(min, max)

    def items(self, min=None, max=None):
        return self.data.items(min, max)

    def add(self, key, child):
        """Add ``child`` under ``key``.  A key already present raises
        KeyError; two concurrent transactions adding the same key conflict
        in the BTree bucket and one of them is replayed."""
        if not self.data.insert(key, child):
            raise KeyError(key)
        child.__name__ = str(key)
        child.__parent__ = self
        self._num_objects.change(1)
        return child


MAX_NUMBER = 2 ** 31 - 1


def parse_number(name):
    """The positive number a path segment names, in its one canonical
    spelling — ASCII digits, no leading zero, at most 10 of them: ``02026``
    or full-width ``２０２６`` would be a second URL of the same resource
    (they were, over the API, and 404 over WebDAV), and 5 000 digits would
    reach ``int()``'s limit.  KeyError otherwise, as traversal wants."""
    if not (isinstance(name, str) and 0 < len(name) <= 10 and name.isascii()
            and name.isdigit() and name[0] != "0"):
        raise KeyError(name)
    number = int(name)
    if number > MAX_NUMBER:
        raise KeyError(name)
    return number


class IntFolder(Folder):
    """Children keyed by a positive integer (years, register numbers)."""

    _btree_factory = IOBTree
    min_key = 1
    max_key = MAX_NUMBER

    def _key(self, name):
        key = name if isinstance(name, int) and not isinstance(name, bool) \
            else parse_number(name)
        if not self.min_key <= key <= self.max_key:
            raise KeyError(name)
        return key

    def highest(self):
        """The highest key in use, or 0."""
        try:
            return self.data.maxKey()
        except ValueError:
            return 0

    def page(self, start=0, size=50, reverse=True):
        """Children from ``start`` (newest first by default) without loading
        the rest: a slice of the key iterator."""
        keys = self.data.keys()
        total = len(self)
        if reverse:
            lo, hi = max(total - start - size, 0), total - start
            chosen = list(keys[lo:hi])[::-1] if hi > 0 else []
        else:
            chosen = list(keys[start:start + size])
        return [self.data[k] for k in chosen]
