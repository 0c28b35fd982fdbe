"""The child process of ``sandbox.py``: extracts the text of the PDFs whose
paths arrive on stdin, one JSON line each, within its own limits."""
import json
import resource
import sys


def _address_space():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def main(memory_mb):
    from .text import extract as unbounded
    limit = _address_space() + (memory_mb << 20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for line in sys.stdin:
        ask = json.loads(line)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = int(usage.ru_utime + usage.ru_stime) + 1
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (used + ask["cpu"], hard))
        try:
            text, source = unbounded(ask["path"])
            answer = {"text": text, "source": source}
        except MemoryError:
            answer = {"failed": "memory"}
        except RecursionError:
            answer = {"failed": "nesting"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(int(sys.argv[1]))
