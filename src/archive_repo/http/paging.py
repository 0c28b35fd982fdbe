"""``?page=&size=`` on every listing, and the envelope a client needs to ask
for the next page."""
from ..errors import BadRequest

PAGE_SIZE = 50
MAX_SIZE = 500


def page_params(request, default_size=PAGE_SIZE):
    """``(page, size)`` from the query; 400 ``invalid_page`` otherwise."""
    try:
        page = int(request.params.get("page", "1"))
        size = int(request.params.get("size", default_size))
    except ValueError:
        raise BadRequest("invalid_page", "Tham số page/size phải là số nguyên.")
    if page < 1 or not 1 <= size <= MAX_SIZE:
        raise BadRequest("invalid_page", "page ≥ 1 và 1 ≤ size ≤ %d." % MAX_SIZE)
    return page, size


def paged(data, page, size, total):
    """A listing's page with what a client needs to ask for the next one."""
    return dict(data, page=page, size=size, total=total,
                pages=max(1, -(-total // size)))


def page_of(request, items):
    """``(page, size, the items of that page)`` of a list."""
    page, size = page_params(request)
    return page, size, items[(page - 1) * size:page * size]
