"""Vietnamese text analysis, independent of any search engine.

Every text and every query goes through the same steps:

1. NFC normalisation (a PDF or a keyboard may give decomposed marks);
2. the look-alike Ð (U+00D0, Icelandic eth) and ð become đ — Vietnamese
   keyboards and OCR produce it for Đ;
3. lower-casing;
4. tokens: syllables (runs of letters/digits) and, at the same position,
   notation tokens ("qđ-ubnd", "123/qđ-ubnd") so that a notation is
   findable as written;
5. each token is emitted exact *and* folded (diacritics removed with an
   explicit table, đ → d; no Unicode decomposition, which leaves đ alone),
   both at the same position, so ``quyet dinh`` finds ``Quyết định`` while a
   query typed with diacritics can give its exact form a higher weight.
"""
import re

from ..vietnamese import FOLD_TABLE, LOOKALIKES, fold_normalized as fold, normalize  # noqa: F401


_WORD = r"[^\W_]+"
# every letter that folds to each base letter (vietnamese.FOLD_TABLE)
_MARKS = {}
for _code, _base in FOLD_TABLE.items():
    _MARKS[_base] = _MARKS.get(_base, "") + chr(_code)
for _code, _same in LOOKALIKES.items():
    _MARKS[fold(_same)] += chr(_code)
# A notation: an optional number then '/', and at least two parts joined by
# '-' or '/' ("QĐ-UBND", "123/QĐ-UBND", "45/2019/QH14", "UBND-VP").
NOTATION_RE = re.compile(r"%s(?:[/-]%s)+" % (_WORD, _WORD))
SYLLABLE_RE = re.compile(_WORD)


def has_marks(token):
    return fold(token) != token


def tokens(text):
    """``(position, token, start, end)`` for each syllable and notation of
    ``text`` (normalised, not folded).  A notation shares the position of
    its first syllable, so phrase positions are those of syllables."""
    text = normalize(text)
    notation_at = {m.start(): m for m in NOTATION_RE.finditer(text)}
    for pos, m in enumerate(SYLLABLE_RE.finditer(text)):
        yield pos, m.group(), m.start(), m.end()
        found = notation_at.get(m.start())
        if found is not None:
            yield from _notation_tokens(pos, found)


def _notation_tokens(pos, match):
    """The whole notation, and its tail after a leading number
    ("123/qđ-ubnd" → also "qđ-ubnd")."""
    whole = match.group()
    yield pos, whole, match.start(), match.end()
    head, sep, tail = whole.partition("/")
    if sep and head.isdigit() and ("-" in tail or "/" in tail):
        yield pos, tail, match.start() + len(head) + 1, match.end()


def index_terms(text):
    """``(position, term, start, end)`` to index: each token exact, plus
    folded when that differs."""
    for pos, token, start, end in tokens(text):
        yield pos, token, start, end
        folded = fold(token)
        if folded != token:
            yield pos, folded, start, end


def term_postings(text):
    """What the index holds of ``text``: ``(term, frequency, positions)``
    for each distinct term :func:`index_terms` gives, counted the same way
    (so field lengths and BM25 do not change), with the syllable positions
    of each *folded* syllable (None for exact forms with marks and for
    notations).  A phrase is matched on the folded syllables' positions
    (fulltext.FullText._side_by_side); the exact forms only rank.

    The whole text is folded at once (folding maps a letter to one letter,
    so syllables keep their spans) and counted with ``Counter``: C speed
    instead of a Python step per token (bench/search.py)."""
    from collections import Counter
    text = normalize(text)
    folded_text = fold(text)
    folded = SYLLABLE_RE.findall(folded_text)
    positions = {}
    for pos, syllable in enumerate(folded):
        found = positions.get(syllable)
        if found is None:
            positions[syllable] = [pos]
        else:
            found.append(pos)
    for syllable, at in positions.items():
        # an unmarked syllable's exact form is its folded one: counted once
        yield syllable, len(at), at
    for term, count in Counter(SYLLABLE_RE.findall(text)).items():
        if term not in positions:
            yield term, count, None
    notations = Counter()
    for match in NOTATION_RE.finditer(text):
        for _, term, _, _ in _notation_tokens(0, match):
            notations[term] += 1
            if fold(term) != term:
                notations[fold(term)] += 1
    for term, count in notations.items():
        yield term, count, None


def phrase_syllables(tokens):
    """A phrase of normalised ``tokens`` as the ``(offset, folded
    syllable)`` pairs whose positions must line up from one start."""
    return list(enumerate(fold(t) for t in tokens))


# -- queries ---------------------------------------------------------------
_QUERY_RE = re.compile(r'"([^"]*)"|(\S+)')


def parse_query(text):
    """A query string as a list of clauses, all required:
    ``("phrase", [tokens])``, ``("prefix", token)``, ``("term", token)``.
    Tokens are normalised, not folded: the engine decides how to weigh the
    exact form against the folded one."""
    clauses = []
    for quoted, word in _QUERY_RE.findall(normalize(text or "")):
        if quoted:
            syllables = [t for _, t, _, _ in tokens(quoted) if NOTATION_RE.fullmatch(t) is None]
            if len(syllables) > 1:
                clauses.append(("phrase", syllables))
            elif syllables:
                clauses.append(("term", syllables[0]))
        else:
            clauses.extend(_word_clauses(word))
    return clauses


def _word_clauses(word):
    prefix = word.endswith("*")
    word = word.rstrip("*")
    if NOTATION_RE.fullmatch(word.strip(".,;:()")):
        return [("term", word.strip(".,;:()"))]
    parts = SYLLABLE_RE.findall(word)
    if not parts:
        return []
    if prefix:
        return [("term", p) for p in parts[:-1]] + [("prefix", parts[-1])]
    if len(parts) > 1:
        return [("phrase", parts)]
    return [("term", parts[0])]


# -- snippets --------------------------------------------------------------
def snippet(text, clauses, width=240, before=70, body_at=0):
    """An HTML snippet of ``text`` around the first match of ``clauses``
    from ``body_at`` on (the document's own text, after the header lines a
    result shows anyway), else the first match anywhere; every match is
    wrapped in ``<mark>``.  Matching is a regular expression on the text
    as stored (C speed), each folded letter of a word a class of every
    letter folding to it, case ignored: folding every hit's whole text
    first was two thirds of a query's time (bench/search.py)."""
    import html
    pattern = _match_pattern(clauses)
    if pattern is None:
        return html.escape(" ".join(text[body_at:body_at + width].split()))
    first = pattern.search(text, body_at) or pattern.search(text)
    floor = body_at if first is not None and first.start() >= body_at else 0
    start = 0 if first is None else max(floor, first.start() - before)
    if start > floor:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + width)
    out, pos = [], start
    for m in pattern.finditer(text, start, end):
        out.append(html.escape(text[pos:m.start()]))
        out.append("<mark>%s</mark>" % html.escape(text[m.start():m.end()]))
        pos = m.end()
    out.append(html.escape(text[pos:end]))
    body = " ".join("".join(out).split())
    return ("… " if start > floor else "") + body + (" …" if end < len(text) else "")


def _match_pattern(clauses):
    whole, prefixes = set(), set()
    for kind, arg in clauses:
        if kind == "prefix":
            prefixes.add(fold(arg))
        elif kind == "phrase":
            whole.update(fold(t) for t in arg)
        else:
            whole.add(fold(arg))
    parts = ["%s(?![^\\W_])" % _letters(w) for w in sorted(whole, key=len, reverse=True)]
    parts += [_letters(p) for p in sorted(prefixes, key=len, reverse=True)]
    if not parts:
        return None
    return re.compile("(?<![^\\W_])(?:%s)" % "|".join(parts), re.IGNORECASE)


def _letters(folded):
    """A pattern matching every spelling of the ``folded`` word that folds
    to it (marks, đ and its look-alike Ð; case by IGNORECASE)."""
    return "".join(_CLASSES.get(c) or re.escape(c) for c in folded)


_CLASSES = {base: "[%s%s]" % (base, marks) for base, marks in _MARKS.items()}
