"""Validation of the URLs the Apply Now redirect may send a visitor to."""

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

MAX_URL_LENGTH = 2048

# A DNS name: dot-separated labels of ASCII letters, digits and hyphens, with
# an alphabetic top-level label. Internationalised names must arrive in their
# punycode (xn--) form, so look-alike Unicode letters never pass.
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST_RE = re.compile(rf"^(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})\.?$")
_FORBIDDEN_HOSTS = {"localhost", "localhost.localdomain"}
# Whitespace (str.isspace), control characters, DEL and backslashes: one C-level
# scan instead of a Python loop per character, so importing thousands is quick.
_UNSAFE_CHAR_RE = re.compile(r"[\s\x00-\x1f\x7f\\]")


def validate_apply_url(value):
    """Refuse anything but an absolute http(s) URL to a real, public-looking host name."""
    if not isinstance(value, str) or not value:
        raise ValidationError("Enter the company's application URL.", code="required")
    if len(value) > MAX_URL_LENGTH:
        raise ValidationError(
            f"The URL is longer than {MAX_URL_LENGTH} characters.", code="max_length"
        )
    if _UNSAFE_CHAR_RE.search(value):
        raise ValidationError(
            "The URL contains spaces, backslashes or control characters.", code="invalid"
        )
    if not value.isascii():
        raise ValidationError(
            "The URL contains non-ASCII characters; use its encoded form.", code="invalid"
        )
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise ValidationError("The URL is malformed.", code="invalid") from exc
    if parts.scheme not in ("http", "https"):
        raise ValidationError("The URL must start with http:// or https://.", code="scheme")
    if not value.lower().startswith(parts.scheme + "://"):
        raise ValidationError("The URL must be absolute.", code="invalid")
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise ValidationError("The URL must not carry a user name or password.", code="userinfo")
    host = (parts.hostname or "").lower()
    if not host:
        raise ValidationError("The URL has no host name.", code="host")
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        raise ValidationError("The URL must use a host name, not an IP address.", code="host")
    if host.rstrip(".") in _FORBIDDEN_HOSTS or host.rstrip(".").endswith(".localhost"):
        raise ValidationError("The URL must not point at localhost.", code="host")
    if not _HOST_RE.match(host):
        raise ValidationError("The URL's host is not a valid public host name.", code="host")
    if port is not None and not 0 < port < 65536:
        raise ValidationError("The URL's port is invalid.", code="invalid")
