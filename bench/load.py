"""A small, bounded HTTP load generator for loopback benchmarks.

    python bench/load.py --port 8123 --seconds 8 --requests 20000 --threads 4 /a /b ...

Threads send GET requests for the given paths in turn, one connection per
request (gunicorn's sync workers close every connection anyway), until either
the request budget or the time budget is spent. Prints one JSON object:
requests, seconds, statuses, errors. Only 127.0.0.1 is ever contacted.
"""

import argparse
import http.client
import json
import threading
import time
from collections import Counter

HOST = "127.0.0.1"
# A browser-like agent, so that Apply Now takes its counting path.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) internboard-bench"


def drive(port, paths, seconds, requests, threads):
    lock = threading.Lock()
    state = {"left": requests, "next": 0}
    statuses = Counter()
    errors = Counter()
    deadline = time.monotonic() + seconds

    def take():
        with lock:
            if state["left"] <= 0 or time.monotonic() >= deadline:
                return None
            state["left"] -= 1
            path = paths[state["next"] % len(paths)]
            state["next"] += 1
            return path

    def worker():
        local_statuses, local_errors = Counter(), Counter()
        while (path := take()) is not None:
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            try:
                conn.request("GET", path, headers={"User-Agent": USER_AGENT})
                response = conn.getresponse()
                response.read()
                local_statuses[response.status] += 1
            except (OSError, http.client.HTTPException) as exc:
                local_errors[type(exc).__name__] += 1
            finally:
                conn.close()
        with lock:
            statuses.update(local_statuses)
            errors.update(local_errors)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    done = sum(statuses.values()) + sum(errors.values())
    return {
        "requests": done,
        "seconds": elapsed,
        "statuses": {str(k): v for k, v in statuses.items()},
        "errors": dict(errors),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    print(json.dumps(drive(args.port, args.paths, args.seconds, args.requests, args.threads)))


if __name__ == "__main__":
    main()
