"""One-line JSON logs, each tagged with the id of the request being handled."""

import contextvars
import datetime
import json
import logging

# Set by config.middleware.RequestIdMiddleware for the duration of a request.
request_id = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Adds the current request's id, and for Django's own request records
    (which carry the request object) its method and path, never its query."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get() or getattr(request, "request_id", None)
        if request is not None and hasattr(request, "method"):
            record.method = request.method
            record.path = request.path
        return True


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object on one line.

    Only plain values passed with `extra=` are written: objects such as the
    request Django attaches to its own records are left out, so headers,
    cookies, query strings and bodies never reach the log.
    """

    def format(self, record):
        entry = {
            "ts": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", None):
            entry["request_id"] = record.request_id
        for key, value in record.__dict__.items():
            plain = isinstance(value, str | int | float | bool) or value is None
            if plain and key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
