"""edXML (QCVN 102:2016/BTTTT) at the archive's edge.

    schema.py    the vocabulary shared by reader and writer
    parse.py     safe, streaming reading (no DTD, limits)
    build.py     a record → an edXML message
    importer.py  an edXML message → a deposit, a new version or a recall
    status.py    status messages ↔ the delivery lifecycle
    views.py     HTTP
"""

EDXML_TYPES = ("application/xml", "text/xml", "application/edxml+xml")


class EdxmlBodyPredicate:
    """View predicate ``edxml_body=True``: the request body is XML (so
    ``POST /{agency}/{year}/`` with an edXML body reaches the import view
    while multipart deposits keep their own view)."""

    def __init__(self, value, config):
        self.value = value

    def text(self):
        return "edxml_body = %s" % self.value

    phash = text

    def __call__(self, context, request):
        return ((request.content_type or "") in EDXML_TYPES) == self.value


def message_limit(settings):
    """Bytes an edXML message may have: the upload limit, base64-inflated,
    plus 1 MiB of header."""
    upload = int(settings.get("archive_repo.max_upload_mb", 100)) << 20
    return upload * 4 // 3 + (1 << 20)


def includeme(config):
    config.add_view_predicate("edxml_body", EdxmlBodyPredicate)
