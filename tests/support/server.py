"""A real HTTP server (waitress) around a WSGI app, on a free loopback port,
for clients that need a socket (browsers, WebDAV clients)."""
import socket
import threading
import time
from contextlib import contextmanager


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, threads=4, port=None):
    """``port``: a fixed one (an engineer's own range) instead of a free one."""
    from waitress.server import create_server
    port = port or free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield "http://127.0.0.1:%d" % port
    finally:
        # waitress's server.close() closes the wake-up pipe without stopping
        # the worker threads: one still finishing a response then fails
        # writing to it (EBADF).  Let them finish first.
        server.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
        server.close()
        thread.join(timeout=5)
