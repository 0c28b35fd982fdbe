"""HTTP of the preservation concern."""
import os
import shutil
import tempfile

from pyramid.response import FileIter
from pyramid.view import view_config

from ..db import jar_of
from ..errors import Conflict
from ..http.body import blob_tmpdir
from ..records.dossiers import STATES, Dossier
from ..records.holds import actor_name
from . import PremisPart, premis
from .events import events_of
from .package import export


@view_config(context=PremisPart, request_method="GET", permission="view")
def premis_view(request):
    record = request.context.record
    events = events_of(jar_of(record), record.path)
    response = request.response
    response.content_type = "application/xml"
    response.charset = "utf-8"
    response.body = premis.serialise([(record, events)])
    return response



# A package is made only of what the agency archive has taken in (a frozen
# dossier: membership and metadata no longer change under the export).
AIP_STATES = {"deposited"}


@view_config(context=Dossier, name="aip.zip", request_method="GET",
             permission="archive_dossiers")
def dossier_aip_view(request):
    """The dossier's AIP (Circular 05/2025, a BagIt zip), made in the blob
    storage's temporary folder and streamed from there: the file is unlinked
    once open, so an interrupted download leaves nothing behind."""
    dossier = request.context
    if dossier.state not in AIP_STATES:
        raise Conflict("dossier_not_deposited",
                       "Chỉ xuất gói thông tin lưu trữ (AIP) của hồ sơ đã nộp lưu; hồ sơ %s "
                       "đang ở trạng thái: %s." % (dossier.file_code, STATES[dossier.state]))
    work = tempfile.mkdtemp(prefix="aip-download-", dir=blob_tmpdir(request))
    try:
        target = os.path.join(work, "aip.zip")
        export(request.registry, dossier.agency.code, dossier.year, target,
               dossier=dossier.__name__, who=actor_name(request.identity))
        stream = open(target, "rb")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    response = request.response
    response.content_type = "application/zip"
    response.content_disposition = 'attachment; filename="aip-%s.zip"' % dossier.file_code
    response.content_length = os.fstat(stream.fileno()).st_size
    response.app_iter = FileIter(stream)
    return response
