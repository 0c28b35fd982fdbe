"""``archive-repo book --agency CODE --year YYYY --kind outgoing|incoming|handling
--format pdf|xlsx --out FILE`` — a Decree 30 register (or the report on
handling incoming documents against their deadline)."""
from ..reports.books import BOOKS, RENDER, context_for, make_book


def add_arguments(parser):
    parser.add_argument("--agency", required=True, help="mã cơ quan")
    parser.add_argument("--year", type=int, required=True, help="năm")
    parser.add_argument("--kind", choices=sorted(BOOKS), default="outgoing",
                        help="sổ văn bản đi (outgoing), đến (incoming) hoặc báo cáo xử lý "
                             "văn bản đến theo thời hạn (handling)")
    parser.add_argument("--format", choices=sorted(RENDER), default="pdf",
                        help="định dạng tệp")
    parser.add_argument("--out", required=True, help="tệp kết quả")


def run(args, env):
    body = make_book(env["root"], args.kind, args.agency, args.year, args.format,
                     context_for(env["registry"]))
    with open(args.out, "wb") as out:
        out.write(body)
    print("Đã lập %s năm %d của %s: %s" % (BOOKS[args.kind][0].lower(), args.year,
                                           args.agency, args.out))
    return 0
