"""The traversal tree: root → agency (code) → year → record (number)."""
from .agency import Agencies, Agency, Year  # noqa: F401
from .folder import Folder, IntFolder  # noqa: F401
from .record import Record, Version, new_version, note_viewed  # noqa: F401
from .root import ArchiveRoot, get_root  # noqa: F401


def root_factory(request):
    from pyramid_zodbconn import get_connection
    return get_root(get_connection(request))


def includeme(config):
    from .agency import add_agency_part
    from .record import add_record_part
    config.add_directive("add_record_part", add_record_part)
    config.add_directive("add_agency_part", add_agency_part)
