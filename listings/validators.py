"""Validation of the URLs the Apply Now redirect may send a visitor to.

`validate_apply_url` is the one gate every stored `apply_url` passes: the
model field (and so the admin form and `full_clean()`), the importer and the
apply view itself, which re-checks before redirecting. It is deliberately
stricter than a browser: what passes is unambiguous to every URL parser, so
the host we checked is the host the browser goes to.
"""

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

MAX_URL_LENGTH = 2048
MAX_HOST_LENGTH = 253

# A DNS name: dot-separated labels of ASCII letters, digits and hyphens, with
# an alphabetic top-level label. Internationalised names must arrive in their
# punycode (xn--) form, so look-alike Unicode letters never pass. The
# alphabetic top-level label also refuses the numeric host forms browsers
# read as IPv4 addresses (http://2130706433/, http://0x7f.1/, http://127.1/).
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST_RE = re.compile(rf"^(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})\.?$")

# Names that are never a company's public site: loopback, mDNS, private-use
# and reserved top-level names (RFC 6761, 6762, 7686, 8375; ICANN .internal),
# and the undelegated names home and office networks use.
_FORBIDDEN_HOSTS = {"localhost", "localhost.localdomain"}
_FORBIDDEN_TLDS = {
    "localhost",
    "localdomain",
    "local",
    "internal",
    "intranet",
    "lan",
    "home",
    "corp",
    "test",
    "invalid",
    "example",
    "onion",
    "arpa",
}

_SPACE_OR_CONTROL_RE = re.compile(r"[\x00-\x20\x7f\\]")
# Characters RFC 3986 never allows unencoded (browsers would silently encode
# them, so the URL is not the one the editor thinks it is), and a "%" that
# does not start a percent-escape.
_NOT_URL_CHARS_RE = re.compile(r'[<>"`{}|^]|%(?![0-9A-Fa-f]{2})')


def _invalid(message, code="invalid"):
    return ValidationError(message, code=code)


def validate_apply_url(value):
    """Refuse anything but an absolute http(s) URL to a real, public-looking host name."""
    if not isinstance(value, str) or not value:
        raise _invalid("Enter the company's application URL.", "required")
    if len(value) > MAX_URL_LENGTH:
        raise _invalid(f"The URL is longer than {MAX_URL_LENGTH} characters.", "max_length")
    # Checked before parsing: urlsplit() silently drops tabs and newlines
    # ("java\tscript:"), which is exactly how such payloads slip through.
    if not value.isascii():
        if any(ch.isspace() or not ch.isprintable() for ch in value):
            raise _invalid("The URL contains spaces, backslashes or control characters.")
        raise _invalid("The URL contains non-ASCII characters; use its encoded form.")
    if _SPACE_OR_CONTROL_RE.search(value):
        raise _invalid("The URL contains spaces, backslashes or control characters.")
    if _NOT_URL_CHARS_RE.search(value):
        raise _invalid("The URL contains characters that must be percent-encoded.")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise _invalid("The URL is malformed.") from exc
    if parts.scheme not in ("http", "https"):
        raise _invalid("The URL must start with http:// or https://.", "scheme")
    if not value.lower().startswith(parts.scheme + "://"):
        raise _invalid("The URL must be absolute, like https://jobs.example.com/apply.")
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise _invalid("The URL must not carry a user name or password.", "userinfo")
    host = (parts.hostname or "").lower()
    if not host:
        raise _invalid("The URL has no host name.", "host")
    bare = host.rstrip(".")
    if bare in _FORBIDDEN_HOSTS or bare.rsplit(".", 1)[-1] in _FORBIDDEN_TLDS:
        raise _invalid("The URL must point at a public host, not a local or reserved name.", "host")
    if len(bare) > MAX_HOST_LENGTH or not _HOST_RE.match(host):
        # The pattern refuses IP literals too; only the message differs.
        try:
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            raise _invalid(
                "The URL's host is not a valid public host name (like jobs.example.com).", "host"
            ) from None
        raise _invalid("The URL must use a host name, not an IP address.", "host")
    if port is not None and not 0 < port < 65536:
        raise _invalid("The URL's port is invalid.")


def is_valid_apply_url(value):
    try:
        validate_apply_url(value)
    except ValidationError:
        return False
    return True
