"""Racing threads for the concurrency tests: start together (a barrier),
collect what each returned and every exception (a thread's exception would
otherwise vanish with it)."""
import threading


def race(count, work):
    """Run ``work(i)`` for i in range(count) in as many threads started at
    once; return ``(results, errors)`` (``errors``: reprs of exceptions)."""
    start, results, errors = threading.Barrier(count), [], []

    def worker(i):
        start.wait()
        try:
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 — the caller asserts on them
            errors.append(repr(exc))
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
