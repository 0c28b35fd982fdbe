"""``archive-repo disposal candidates|execute`` — disposal batches.

Batches are proposed and their signed council record and decision attached
over HTTP (``/{agency}/disposals/``); ``execute`` carries out an approved
batch from the console, with a progress bar over its records."""
from .. import timeutil
from ..errors import BadRequest
from ..records import disposal as dsp
from ..records import dossiers as ds
from .progress import Progress


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", required=True)
    candidates = sub.add_parser("candidates", help="hồ sơ hết thời hạn bảo quản, có thể đề "
                                                   "nghị tiêu hủy")
    candidates.add_argument("--agency", required=True, help="mã cơ quan")
    execute = sub.add_parser("execute", help="thực hiện tiêu hủy một danh sách đã được duyệt")
    execute.add_argument("--agency", required=True, help="mã cơ quan")
    execute.add_argument("--batch", required=True, type=int, help="số danh sách tiêu hủy")


def run(args, env):
    root, tm, registry = env["root"], env["request"].tm, env["registry"]
    tm.begin()
    agency = root.agencies.get(args.agency)
    if agency is None:
        raise BadRequest("unknown_agency", "không có cơ quan %s" % args.agency)
    if args.action == "candidates":
        today = timeutil.now().date()
        for dossier in dsp.candidates(ds.dossiers_of(agency), today):
            print("%s\t%s\t%s\t%s" % (dossier.path, dossier.file_code,
                                      dossier.retention.label, dossier.title))
        tm.abort()
        return 0
    batch = dsp.batches_of(agency).get(str(args.batch))
    if batch is None:
        raise BadRequest("unknown_batch", "không có danh sách tiêu hủy số %d" % args.batch)
    bar = Progress(len(batch.records()), "Tiêu hủy")
    dsp.execute(batch, None, timeutil.now(), registry=registry,
                progress=lambda record: bar.step())
    tm.commit()
    bar.close()
    print("Đã tiêu hủy %d văn bản theo %s." % (len(batch.destroyed), batch.path))
    return 0
