"""Request bodies: small JSON-or-form parameters, and uploads checked from
their headers before a byte is read, then spooled into the blob storage."""
from ..deposit.upload import read_form
from ..errors import ArchiveError, BadRequest, TooLarge
from ..limits import limits_of, load_json
from ..settings import get_settings
from ..storage_space import check_free_space


def params_of(request):
    """Parameters of a POST: a JSON object, or form fields."""
    if (request.content_type or "").endswith("json"):
        try:
            data = load_json(request.body or b"{}", limits_of(request.registry), what="body")
        except ValueError:
            raise BadRequest("invalid_json", "Nội dung yêu cầu không phải JSON hợp lệ.")
        if not isinstance(data, dict):
            raise BadRequest("invalid_json", "Nội dung yêu cầu phải là một đối tượng JSON.")
        return data
    return request.POST


def check_size(request):
    """411 / 413 from the headers alone.  The body is still unread here: for a
    body over the limit ``retrying.activate_hook`` turned off the copy
    pyramid_retry would otherwise make before any view runs."""
    limit = get_settings(request.registry).upload_limit
    length = request.content_length
    if length is None:
        raise ArchiveError("length_required",
                           "Yêu cầu phải có tiêu đề Content-Length.", status=411)
    if length > limit:
        raise TooLarge("too_large", "Tệp vượt quá giới hạn %d MB." % (limit >> 20),
                       [{"limit_bytes": limit, "content_length": length}])


def read_upload(request, before_file=None):
    """The body's form (fields and spooled file); 400 without a file; 507
    before anything is spooled when a volume is below its floor."""
    check_free_space(request.registry)
    form = read_form(request, blob_tmpdir(request), before_file=before_file)
    if form.upload is None:
        raise BadRequest("missing_file", "Thiếu tệp PDF (trường file).", [{"field": "file"}])
    return form


def blob_tmpdir(request):
    """The blob storage's own temporary folder: a file spooled there becomes
    a blob by a rename, not a copy."""
    from pyramid_zodbconn import get_connection
    storage = get_connection(request).db().storage
    tmp = getattr(storage, "temporaryDirectory", None)
    return tmp() if tmp else None
