"""Internboard settings, read from the environment.

Development needs no environment at all. Production (``DJANGO_ENV=production``)
refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``: there is no
silent fallback for either.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default):
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    for required in ("SECRET_KEY", "ALLOWED_HOSTS"):
        if required not in os.environ:
            raise ImproperlyConfigured(f"{required} must be set when DJANGO_ENV=production")
    SECRET_KEY = os.environ["SECRET_KEY"].strip()
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not SECRET_KEY or not ALLOWED_HOSTS:
        raise ImproperlyConfigured("SECRET_KEY and ALLOWED_HOSTS must not be empty in production")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-development-only-never-deploy-this")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
    DEBUG = os.environ.get("DEBUG", "1") == "1"

INSTALLED_APPS = [
    "config.apps.InternboardAdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",  # login throttling and lockout (see the django-axes block below)
    "companies",
    "listings",
    "boards",
    "shortlist",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "config.middleware.HeadResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.CanonicalHostMiddleware",
    "config.middleware.StaticFilesMiddleware",  # WhiteNoise, without the manifest
    "csp.middleware.CSPMiddleware",
    "config.middleware.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks every login before the password does (it needs the
# request: log in through the login form, or with force_login in tests).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: an SQLite file by default, PostgreSQL when DATABASE_URL is set.
# SQLite runs in WAL mode with IMMEDIATE transactions so that concurrent
# writers (apply clicks) queue on the busy timeout instead of failing.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Django's backend, with a health check that polls the idle socket
        # instead of a `SELECT 1` round trip per request (config/postgresql/).
        DATABASES["default"]["ENGINE"] = "config.postgresql"
        # JIT compilation pays off for long analytic queries, never for a web
        # page's: on the list filtered by state it spent a second compiling a
        # query that runs in milliseconds. Parallel workers likewise: starting
        # them cost a page of 20 rows (?location=Austin) 10 ms of its 14; a
        # higher setup cost keeps them for scans big enough to repay it (a
        # search for a common word still gets them).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            "-c jit=off -c parallel_setup_cost=10000"
        )
else:
    SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "db.sqlite3"))
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            # Tests use a file next to the database, not Django's in-memory
            # default: an in-memory database is one connection shared by every
            # live-server thread, so concurrent requests (apply clicks) would
            # never really race. A file gives each thread its own connection.
            "TEST": {"NAME": SQLITE_PATH.with_name(f"test_{SQLITE_PATH.name}")},
            # Opening a connection (and running the PRAGMAs) costs several
            # times a whole apply redirect, so workers keep theirs, as on
            # PostgreSQL.
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# models.W040: SQLite has no covering indexes (INCLUDE columns). The posting
# list's index carries closes_on for PostgreSQL's index-only scans; SQLite
# builds it without the extra column, which is all it can do, so the warning
# on every SQLite `migrate` says nothing an operator can act on.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security ---------------------------------------------------------------
# Headers sent in every environment (SecurityMiddleware, XFrameOptionsMiddleware).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Behind a reverse proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER to the
# header the proxy sets (e.g. "X-Forwarded-Proto"); requests carrying "https"
# in it count as secure. Only do this when the proxy strips that header from
# client requests, or clients can pretend to be on HTTPS.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"),
        "https",
    )

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe /healthz over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Public address of the site, used in feeds, sitemaps and link previews when
# there is no request to take it from.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# In production every absolute URL on a page (canonical links, feeds, sitemap)
# is built from SITE_URL, never from the request's Host header
# (config.middleware.CanonicalHostMiddleware). Set SITE_URL there to the
# public address, e.g. https://internboard.example.org. Without SITE_URL in
# the environment, production falls back to the request's host.
CANONICAL_SITE_URL = SITE_URL if PRODUCTION and os.environ.get("SITE_URL") else ""

# --- Company job boards (boards/, `sync_boards`) --------------------------------
GREENHOUSE_API_URL = os.environ.get("GREENHOUSE_API_URL", "https://boards-api.greenhouse.io")
LEVER_API_URL = os.environ.get("LEVER_API_URL", "https://api.lever.co")
ASHBY_API_URL = os.environ.get("ASHBY_API_URL", "https://api.ashbyhq.com")
BOARD_TIMEOUT = float(os.environ.get("BOARD_TIMEOUT", "20"))  # seconds per request
BOARD_RETRY_MAX_WAIT = float(os.environ.get("BOARD_RETRY_MAX_WAIT", "60"))  # cap on Retry-After
BOARD_CONCURRENCY = int(os.environ.get("BOARD_CONCURRENCY", "4"))  # boards fetched at once

# Background tasks (Django's Tasks API, django-tasks backport) kept in the
# database and run by `python manage.py db_worker` (django-tasks-db).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Cache: Redis when REDIS_URL is set, so that every app server shares one
# cache and a change made through any of them reaches all (config/generation.py);
# local memory otherwise (one process: development and tests).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache with a circuit breaker (config/cache.py): a
            # Redis that is down or hung costs one 250 ms timeout per worker,
            # then is left alone for CACHE_BREAKER_SECONDS.
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "internboard",
            "TIMEOUT": 300,
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.25,
                "BREAKER_SECONDS": float(os.environ.get("CACHE_BREAKER_SECONDS", "30")),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "internboard",
            "TIMEOUT": 300,
        }
    }

# Whole pages for visitors (no session, CSRF or message cookie) are kept this
# many seconds, and only until the next write (listings/cache.visitor_page).
# On by default only with Redis: app servers with separate local-memory
# caches would each keep their own copy past a write made through another.
# Pieces of pages (cards, a posting's page, feed entries) built once per
# posting version and reused by every page, kept in each app process's memory
# (listings/fragments.py); 0 turns it off.
# On by default only with Redis, for the same reason: the generation that ends
# them must be shared by every process.
CARD_CACHE_SIZE = int(os.environ.get("CARD_CACHE_SIZE", "5000" if REDIS_URL else "0"))
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60" if REDIS_URL else "0"))

# Mail: SMTP with Django's own settings when EMAIL_HOST is set; without it,
# development prints every mail (alert confirmations and digests) to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A slow mail server must not hold a sign-up request (or the daily send) forever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Internboard <alerts@localhost>")

# --- django-filter ---------------------------------------------------------
FILTERS_EMPTY_CHOICE_LABEL = "Any"

# --- django-axes -------------------------------------------------------------
# Admin logins: after AXES_FAILURE_LIMIT wrong passwords for one user name from
# one address, that pair is locked out for AXES_COOLOFF_MINUTES (429 page);
# another address, or the right user elsewhere, is not affected. Attempts are
# kept in the database (the cache may be down), lockouts logged as warnings
# on the "axes" loggers. Unlock early: `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "429.html"
# Lockout log lines name the user name and address (for the operator; the
# password is never logged).
AXES_SENSITIVE_PARAMETERS = []
# Behind a reverse proxy, the number of proxies in front of the app whose
# X-Forwarded-For entries to trust (0: use the connection's address).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
# --- django-ratelimit --------------------------------------------------------
# Alert sign-ups per client IP and per address, counted in the default cache
# (Redis in production, shared by every app server). Only the function
# is_ratelimited is used, so the app is not installed: its system check
# refuses the local-memory cache of development outright.
RATELIMIT_USE_CACHE = "default"
ALERT_SIGNUPS_PER_IP = os.environ.get("ALERT_SIGNUPS_PER_IP", "10/h")
ALERT_SIGNUPS_PER_ADDRESS = os.environ.get("ALERT_SIGNUPS_PER_ADDRESS", "3/h")

# --- django-csp --------------------------------------------------------------
# Scripts only from this site or inline with the per-request nonce
# ({{ request.csp_nonce }}); nothing may frame the site. The admin loads only
# external scripts, so it works under this policy unchanged.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Logging -----------------------------------------------------------------
# One JSON object per line on stdout: requests (gunicorn's access log, see
# gunicorn.conf.py), imports and errors. Every line logged while a request is
# handled carries its request id, which is also sent as X-Request-ID.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {
        "null": {"class": "logging.NullHandler"},
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's default console/mail handlers with the one above.
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        # 4xx responses are a visitor's mistake, not an operator's problem.
        "django.request": {"level": "ERROR"},
        # Bots probing with made-up Host headers get their 400 page; logging each
        # one with a traceback would drown the errors that matter.
        # A NullHandler, not an empty list: a logger with no handler at all
        # makes Python print the record with its traceback to stderr.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
        # django-axes: its start-up banner on every command is noise; failed
        # logins and lockouts are warnings and stay.
        "axes.apps": {"level": "WARNING"},
        # Python warnings (deprecations, misconfigurations) as log lines too.
        "py.warnings": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        # runserver's own request lines (development only).
        "django.server": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
