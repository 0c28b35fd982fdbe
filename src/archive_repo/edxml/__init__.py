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


def includeme(config):
    config.add_view_predicate("edxml_body", EdxmlBodyPredicate)
