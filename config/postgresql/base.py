"""Django's PostgreSQL backend with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django runs `SELECT 1` on a kept connection before
a request's first query, so that a connection the server dropped (a restart,
a failover, PgBouncer restarting) is replaced instead of failing the
request. That is one more round trip for every request that reads the
database: on the Apply Now redirect, whose work is one upsert, it was a
fifth of the request.

A connection between requests is idle, and an idle PostgreSQL connection
is silent: the server sends something unasked only to say it is going
away (the FATAL "terminating connection" of a shutdown or
pg_terminate_backend, then end of file) or, rarely, an asynchronous
notice. So the socket is polled first, which costs a system call: nothing
to read means the connection is as the last request left it, and Django's
own `SELECT 1` runs only when the server has spoken, to tell a farewell
from a notice. A connection psycopg already knows to be closed or broken is
replaced at once. A server that vanished without a word (the host lost,
the network cut) is found by neither check until TCP gives up; a request's
connect and statement timeouts cover it.

A connection on which an error occurred still gets Django's full check
(`close_if_unusable_or_obsolete` calls `is_usable`, unchanged).
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and not self._server_spoke()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _server_spoke(self):
        """Whether the idle connection has something to read, or is known dead."""
        connection = self.connection
        if connection.closed or connection.broken:
            return True
        try:
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return bool(poller.poll(0))
        except (OSError, ValueError, AttributeError):  # no poll() here: ask the server
            return True
