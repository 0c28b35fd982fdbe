"""The search function behind ``GET /search`` (and the bench).

Whoosh answers the query, the filters, the facets and the snippets; the
catalog, in ZODB, has the last word on who may read a hit: a page's hits
are checked against the ``allowed`` index before they are shown, so a
full-text index a few seconds behind (an ACL change still in the outbox)
can never show a record its reader may not see.
"""
FILTERS = ("agency", "year", "doctype", "legal_status", "urgency", "from", "to",
           "recalled")
SORTS = ("relevance", "date", "date_asc")


def run_search(fulltext, catalog, principals, text="", filters=None, sort="relevance",
               page=1, size=20):
    """``{"total", "results": [{path, subject, notation, number, agency,
    issued_on, snippet, score, text_source}], "facets"}``."""
    found = fulltext.search(text, filters=filters or {}, principals=principals,
                            sort=None if sort == "relevance" else sort,
                            start=(page - 1) * size, size=size)
    paths = [h["path"] for h in found["hits"]]
    readable = catalog.allowed(paths, principals) if paths else set()
    results = [_result(h) for h in found["hits"] if h["path"] in readable]
    hidden = len(paths) - len(results)
    return {"total": found["total"] - hidden, "results": results,
            "facets": found["facets"]}


def _result(hit):
    return {"path": hit["path"], "subject": hit.get("subject"),
            "notation": hit.get("notation"), "number": hit.get("number"),
            "agency": hit.get("agency"), "issued_on": hit.get("issued_on"),
            "legal_status": hit.get("legal_status"),
            "doctype": hit.get("doctype"), "urgency": hit.get("urgency"),
            "recalled": hit.get("recalled") == "1",
            "snippet": hit.get("snippet"), "score": hit.get("score"),
            "text_source": hit.get("text_source")}
