"""Page-one preview of a record's document: ``GET {record}/preview.png``.

Page 1 rendered server-side with PDFium (pypdfium2) at ``DPI``, each
signature widget and stamp box of the deposit report drawn over it in green
(its checks passed) or red (one failed), so an archivist sees where the
seal sits and why 9.2c passed or failed.

    marks.py     the boxes and their verdicts, from the stored rule report
    render.py    PDF page 1 → PNG with the boxes drawn (Pillow)
    cache.py     an in-memory LRU of rendered previews (a registry utility)
    views.py     the view, and the record page's legend (``BeforeRender``)
"""
from pyramid.events import BeforeRender

from .cache import IPreviewCache, PreviewCache


def includeme(config):
    config.registry.registerUtility(PreviewCache(), IPreviewCache)
    from .views import add_preview_facts
    config.add_subscriber(add_preview_facts, BeforeRender)
