"""GET on a DAV collection: a plain HTML index for people who open the
address in a browser.  Names only (a year's names are its BTree keys), so
it streams without loading a record."""
from html import escape
from urllib.parse import quote

HEAD = ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<title>%s</title></head><body><h1>%s</h1>'
        '<p>Thư mục WebDAV chỉ đọc. Dùng ứng dụng WebDAV (rclone, cadaver, '
        'Windows Explorer…) để sao chép.</p><ul>\n')
BATCH = 500


def page(node, tick):
    title = escape(node.displayname())
    yield (HEAD % (title, title)).encode("utf-8")
    batch = []
    for name in node.names():
        batch.append('<li><a href="%s">%s</a></li>\n' % (quote(name, safe=""), escape(name)))
        if len(batch) == BATCH:
            yield "".join(batch).encode("utf-8")
            batch = []
            tick()
    batch.append("</ul></body></html>\n")
    yield "".join(batch).encode("utf-8")
