"""Where each catalogued record stands in its year's listing, so that a page
of a year is read without sorting the year.

The year page (``GET /{agency}/{year}?page=N``) lists newest number first.
Answered by a catalog sort (repoze.catalog's ``number`` field index: a
heap over every docid of the year, each looked up in the reverse index) it
cost O(n) per page: page 1 p95 3.1 → 7.8 ms and a middle page 5.0 → 24.9 ms
for 5 000 → 15 000 records in the year (bench/scale.py, 2026-12-02).

So the catalog also keeps, per agency-year, a ``YearOrder``: for each
block of ``BLOCK`` register numbers two bit masks — the numbers the catalog
holds, and the recalled ones among them — in an IOBTree keyed by the
*negated* block number (BTrees iterate ascending only: ascending keys walk
the newest numbers first), and the two counts as ``BTrees.Length`` (counts
merge on conflict; they never hand out numbers).  A page skips whole
blocks by their popcount and reads the bits of the one or two blocks it
shows: it reads the year's buckets of masks up to the page (60 blocks, i.e.
7 680 numbers, a bucket: one bucket up to 7 680 records, ~65 small ones for
a middle page of a million), then loads its own records — never the others.

A deposit writes one bucket of masks (a few KB) and one Length; a
delivery accepted, which changes neither mask, writes nothing here.  Two
changes of masks in one block at once conflict (one is replayed): deposits
into one year already do, on the year's own BTree (numbering).
"""
from BTrees.IOBTree import IOBTree
from BTrees.Length import Length
from persistent import Persistent

BLOCK = 128


def _key(number):
    return -(number // BLOCK), 1 << (number % BLOCK)


def _bits_down(mask):
    """The set bits of ``mask``, highest first."""
    while mask:
        top = mask.bit_length() - 1
        yield top
        mask ^= 1 << top


class YearOrder(Persistent):
    """The catalogued register numbers of one agency-year, recalled or not."""

    def __init__(self):
        self.blocks = IOBTree()         # -block → (held mask, recalled mask)
        self.held = Length()
        self.recalled = Length()

    def put(self, number, recalled):
        """``number`` is catalogued, ``recalled`` or not (idempotent)."""
        key, bit = _key(number)
        held, marked = old = self.blocks.get(key, (0, 0))
        new = (held | bit, (marked | bit) if recalled else (marked & ~bit))
        if new != old:
            self._write(key, bit, old, new)

    def remove(self, number):
        key, bit = _key(number)
        old = self.blocks.get(key, (0, 0))
        if old[0] & bit:
            self._write(key, bit, old, (old[0] & ~bit, old[1] & ~bit))

    def _write(self, key, bit, old, new):
        self.held.change(bool(new[0] & bit) - bool(old[0] & bit))
        self.recalled.change(bool(new[1] & bit) - bool(old[1] & bit))
        if new[0]:
            self.blocks[key] = new
        else:
            del self.blocks[key]

    def count(self, recalled=False):
        """How many are listed: not recalled (False), recalled (True), all
        (None)."""
        if recalled is None:
            return self.held()
        return self.recalled() if recalled else self.held() - self.recalled()

    def numbers(self, recalled=False, start=0, size=50):
        """The listed numbers ``start`` to ``start + size``, newest first."""
        found, skip = [], start
        for key, (held, marked) in self.blocks.items():
            mask = held if recalled is None else (marked if recalled else held & ~marked)
            shown = mask.bit_count()
            if skip >= shown:               # the whole block is before the page
                skip -= shown
                continue
            for bit in _bits_down(mask):
                if skip:
                    skip -= 1
                    continue
                found.append(-key * BLOCK + bit)
                if len(found) == size:
                    return found
        return found
