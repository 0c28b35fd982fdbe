"""GET on a DAV collection: a plain HTML index for people who open the
address in a browser.  Names only (a year's names are its BTree keys), so
it streams without loading a record.

Links are absolute paths (with the mount prefix): a relative ``1/`` would
point one level too high when the address was typed without its trailing
slash (``/dav/H38/2026``)."""
import logging
from html import escape
from urllib.parse import quote

from .propfind import href

HEAD = ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<title>%s</title></head><body><h1>%s</h1>'
        '<p>Thư mục WebDAV chỉ đọc. Dùng ứng dụng WebDAV (rclone, cadaver, '
        'Windows Explorer…) để sao chép.</p><ul>\n')
BROKEN = "<li><strong>Danh sách chưa đầy đủ: lỗi hệ thống; hãy thử lại sau.</strong></li>\n"
TAIL = "</ul></body></html>\n"
BATCH = 500
log = logging.getLogger(__name__)


def _items(base, node):
    here = href(base, node)
    try:
        for name, collection in node.entries():
            link = here + quote(name, safe="") + ("/" if collection else "")
            yield '<li><a href="%s">%s</a></li>\n' % (escape(link), escape(name))
    except Exception:
        # the 200 is already sent: end the page properly and say so
        log.exception("DAV index of %s stopped", here)
        yield BROKEN


def page(base, node, tick):
    title = escape(node.displayname())
    yield (HEAD % (title, title)).encode("utf-8")
    batch = []
    for item in _items(base, node):
        batch.append(item)
        if len(batch) == BATCH:
            yield "".join(batch).encode("utf-8")
            batch = []
            tick()
    batch.append(TAIL)
    yield "".join(batch).encode("utf-8")
