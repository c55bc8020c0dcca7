"""gunicorn settings for Internboard: `gunicorn -c gunicorn.conf.py`.

Every value can be overridden from the environment (the variables below) or
on the command line. See docs/deploying.md.
"""

import datetime
import json
import multiprocessing
import os

from gunicorn.glogging import Logger, SafeAtoms

wsgi_app = "config.wsgi:application"

# PORT is what most platforms set; HOST defaults to every interface because
# the usual place for this is a container behind a proxy.
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"

# Sync workers: pages are CPU-bound template rendering plus short queries.
# (2 x cores) + 1 keeps every core busy while some workers wait on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))

# A request that takes longer than this is stuck; the worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM/SIGHUP (deploys, restarts) workers finish what they are serving first.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5

# gunicorn 24+ opens a control socket at one fixed per-user path; several
# servers on one host (tests, benchmarks, containers sharing a home) would
# fight over it. Restarts and reloads use the usual signals instead.
control_socket_disable = True

# Recycle each worker after about 1,000 requests so a slow leak can never grow
# without bound; the jitter keeps all workers from restarting at the same moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

# Which proxies may set X-Forwarded-For/-Proto (the client address and scheme
# gunicorn reports). Default: only a proxy on the same host. Behind a load
# balancer on another address, set FORWARDED_ALLOW_IPS to its address(es), or
# "*" only when nothing but the load balancer can reach gunicorn. Django's own
# view of HTTPS is set separately by SECURE_PROXY_SSL_HEADER (settings).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Request log: one JSON object per line on stdout. The path is logged without
# its query string (search terms and tokens stay out of logs); the request id
# is the one the app sent in X-Request-ID, so it matches the app's own lines.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = json.dumps(
    {
        "ts": "%(iso)s",
        "level": "info",
        "logger": "gunicorn.access",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "request_id": "%({x-request-id}o)s",
        "remote_addr": "%(h)s",
    }
)


class JsonAtoms(SafeAtoms):
    """Escapes every value for JSON: a path like /%22%0a cannot break the line."""

    def __init__(self, atoms):
        super().__init__({})
        for key, value in atoms.items():
            self[key] = json.dumps(value)[1:-1] if isinstance(value, str) else value


class JsonAccessLogger(Logger):
    atoms_wrapper_class = JsonAtoms

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["iso"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")
        return atoms


logger_class = JsonAccessLogger
