"""Register numbers (Decree 30/2020: in issuing order within the year, from
01 on 1 January).

The number is the record's key in its Year's IOBTree, so uniqueness is the
BTree's job: ``next_number`` is the highest key + 1, and two concurrent
transactions that choose the same number insert the same key into the same
bucket, which ZODB refuses to merge (ConflictError); pyramid_retry replays
the loser, which then sees the winner's number.  A conflict-merging counter
(``BTrees.Length``) would hand out the same number twice.
"""
from ..errors import Conflict


def choose_number(year, requested):
    if requested is None:
        return year.next_number()
    if requested in year:
        raise Conflict("number_taken",
                       "Số %d đã được dùng trong sổ văn bản đi năm %d của cơ quan này."
                       % (requested, year.year),
                       [{"field": "number", "value": requested}])
    return requested
