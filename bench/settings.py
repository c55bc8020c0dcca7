"""Settings for `make bench` only: the site's settings plus a bare view to compare against.

Never used in production: the bare `/__bench__/ok` view exists only under this
module's URLconf (`bench.urls`).
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
