"""WebDAV door vs. a file-system WebDAV server (wsgidav), same run, same
HTTP server (waitress), same machine.

    .venv/bin/python bench/dav.py [--records 10000] [--mb 10] [--runs 5]

Measures, on both servers:
  * PROPFIND Depth 1 (allprop, empty body — what rclone sends) on a year of
    N records; wsgidav lists a folder of N sub-folders holding the same PDF
    names;
  * GET of a 10 MB PDF.
Prints medians and the ratio archive/wsgidav (target ≤ 1.0×).
"""
import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from archive_repo.indexing import worker_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import H38, build_env, close_env  # noqa: E402
from tests.dav.conftest import bulk_year  # noqa: E402
from tests.support.server import serving  # noqa: E402

YEAR = 2025


def big_pdf(megabytes):
    head = b"%PDF-1.7\n% bench\n"
    return head + os.urandom(megabytes * (1 << 20) - len(head))


def store_big(env, data):
    """Replace record 1's blob with ``data`` (its properties follow)."""
    import transaction
    from archive_repo.resources import get_root
    tm = transaction.TransactionManager()
    conn = env.registry._zodb_databases[""].open(transaction_manager=tm)
    with tm:
        version = get_root(conn).agencies[H38][YEAR][1].current
        with version.blob.open("w") as out:
            out.write(data)
        version.size = len(data)
        version.sha256 = hashlib.sha256(data).hexdigest()
    conn.close()


def disk_tree(folder, records, data):
    year = Path(folder) / H38 / str(YEAR)
    for number in range(1, records + 1):
        (year / str(number)).mkdir(parents=True)
        (year / str(number) / "document.pdf").write_bytes(data if number == 1 else b"x" * 1000)
    return year


def wsgidav_app(folder):
    from wsgidav.wsgidav_app import WsgiDAVApp
    return WsgiDAVApp({"provider_mapping": {"/": str(folder)},
                       "simple_dc": {"user_mapping": {"*": True}},
                       "verbose": 0, "logging": {"enable": False},
                       "property_manager": None, "lock_storage": None})


def timed(request_factory, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with urllib.request.urlopen(request_factory()) as response:
            while response.read(1 << 16):
                pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def propfind(url, headers):
    return lambda: urllib.request.Request(url, method="PROPFIND",
                                          headers=dict(headers, Depth="1"))


def get(url, headers):
    return lambda: urllib.request.Request(url, headers=headers)


def measure(base, headers, pdf_path, runs):
    year = "%s/%s/%d/" % (base, H38, YEAR)
    return {"propfind": timed(propfind(year, headers), runs),
            "get": timed(get(year + pdf_path, headers), runs)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = big_pdf(args.mb)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "zodb").mkdir()
        env = build_env(Path(tmp) / "zodb")
        bulk_year(env, H38, YEAR, args.records)
        store_big(env, data)
        disk_tree(Path(tmp) / "disk", args.records, data)
        # the index worker indexes what was just loaded; measure the steady
        # state, not requests competing with that backlog for the GIL
        assert worker_of(env.registry).wait_idle(1800), "index worker did not settle"
        auth = env.auth("connector")
        with serving(env.app) as ours, serving(wsgidav_app(Path(tmp) / "disk")) as theirs:
            mine = measure(ours + "/dav", auth, "1/document.pdf", args.runs)
            other = measure(theirs, {}, "1/document.pdf", args.runs)
        close_env(env)
    report(args, mine, other)


def report(args, mine, other):
    print("WebDAV door vs wsgidav %s (median of %d, waitress for both)"
          % (__import__("wsgidav").__version__, args.runs))
    for key, label in (("propfind", "PROPFIND Depth 1, %d records" % args.records),
                       ("get", "GET %d MB PDF" % args.mb)):
        print("  %-34s archive %7.3f s   wsgidav %7.3f s   ratio %.2f×"
              % (label, mine[key], other[key], mine[key] / other[key]))


if __name__ == "__main__":
    main()
