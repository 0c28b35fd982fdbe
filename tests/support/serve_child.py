"""A repository served by waitress in a process of its own, for tests that
kill it (kill -9): ``python serve_child.py FOLDER PORT``.  Opens (or
creates) the repository in FOLDER, writes a fresh clerk token to
FOLDER/token, then serves with 8 threads until killed."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import H38, build_env  # noqa: E402


def main(folder, port):
    import logging
    from waitress import serve
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    env = build_env(folder)
    Path(folder, "token.new").write_text(env.tokens[("clerk", H38)])
    Path(folder, "token.new").rename(Path(folder, "token"))
    serve(env.app, host="127.0.0.1", port=port, threads=8, _quiet=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
