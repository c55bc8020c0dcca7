"""The site's one policy for outside URLs: apply URLs and company websites.

`validate_public_url` is the one gate every stored `Posting.apply_url` and
`Company.website` passes: the model fields (and so the admin forms and
`full_clean()`), the importer and the apply view itself, which re-checks
before redirecting. It lives here, outside both apps, because both use it
(companies must not import listings).

It is deliberately stricter than a browser: what passes is unambiguous to
every URL parser, so the host we checked is the host the browser goes to.
Refused (docs/url-policy.md):

- anything but absolute http(s); user-info (``good.com@evil.com``); IP
  literals and the numeric forms browsers read as IPs; reserved names;
- wildcard-DNS services that answer any name with the address written in it
  (``127.0.0.1.nip.io``), listed in `WILDCARD_DNS_DOMAINS`, and any name that
  embeds a private, loopback or otherwise non-public IPv4 address;
- punycode (``xn--``) labels that are not valid IDNA, that mix scripts in
  one label (Latin with Cyrillic, ...), or that are written wholly in letters
  that imitate Latin ones ("аррӏе" in Cyrillic for "apple").
"""

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

import idna
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

# Wildcard-DNS services: every name under them resolves to the address the
# name spells (127.0.0.1.nip.io, 10-0-0-1.sslip.io, anything.lvh.me -> 127.0.0.1),
# so they reach loopback and private networks through a "real" host name.
WILDCARD_DNS_DOMAINS = frozenset(
    {
        "nip.io",
        "sslip.io",
        "xip.io",
        "nip.direct",
        "localtest.me",
        "lvh.me",
        "vcap.me",
        "fuf.me",
        "lacolhost.com",
        "localho.st",
        "traefik.me",
        "local.gd",
        "1u.ms",
        "backname.io",
    }
)
# An IPv4 address written into a name: 127.0.0.1.example, 127-0-0-1.example,
# or eight hex digits (7f000001.example), as the services above accept.
_EMBEDDED_IPV4_RE = re.compile(
    r"(?<![0-9])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})(?![0-9])"
)
_HEX_IPV4_LABEL_RE = re.compile(r"(?:^|[.-])([0-9a-f]{8})(?:$|[.-])")

# Scripts that may share one label with Latin (Chrome's IDN policy: Japanese,
# Chinese and Korean names are often written with Latin letters alongside).
_COMPATIBLE_WITH_LATIN = [{"HAN", "HIRAGANA", "KATAKANA"}, {"HAN", "BOPOMOFO"}, {"HAN", "HANGUL"}]
# Letters of other scripts that look like Latin ones: a label made only of
# these, in a name whose top-level label is ASCII, imitates a Latin name.
_LATIN_LOOKALIKES = frozenset(
    "аъьвсԁеёһіїјӏкмոорԛѕтџսԝхуүзэɑοτνρκιαεϲАВСЕНІЈКМОРЅТХУΑΒΕΗΙΚΜΝΟΡΤΥΧΖ"
)

_SPACE_OR_CONTROL_RE = re.compile(r"[\x00-\x20\x7f\\]")
# Characters RFC 3986 never allows unencoded (browsers would silently encode
# them, so the URL is not the one the editor thinks it is), and a "%" that
# does not start a percent-escape.
_NOT_URL_CHARS_RE = re.compile(r'[<>"`{}|^]|%(?![0-9A-Fa-f]{2})')


def _invalid(message, code="invalid"):
    return ValidationError(message, code=code)


def _script(char):
    """The Unicode script of a letter, from its character name ("CYRILLIC SMALL
    LETTER A" -> CYRILLIC); None for digits, hyphens and combining marks."""
    if not unicodedata.category(char).startswith("L"):
        return None
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if first == "CJK":
        return "HAN"
    return first or None


def label_scripts(label):
    return {script for script in map(_script, label) if script}


def _check_unicode_label(unicode_label, ascii_tld):
    scripts = label_scripts(unicode_label)
    others = scripts - {"LATIN"}
    if len(others) > 1 and not any(others <= group for group in _COMPATIBLE_WITH_LATIN):
        raise _invalid("The URL's host name mixes alphabets; it may imitate another name.", "idn")
    if others and "LATIN" in scripts and not any(others <= g for g in _COMPATIBLE_WITH_LATIN):
        raise _invalid("The URL's host name mixes alphabets; it may imitate another name.", "idn")
    letters = [ch for ch in unicode_label if _script(ch)]
    if others and ascii_tld and letters and all(ch in _LATIN_LOOKALIKES for ch in letters):
        raise _invalid("The URL's host name is written in letters that imitate Latin ones.", "idn")


def check_idn(host):
    """Refuse punycode labels that are invalid IDNA, mix scripts or imitate Latin."""
    labels = host.split(".")
    ascii_tld = not labels[-1].startswith("xn--")
    for label in labels:
        if not label.startswith("xn--"):
            continue
        try:
            unicode_label = idna.decode(label)
        except (idna.IDNAError, UnicodeError, ValueError) as exc:
            raise _invalid("The URL's host name is not a valid international name.", "idn") from exc
        _check_unicode_label(unicode_label, ascii_tld)


def _embeds_private_ipv4(host):
    candidates = []
    for match in _EMBEDDED_IPV4_RE.finditer(host):
        candidates.append(".".join(match.groups()))
    for match in _HEX_IPV4_LABEL_RE.finditer(host):
        number = int(match.group(1), 16)
        candidates.append(str(ipaddress.IPv4Address(number)))
    for text in candidates:
        try:
            address = ipaddress.IPv4Address(text)
        except ValueError:
            continue
        if not address.is_global:
            return True
    return False


def check_wildcard_dns(host):
    """Refuse names that resolve to whatever address they spell."""
    bare = host.rstrip(".")
    for domain in WILDCARD_DNS_DOMAINS:
        if bare == domain or bare.endswith("." + domain):
            raise _invalid(
                f"The URL uses {domain}, a wildcard-DNS service that can point at "
                "private addresses; use the company's own host name.",
                "wildcard_dns",
            )
    if _embeds_private_ipv4(bare):
        raise _invalid("The URL's host name spells a private or loopback address.", "wildcard_dns")


def validate_public_url(value):
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
    top_level = bare.rsplit(".", 1)[-1]
    if bare in _FORBIDDEN_HOSTS or top_level == "localhost":
        raise _invalid("The URL must not point at localhost.", "host")
    if top_level in _FORBIDDEN_TLDS:
        raise _invalid("The URL must point at a public host, not a local or reserved name.", "host")
    if len(bare) > MAX_HOST_LENGTH or not _HOST_RE.match(host):
        # The pattern refuses IP literals too; only the message differs.
        try:
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            raise _invalid("The URL's host is not a valid public host name.", "host") from None
        raise _invalid("The URL must use a host name, not an IP address.", "host")
    if port is not None and not 0 < port < 65536:
        raise _invalid("The URL's port is invalid.")
    check_wildcard_dns(bare)
    check_idn(bare)


# The apply URL and the company website follow the same policy.
validate_apply_url = validate_public_url
validate_website = validate_public_url


def is_valid_public_url(value):
    try:
        validate_public_url(value)
    except ValidationError:
        return False
    return True


is_valid_apply_url = is_valid_public_url
