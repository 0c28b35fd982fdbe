"""The archive's queries as Whoosh's own query objects: not used to answer
/search — bench/search.py runs them on the bare index to measure what the
app adds or saves, and tests/indexing/test_fulltext.py checks the app's
array matching against Whoosh's."""
from whoosh import query

from archive_repo.indexing import scoring
from archive_repo.indexing.analysis import fold, has_marks, phrase_syllables
from archive_repo.indexing.fulltext import FACETS


def whoosh_query(clauses, filters=None, principals=None):
    """Clauses and filters as one Whoosh query."""
    parts = [_BUILDERS[kind](arg) for kind, arg in clauses]
    parts += [query.Term(name, str(value)) for name, value in (filters or {}).items()
              if name in FACETS + ("recalled",) and value not in (None, "")]
    lo, hi = (filters or {}).get("from"), (filters or {}).get("to")
    if lo or hi:
        parts.append(query.TermRange("issued_on", lo or None, hi or None))
    if principals is not None:
        parts.append(query.Or([query.Term("allowed", p) for p in principals]))
    if not parts:
        return query.Every()
    return parts[0] if len(parts) == 1 else query.And(parts)


def _exact_or_folded(make, token):
    if not has_marks(token):
        return make(token)
    return query.Or([make(token, boost=scoring.EXACT_BOOST), make(fold(token))])


def _phrase(tokens):
    """Whoosh's own Phrase over the folded syllables' positions."""
    return query.Phrase("content", [s for _, s in phrase_syllables(tokens)])


_BUILDERS = {
    "term": lambda t: _exact_or_folded(lambda x, **kw: query.Term("content", x, **kw), t),
    "prefix": lambda t: _exact_or_folded(lambda x, **kw: query.Prefix("content", x, **kw), t),
    "phrase": _phrase,
}
