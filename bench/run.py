"""`make bench`: measure Internboard against the performance budgets of docs/quality.md.

    python bench/run.py [--postings 100000] [--database-url postgres://.../internboard_bench]

1. Recreates a benchmark database (its name always contains "bench": a URL
   naming any other database gets "_bench" appended, so a development or
   production database is never dropped).
2. Times `load_demo --postings N`, then `import_listings` of the
   community (Simplify) file when both exist, and the re-import of that file.
3. In process (Django's test client, warm): SQL queries per page, counted on
   a cold cache, and p50/p95 latency over many iterations with the visitor
   page cache off (what a page costs to build: the budget), then p50/p95 of
   the same page served from the page cache.
   Before that, right after load_demo and before any manual ANALYZE, the
   p50 of the pages most sensitive to planner statistics, compared with the
   same pages after `VACUUM ANALYZE` (within 1.5x).
4. Under gunicorn on 127.0.0.1, with Redis and the page cache as deployed:
   throughput of the list, detail and Apply Now pages next to a bare
   `HttpResponse("ok")` view in the same run; then with the page cache off,
   every page's throughput as a share of the bare view measured again in that
   run (list plain, one filter, deep page, state + sort=pay, a common-word
   search, detail, home, feed, apply: issue 18's budgets); and worker
   resident memory after 10,000 requests.

The cache is Redis database 14 on 127.0.0.1:6379 (BENCH_REDIS_URL to change
it; the bench empties it), or local memory when no Redis answers there.

Prints one Markdown table (figure, budget, pass/miss) and writes everything
as JSON to bench/results/latest.json. All load stays on loopback and every
phase is bounded in requests and seconds.
"""

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/internboard_bench"
SIMPLIFY_NAME = "simplify-summer2025-listings.json"
RESULTS = ROOT / "bench" / "results" / "latest.json"

LIST_P95_MS = 40
SEARCH_P95_MS = 60
DETAIL_P95_MS = 15
MAX_QUERIES = 5


# --- the benchmark database --------------------------------------------------


def bench_database(url):
    """Environment variables selecting a benchmark database derived from `url`."""
    url = url or DEFAULT_DATABASE_URL
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        name = parts.path.lstrip("/") or "internboard"
        if "bench" not in name:
            name += "_bench"
        return {"DATABASE_URL": urlunsplit(parts._replace(path="/" + name))}, name
    if parts.scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path, as dj-database-url reads them.
        path = Path(url[len("sqlite:///") :])
        if not path.is_absolute():
            path = ROOT / path
        if "bench" not in path.name:
            path = path.with_name(path.stem + "_bench" + (path.suffix or ".sqlite3"))
        return {"DATABASE_URL": "", "SQLITE_PATH": str(path)}, str(path)
    raise SystemExit(f"bench: unsupported database URL {url!r} (postgres:// or sqlite:///path)")


def recreate_database(db_env):
    if db_env.get("DATABASE_URL"):
        import psycopg

        parts = urlsplit(db_env["DATABASE_URL"])
        name = parts.path.lstrip("/")
        admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = Path(db_env["SQLITE_PATH"])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def bench_redis_url():
    """BENCH_REDIS_URL (default: database 14 of the local Redis) if it answers, else ""."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        print(f"bench: no Redis at {url}; local-memory cache instead", flush=True)
        return ""
    return url


def child_env(db_env):
    env = dict(os.environ)
    env.update(db_env)
    env.pop("REDIS_URL", None)
    redis_url = bench_redis_url()
    if redis_url:
        env["REDIS_URL"] = redis_url
    # The page cache as deployed with Redis (on with local memory too, so
    # that the figures compare); measure_pages turns it off where it measures
    # what a page costs to build.
    env["PAGE_CACHE_SECONDS"] = "60"
    if not env.get("DATABASE_URL"):
        env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["PYTHONPATH"] = str(ROOT)
    env.pop("DJANGO_ENV", None)
    return env


def manage(env, *args):
    """Run a management command; returns (seconds, stdout)."""
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench: manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return elapsed, done.stdout


def find_simplify_file():
    if os.environ.get("BENCH_SIMPLIFY_FILE"):
        path = Path(os.environ["BENCH_SIMPLIFY_FILE"])
        return path if path.is_file() else None
    for parent in [ROOT, *list(ROOT.parents)[:3]]:
        path = parent / "shared" / "data" / SIMPLIFY_NAME
        if path.is_file():
            return path
    return None


# --- rows of the table -------------------------------------------------------


class Table:
    def __init__(self):
        self.rows = []

    def add(self, what, figure, budget="", ok=None, **data):
        result = {True: "pass", False: "MISS", None: ""}[ok]
        self.rows.append(
            {"what": what, "figure": figure, "budget": budget, "result": result, **data}
        )
        print(f"  {what}: {figure} {('[' + result + ']') if result else ''}", flush=True)

    def markdown(self):
        lines = ["| what | figure | budget | result |", "|---|---|---|---|"]
        for row in self.rows:
            lines.append(f"| {row['what']} | {row['figure']} | {row['budget']} | {row['result']} |")
        return "\n".join(lines)


# --- in-process pages --------------------------------------------------------


def pages():
    """(label, path, expected status, p95 budget in ms or None) for every page measured."""
    from django.urls import Resolver404, resolve
    from django.utils.text import slugify

    from companies.models import Company
    from listings.models import Posting
    from listings.views import next_summer

    open_postings = Posting.objects.open().order_by("pk")
    total = open_postings.count()
    middle = open_postings[total // 2]
    company = Company.objects.filter(pk=middle.company_id).get()
    seed = Posting.objects.filter(source="internboard-demo").order_by("pk").first()
    last_page = max(1, math.ceil(total / 20))
    summer = slugify(next_summer())  # a term that has not ended: its postings are open
    rows = [
        ("home", "/", 200, None),
        ("list", "/internships/", 200, LIST_P95_MS),
        ("list ?state=CA", "/internships/?state=CA", 200, LIST_P95_MS),
        ("list ?min_pay=40", "/internships/?min_pay=40", 200, LIST_P95_MS),
        ("list ?sort=pay", "/internships/?sort=pay", 200, LIST_P95_MS),
        ("list ?mode=remote", "/internships/?mode=remote", 200, LIST_P95_MS),
        ("list ?skill=python", "/internships/?skill=python", 200, LIST_P95_MS),
        ("list ?category=software", "/internships/?category=software", 200, LIST_P95_MS),
        ("list ?term=summer-2026", "/internships/?term=summer-2026", 200, LIST_P95_MS),
        ("list ?location=Austin", "/internships/?location=Austin", 200, LIST_P95_MS),
        ("list ?posted=7", "/internships/?posted=7", 200, LIST_P95_MS),
        ("list ?size=51-200", "/internships/?size=51-200", 200, LIST_P95_MS),
        ("list ?sponsorship=yes", "/internships/?sponsorship=yes", 200, LIST_P95_MS),
        ("list ?sort=deadline", "/internships/?sort=deadline", 200, LIST_P95_MS),
        # Combined filters: docs/quality.md's budget is for any single filter; these
        # are measured for the record.
        (
            "list state+min_pay+sort=pay (combined)",
            "/internships/?state=CA&min_pay=30&sort=pay",
            200,
            None,
        ),
        (
            "list mode+type+term+skill (combined)",
            f"/internships/?mode=hybrid&type=full_time&term={summer}&skill=sql",
            200,
            None,
        ),
        (f"list deep page {last_page}", f"/internships/?page={last_page}", 200, LIST_P95_MS),
        ("list ?page=999999", "/internships/?page=999999", 200, LIST_P95_MS),
        ("search ?q=machine learning", "/internships/?q=machine+learning", 200, SEARCH_P95_MS),
        ("search ?q=python", "/internships/?q=python", 200, SEARCH_P95_MS),
        (
            "search ?q=engineering (common word)",
            "/internships/?q=engineering",
            200,
            SEARCH_P95_MS,
        ),
        (
            "search ?q=data&state=NY&sort=pay",
            "/internships/?q=data&state=NY&sort=pay",
            200,
            SEARCH_P95_MS,
        ),
        ("detail", middle.get_absolute_url(), 200, DETAIL_P95_MS),
        ("detail (seed posting)", seed.get_absolute_url(), 200, DETAIL_P95_MS),
        ("company list", "/companies/", 200, None),
        ("company page", company.get_absolute_url(), 200, None),
        ("apply", middle.get_apply_url(), 302, None),
    ]
    try:
        resolve("/feeds/internships/")
        rows.append(("feed", "/feeds/internships/", 200, None))
    except Resolver404:
        rows.append(("feed", None, None, None))
    return rows, {"open_postings": total, "middle": middle, "company": company}


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@contextlib.contextmanager
def count_queries(connection):
    """The SQL statements run inside the block, whatever DEBUG says."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def timed(client, path, iterations):
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 0.5), percentile(samples, 0.95)


def measure_size(table):
    """The database's size and the per-state pay table's rows, after VACUUM ANALYZE."""
    from django.db import connection

    from listings.models import StatePay

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    table.add("database size", f"{size / 1024**3:.2f} GB", "", None, bytes=size)
    rows = StatePay.objects.count()
    table.add("per-state pay rows (StatePay)", f"{rows:,}", "", None, rows=rows)


def measure_pages(table, iterations):
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(HTTP_USER_AGENT="Mozilla/5.0 internboard-bench")
    rows, info = pages()
    print(f"bench: {info['open_postings']} open postings", flush=True)
    for label, path, status, p95_budget in rows:
        if path is None:
            table.add(f"queries, p50/p95: {label}", "not built yet", "", None)
            continue
        cache.clear()
        with override_settings(PAGE_CACHE_SECONDS=0):
            built = measure_page(client, path, status, iterations)
        if "error" in built:
            table.add(f"queries, p50/p95: {label}", built["error"], "", False, path=path)
            continue
        client.get(path)  # stored in the page cache
        cached_p50, cached_p95 = timed(client, path, iterations)
        queries, p50, p95 = built["queries_cold"], built["p50_ms"], built["p95_ms"]
        ok = queries <= MAX_QUERIES and (p95_budget is None or p95 <= p95_budget)
        budget = f"<= {MAX_QUERIES} queries" + (f", p95 <= {p95_budget} ms" if p95_budget else "")
        cachable = status == 200 and path != "/feeds/internships/"
        table.add(
            f"queries, p50/p95: {label}",
            f"{queries} queries ({built['queries_warm']} warm), p50 {p50:.1f} ms, p95 {p95:.1f} ms"
            + (f"; page-cached p95 {cached_p95:.1f} ms" if cachable else ""),
            budget,
            ok,
            path=path,
            cached_p50_ms=round(cached_p50, 2) if cachable else None,
            cached_p95_ms=round(cached_p95, 2) if cachable else None,
            **built,
        )
    return info


def statistics_pages():
    """(label, path): pages whose plan depends most on the planner's statistics."""
    from listings.models import Posting

    middle = Posting.objects.open().order_by("pk")[Posting.objects.open().count() // 2]
    return [
        ("list", "/internships/"),
        ("list ?state=TX&sort=pay", "/internships/?state=TX&sort=pay"),
        ("list ?min_pay=40", "/internships/?min_pay=40"),
        ("search ?q=engineering", "/internships/?q=engineering"),
        ("detail", middle.get_absolute_url()),
    ]


def time_statistics_pages(paths, iterations):
    """p50 in process with the page cache off (the cached count and
    suggestions warm: the page's own queries) of each (label, path)."""
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(HTTP_USER_AGENT="Mozilla/5.0 internboard-bench")
    cache.clear()
    timings = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        for label, path in paths:
            client.get(path)
            timings[label] = timed(client, path, iterations)[0]
    return timings


def measure_statistics(table, paths, before, iterations):
    """Each page right after load_demo (no manual ANALYZE: the commands that
    write in bulk are to analyse what they wrote) next to the same page once
    `VACUUM ANALYZE` ran: within 1.5x."""
    after = time_statistics_pages(paths, iterations)
    for label, path in paths:
        ratio = before[label] / after[label] if after[label] else 0.0
        table.add(
            f"right after load_demo, no ANALYZE / analysed: {label}",
            f"p50 {before[label]:.1f} ms / {after[label]:.1f} ms = {ratio:.2f}x",
            "<= 1.5x",
            ratio <= 1.5,
            path=path,
            ratio=round(ratio, 3),
        )


def measure_page(client, path, status, iterations):
    """Queries (cold and warm cache) and p50/p95 of building `path`."""
    from django.db import connection

    with count_queries(connection) as cold:
        response = client.get(path)
    if response.status_code != status:
        return {"error": f"answered {response.status_code}, expected {status}"}
    for _ in range(3):
        client.get(path)
    with count_queries(connection) as warm:
        client.get(path)
    p50, p95 = timed(client, path, iterations)
    return {
        "queries_cold": len(cold),
        "queries_warm": len(warm),
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "bytes": len(response.content),
    }


# --- gunicorn ----------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise SystemExit(f"bench: nothing listens on 127.0.0.1:{port}")


class Gunicorn:
    """gunicorn serving the site (with the bench URLconf) on a free loopback port."""

    def __init__(self, env, workers):
        self.port = free_port()
        self.log = open(ROOT / "bench" / "results" / "gunicorn.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--max-requests",
                "0",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5):
                    break
            except (urllib.error.URLError, OSError) as exc:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(
                        "bench: gunicorn did not start (bench/results/gunicorn.log)"
                    ) from exc
                time.sleep(0.2)

    def workers(self):
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                pids.append(int(stat.parent.name))
        return pids

    def worker_rss_mb(self):
        rss = {}
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss[pid] = int(line.split()[1]) / 1024
        return rss

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def load(port, paths, seconds, requests, generators=2, threads=4):
    """Drive `paths` from `generators` processes; returns requests/second and statuses."""
    per_process = math.ceil(requests / generators)
    procs = [
        subprocess.Popen(
            [
                PYTHON,
                str(ROOT / "bench" / "load.py"),
                "--port",
                str(port),
                "--seconds",
                str(seconds),
                "--requests",
                str(per_process),
                "--threads",
                str(threads),
                *(paths[i::generators] or paths),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(generators)
    ]
    results = [json.loads(p.communicate()[0]) for p in procs]
    done = sum(r["requests"] for r in results)
    seconds_taken = max(r["seconds"] for r in results)
    statuses, errors = {}, {}
    for r in results:
        for key, value in r["statuses"].items():
            statuses[key] = statuses.get(key, 0) + value
        for key, value in r["errors"].items():
            errors[key] = errors.get(key, 0) + value
    return {
        "requests": done,
        "rps": done / seconds_taken if seconds_taken else 0.0,
        "statuses": statuses,
        "errors": errors,
    }


def measure_throughput(table, env, info, workers, seconds, requests):
    from listings.models import Posting

    ids = list(Posting.objects.open().order_by("?").values_list("pk", flat=True)[:200])
    detail = [p.get_absolute_url() for p in Posting.objects.filter(pk__in=ids)]
    last_page = max(1, math.ceil(info["open_postings"] / 20))
    targets = {
        "ok": ["/__bench__/ok"],
        "list": ["/internships/"] + [f"/internships/?page={n}" for n in range(2, 21)],
        "list ?skill=python": ["/internships/?skill=python"],
        f"list deep page {last_page}": [f"/internships/?page={last_page}"],
        "list ?state=TX&sort=pay": ["/internships/?state=TX&sort=pay"],
        "search ?q=engineering": ["/internships/?q=engineering"],
        "detail": detail,
        "home": ["/"],
        "feed": ["/feeds/internships/"],
        "apply": [f"/internships/{pk}/apply/" for pk in ids],
    }
    # Issue 18's budgets with the page cache off: what building each page
    # costs, as a share of the bare view in the same run.
    uncached = {
        "list": 0.15,
        "list ?skill=python": 0.15,
        f"list deep page {last_page}": 0.15,
        "list ?state=TX&sort=pay": 0.15,
        "search ?q=engineering": 0.08,
        "detail": 0.35,
        "home": 0.3,
        "feed": 0.12,
        "apply": 0.6,
    }
    server = Gunicorn(env, workers)
    try:
        load(server.port, targets["ok"], 2, 2000)  # warm every worker
        figures = {}
        for name in ["ok", "list", "detail", "apply", "ok"]:
            result = load(server.port, targets[name], seconds, requests)
            figures.setdefault(name, []).append(result)
            print(f"  gunicorn {name}: {result['rps']:.0f} req/s {result['statuses']}", flush=True)
    finally:
        server.stop()
    bare = sum(r["rps"] for r in figures["ok"]) / len(figures["ok"])
    table.add(
        "throughput: bare HttpResponse('ok')",
        f"{bare:.0f} req/s ({workers} workers)",
        "",
        None,
        rps=round(bare, 1),
    )
    # The same pages built for every request: what the page cache saves, and
    # the capacity left for pages it cannot serve (signed-in staff, first visits).
    server = Gunicorn({**env, "PAGE_CACHE_SECONDS": "0"}, workers)
    try:
        load(server.port, targets["ok"], 2, 2000)
        off = []
        for name in ["ok", *uncached, "ok"]:
            result = load(server.port, targets[name], seconds, requests)
            figures.setdefault(f"{name}, page cache off", []).append(result)
            print(f"  gunicorn {name} (page cache off): {result['rps']:.0f} req/s", flush=True)
            if name == "ok":
                off.append(result["rps"])
    finally:
        server.stop()
    # The bare view again in this run: the machine may have changed since.
    bare_off = sum(off) / len(off)
    rows = [
        ("list", 0.25, bare),
        ("detail", None, bare),
        ("apply", 0.6, bare),
        *((f"{name}, page cache off", budget, bare_off) for name, budget in uncached.items()),
    ]
    for name, budget, base in rows:
        result = figures[name][0]
        expected = "302" if name.startswith("apply") else "200"
        clean = set(result["statuses"]) == {expected} and not result["errors"]
        ratio = result["rps"] / base if base else 0.0
        table.add(
            f"throughput: {name} / bare",
            f"{result['rps']:.0f} req/s = {ratio:.2f}"
            + ("" if clean else f" (statuses {result['statuses']} errors {result['errors']})"),
            f">= {budget}" if budget else "",
            (ratio >= budget and clean) if budget else (None if clean else False),
            rps=round(result["rps"], 1),
            ratio=round(ratio, 3),
        )


def measure_memory(table, env, info, workers, total):
    from listings.models import Posting

    ids = list(Posting.objects.open().order_by("?").values_list("pk", flat=True)[:500])
    detail = [p.get_absolute_url() for p in Posting.objects.filter(pk__in=ids)]
    mix = []
    for n, url in enumerate(detail):
        mix.append(url)
        mix.append(f"/internships/{ids[n]}/apply/")
        mix.append(f"/internships/?page={n % 50 + 1}")
        if n % 5 == 0:
            mix += ["/", "/companies/", "/internships/?state=CA&min_pay=30&sort=pay"]
        if n % 7 == 0:
            mix += ["/internships/?q=python", info["company"].get_absolute_url()]
    server = Gunicorn(env, workers)
    try:
        half = total // 2
        load(server.port, mix, 600, half)
        at_half = server.worker_rss_mb()
        load(server.port, mix[::-1], 600, total - half)
        at_end = server.worker_rss_mb()
    finally:
        server.stop()
    peak = max(at_end.values())
    growth = max(at_end[pid] - at_half.get(pid, at_end[pid]) for pid in at_end)
    table.add(
        f"gunicorn worker RSS after {total:,} requests",
        f"{peak:.0f} MB (largest of {len(at_end)} workers)",
        "<= 150 MB",
        peak <= 150,
        rss_mb=round(peak, 1),
    )
    table.add(
        f"RSS growth over the last {total - half:,} requests",
        f"{growth:+.1f} MB",
        "no growth (< 1 MB)",
        growth < 1,
        growth_mb=round(growth, 2),
    )


# --- imports -----------------------------------------------------------------


def snapshot():
    """Row counts and last-change stamps that any write by an import would move."""
    from django.db.models import Count, Max

    from companies.models import Company
    from listings.models import Location, PayRange, PayRangeState, Posting, StatePay

    figures = {}
    for model in (Company, Posting):
        figures[model.__name__] = model.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    for model in (PayRange, PayRangeState, Location, StatePay):
        figures[model.__name__] = model.objects.aggregate(n=Count("pk"), last=Max("pk"))
    for field in ("skills", "categories", "terms", "locations"):
        through = getattr(Posting, field).through
        figures[field] = through.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return figures


def summary(output):
    """The import's one-line summary (its last line), for the table."""
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1].replace("|", "/")[:120] if lines else ""


def measure_imports(table, env):
    from django.core.management import get_commands

    path = find_simplify_file()
    if "import_listings" not in get_commands():
        table.add("import_listings of the Simplify file", "skipped: command not built yet")
        table.add("re-import of the unchanged file", "skipped: command not built yet")
        return
    if path is None:
        table.add("import_listings of the Simplify file", f"skipped: {SIMPLIFY_NAME} not found")
        table.add("re-import of the unchanged file", "skipped: no file")
        return
    records = len(json.loads(path.read_text(encoding="utf-8")))
    # The community file carries a few records without an apply URL or with
    # duplicate ids; --skip-invalid imports the rest, as an operator would.
    command = ["import_listings", str(path), "--format", "simplify", "--skip-invalid",
               "--source", "simplify"]  # fmt: skip
    try:
        first, out = manage(env, *command)
    except SystemExit as exc:
        table.add("import_listings of the Simplify file", f"failed: {exc}"[:300], "<= 15 s", False)
        return
    table.add(
        f"import_listings of the Simplify file ({records:,} records)",
        f"{first:.1f} s ({summary(out)})",
        "<= 15 s",
        first <= 15,
        seconds=round(first, 2),
    )
    before = snapshot()
    again, out = manage(env, *command)
    unchanged = snapshot() == before
    share = again / first
    table.add(
        "re-import of the unchanged file",
        f"{again:.1f} s = {share:.0%} of the first; "
        + ("wrote nothing" if unchanged else "WROTE ROWS"),
        "writes nothing, <= 40 %",
        unchanged and share <= 0.4,
        seconds=round(again, 2),
        share=round(share, 3),
        wrote_nothing=unchanged,
    )


def measure_place_parsing(table):
    """The place parser on every location string of the Simplify file."""
    from listings.management.commands.place_parse_rate import file_parse_rate

    path = find_simplify_file()
    if path is None:
        table.add("place parse rate on the shared file", f"skipped: {SIMPLIFY_NAME} not found")
        return
    rate, total, missed = file_parse_rate(path)
    unparsed = "; ".join(repr(text) for text in sorted(missed))
    table.add(
        "place parse rate on the shared file",
        f"{rate:.2%} of {total:,} strings"
        + (f"; not understood: {unparsed}"[:300] if missed else ""),
        ">= 99.7 %",
        rate >= 0.997,
        rate=round(rate, 5),
        strings=total,
        unparsed=sorted(missed),
    )


# --- company job boards ------------------------------------------------------


def find_ashby_boards():
    if os.environ.get("BENCH_ASHBY_DIR"):
        path = Path(os.environ["BENCH_ASHBY_DIR"])
        return path if path.is_dir() else None
    for parent in [ROOT, *list(ROOT.parents)[:3]]:
        path = parent / "shared" / "data" / "ats" / "ashby"
        if path.is_dir():
            return path
    return None


@contextlib.contextmanager
def ashby_server(folder):
    """A local HTTP server answering /posting-api/job-board/{name} with {name}.json
    from `folder`, as Ashby does, without an ETag: the re-sync downloads every
    board again and recognises it by its fingerprint."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import unquote

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            name = unquote(self.path.split("?")[0].rsplit("/", 1)[-1])
            path = folder / f"{name}.json"
            if "/" in name or not path.is_file():
                self.send_error(404)
                return
            body = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = __import__("threading").Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def sync_boards_in_process(base):
    """Run `sync_boards --ats ashby` against `base` in this process (Django is
    loaded already, so the figure is the sync, not Python's start-up)."""
    import io

    from django.core.management import call_command
    from django.test.utils import override_settings

    out = io.StringIO()
    started = time.perf_counter()
    with override_settings(ASHBY_API_URL=base):
        call_command("sync_boards", "--ats", "ashby", stdout=out, stderr=io.StringIO())
    return time.perf_counter() - started, out.getvalue()


def measure_board_sync(table, env):
    """`sync_boards` of the shared Ashby boards from a local server: the first
    sync, then the re-sync of the same answers (writes nothing, <= 20 %)."""
    from django.core.management import get_commands

    folder = find_ashby_boards()
    what = "sync_boards of the shared Ashby boards"
    if "sync_boards" not in get_commands():
        table.add(what, "skipped: command not built yet")
        return
    if folder is None:
        table.add(what, "skipped: the Ashby boards folder was not found")
        return
    from django.utils.text import slugify

    from companies.models import Company
    from listings.models import PayRange, Posting

    tokens = sorted(path.stem for path in folder.glob("*.json"))
    for token in tokens:
        Company.objects.update_or_create(
            name=f"{token} (bench board)",
            defaults={
                "slug": slugify(f"bench-board-{token}"),
                "ats": "ashby",
                "board_token": token,
            },
        )
    with ashby_server(folder) as base:
        first, out = sync_boards_in_process(base)
        internships = Posting.objects.filter(source__startswith="ashby:").count()
        ranges = PayRange.objects.filter(posting__source__startswith="ashby:").count()
        table.add(
            f"{what} ({len(tokens)} boards)",
            f"{first:.1f} s ({summary(out)}); {internships} internships, {ranges} pay ranges read",
            "",
            None,
            seconds=round(first, 2),
            boards=len(tokens),
            internships=internships,
            ranges=ranges,
        )
        before = snapshot()
        again, out = sync_boards_in_process(base)
    unchanged = snapshot() == before
    share = again / first
    table.add(
        "re-sync of the unchanged Ashby boards",
        f"{again:.1f} s = {share:.0%} of the first; "
        + ("wrote nothing" if unchanged else "WROTE ROWS")
        + f" ({summary(out)})",
        "writes nothing, <= 20 %",
        unchanged and share <= 0.2,
        seconds=round(again, 2),
        share=round(share, 3),
        wrote_nothing=unchanged,
    )


# --- send_alerts -----------------------------------------------------------------


def alert_queries():
    """Distinct searches students would save: every state, each work mode,
    the commonest skills and categories, and a few combinations of them."""
    from django.db.models import Count

    from listings.models import Category, Skill
    from listings.pay import US_STATES

    skills = Skill.objects.annotate(n=Count("postings")).order_by("-n")[:40]
    categories = Category.objects.annotate(n=Count("postings")).order_by("-n")[:20]
    queries = [""]
    queries += [f"state={code}" for code in US_STATES]
    queries += [f"mode={mode}" for mode in ("remote", "hybrid", "onsite")]
    queries += [f"skill={skill.slug}" for skill in skills]
    queries += [f"category={category.slug}" for category in categories]
    queries += [f"mode=remote&state={code}" for code in list(US_STATES)[:20]]
    queries += [f"skill={skill.slug}&state=CA" for skill in skills[:20]]
    queries += ["q=engineer", "q=data", "min_pay=30", "min_pay=40&state=NY", "type=part_time"]
    return queries


def measure_send_alerts(table, alerts=10000, new_share=0.01):
    """`send_alerts` for `alerts` confirmed alerts over every generated posting.

    Self-contained: the alerts (spread over ~200 distinct searches) are
    created here and deleted afterwards. Every alert was last mailed
    yesterday; the newest `new_share` of the open postings were published
    since, the rest the day before. Mail goes by SMTP to a local aiosmtpd
    server that accepts and drops it, over one connection as deployed.
    """
    import datetime

    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from listings.models import Posting
    from shortlist.models import Alert
    from shortlist.sending import BATCH, send_alerts

    now = timezone.now()
    yesterday = now - datetime.timedelta(days=1)
    open_ids = Posting.objects.open().order_by("-posted_on", "-id").values_list("pk", flat=True)
    new = max(1, int(open_ids.count() * new_share))
    Posting.objects.update(published_at=now - datetime.timedelta(days=2))
    Posting.objects.filter(pk__in=list(open_ids[:new])).update(
        published_at=now - datetime.timedelta(hours=1)
    )
    queries = alert_queries()
    Alert.objects.all().delete()
    Alert.objects.bulk_create(
        (
            Alert(
                email=f"student{n}@bench.example.com",
                query=queries[n % len(queries)],
                created_at=yesterday,
                confirmed_at=yesterday,
                last_sent_at=yesterday - datetime.timedelta(hours=1),
                sent_through=yesterday,
            )
            for n in range(alerts)
        ),
        batch_size=1000,
    )
    # The SMTP server in its own process, as a real one would be.
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=port,
                EMAIL_USE_TLS=False,
                EMAIL_HOST_USER="",
                EMAIL_HOST_PASSWORD="",
            ),
            count_queries(connection) as statements,
        ):
            started = time.perf_counter()
            report = send_alerts()
            seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
        Alert.objects.all().delete()
    batches = math.ceil(report.sent / BATCH) if report.sent else 0
    # Fixed: cleanup, the alerts, the label ids the filters read (cached,
    # once), one search per distinct filter, then per batch its postings,
    # their locations and the alerts' new marks.
    bound = 3 + report.searches + 3 * batches + 2 * report.failed
    ok = seconds <= 120 and len(statements) <= bound and report.sent + report.nothing_new == alerts
    table.add(
        f"send_alerts: {alerts:,} confirmed alerts, {new:,} new postings",
        f"{seconds:.1f} s, {len(statements)} queries ({report.searches} searches, "
        f"{batches} batches), {report.sent:,} mailed, "
        f"{report.nothing_new:,} with nothing new",
        "<= 120 s, bounded queries per batch",
        ok,
        seconds=round(seconds, 2),
        queries=len(statements),
        searches=report.searches,
        batches=batches,
        mailed=report.sent,
        alerts=alerts,
    )


# --- main --------------------------------------------------------------------


def machine():
    from django.db import connection

    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("select sqlite_version()")
            database = "SQLite " + cursor.fetchone()[0]
    from django.conf import settings

    return {
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "database": database,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "platform": platform.platform(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="Measure Internboard against its budgets.")
    parser.add_argument("--postings", type=int, default=int(os.environ.get("POSTINGS") or 100000))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--iterations", type=int, default=60, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seconds", type=float, default=8, help="per throughput run")
    parser.add_argument("--requests", type=int, default=20000, help="cap per throughput run")
    parser.add_argument("--rss-requests", type=int, default=10000)
    parser.add_argument(
        "--alerts", type=int, default=10000, help="confirmed alerts for send_alerts"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--only",
        choices=["boards", "pages", "throughput"],
        help="run one part alone on a fresh database: boards = the Ashby board sync rows; "
        "pages = load_demo, the database's size and every page in-process (for 1,000,000); "
        "throughput = load_demo and the gunicorn rows",
    )
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="with --only pages or throughput: measure the database an earlier run loaded",
    )
    args = parser.parse_args(argv)

    db_env, db_name = bench_database(args.database_url)
    keep = args.keep_database and args.only in ("pages", "throughput")
    if keep:
        print(f"bench: the pages of {db_name} as loaded before", flush=True)
    else:
        print(f"bench: fresh database {db_name}, {args.postings:,} postings", flush=True)
        recreate_database(db_env)
    env = child_env(db_env)
    os.environ.update(env)
    if not env.get("DATABASE_URL"):
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    manage(env, "migrate", "--noinput")

    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()  # pages cached by an earlier run of another database
    table = Table()
    if args.only == "boards":
        measure_board_sync(table, env)
        print()
        print(table.markdown())
        return 0
    if not keep:
        seconds, _ = manage(env, "load_demo", "--postings", str(args.postings))
        table.add(
            f"load_demo --postings {args.postings:,}",
            f"{seconds:.1f} s",
            "<= 180 s" if args.postings <= 100000 else "",
            seconds <= 180 if args.postings <= 100000 else None,
            seconds=round(seconds, 2),
        )
    if args.only == "pages":
        measure_size(table)
        measure_pages(table, args.iterations)
        print()
        print(table.markdown())
        return 0
    if args.only == "throughput":
        measure_size(table)
        _, info = pages()
        measure_throughput(table, env, info, args.workers, args.seconds, args.requests)
        print()
        print(table.markdown())
        return 0
    # Pages right after the load, before anything runs ANALYZE by hand.
    statistics_paths = statistics_pages()
    unanalysed = time_statistics_pages(statistics_paths, max(5, args.iterations // 3))
    measure_imports(table, env)
    measure_place_parsing(table)
    measure_board_sync(table, env)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    measure_statistics(table, statistics_paths, unanalysed, max(5, args.iterations // 3))
    info = measure_pages(table, args.iterations)
    measure_throughput(table, env, info, args.workers, args.seconds, args.requests)
    measure_memory(table, env, info, args.workers, args.rss_requests)
    measure_send_alerts(table, args.alerts)

    result = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "postings": args.postings,
        "open_postings": info["open_postings"],
        "machine": machine(),
        "rows": table.rows,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print()
    print(
        f"Internboard benchmark, {result['date']}: {args.postings:,} generated postings "
        f"({info['open_postings']:,} open); {result['machine']['cores']} cores, "
        f"{result['machine']['memory']} RAM, {result['machine']['database']}, "
        f"cache {result['machine']['cache']}"
    )
    print()
    print(table.markdown())
    print(f"\nbench: wrote {args.output}")
    misses = [row["what"] for row in table.rows if row["result"] == "MISS"]
    print(f"bench: {len(misses)} budget(s) missed" + (": " + "; ".join(misses) if misses else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
