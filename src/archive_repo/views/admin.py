"""``GET /admin`` — the operator's page: persons, tokens (whose they are),
and a loud warning while the trust-root folder is empty (every signature
then comes out *reference only*)."""
import logging
import os

from pyramid.renderers import render_to_response
from pyramid.view import view_config

from ..people import ROLE_LABELS
from ..resources import ArchiveRoot
from ..settings import get_settings

log = logging.getLogger(__name__)


def trust_roots_missing(settings):
    """Why no signature can be trusted, in Vietnamese, or None."""
    folder = settings.trust_roots
    if not folder:
        return "Chưa cấu hình archive_repo.trust_roots"
    if not os.path.isdir(folder) or not any(
            name.lower().endswith((".pem", ".crt", ".cer", ".der"))
            for name in os.listdir(folder)):
        return "Thư mục chứng thư gốc %s đang trống" % folder
    return None


def warn_at_startup(event):
    problem = trust_roots_missing(get_settings(event.app.registry))
    if problem:
        log.warning("!!! %s: mọi văn bản sẽ chỉ có giá trị tham khảo (không chữ ký nào được "
                    "tin cậy). Hãy chép chứng thư gốc (PEM/DER) vào thư mục đó.", problem)


@view_config(context=ArchiveRoot, name="admin", request_method="GET", permission="admin")
def admin_view(request):
    root = request.root
    return render_to_response("archive_repo:templates/admin.jinja2", {
        "trust_problem": trust_roots_missing(get_settings(request.registry)),
        "people": list(root.people.values()), "role_labels": ROLE_LABELS,
        "tokens": list(root.tokens.values()),
    }, request=request)
