"""Apply URLs: the address the Apply Now redirect sends a visitor to, the
stored form without other sites' tracking, and the key two sources' URLs are matched by."""

from urllib.parse import parse_qsl, unquote_plus, urlsplit, urlunsplit

UTM_SOURCE = "internboard"


def with_utm_source(url, source=UTM_SOURCE):
    """`url` with `utm_source=<source>` appended to its query string.

    A URL that already carries a `utm_source` is returned unchanged. Nothing
    else is touched: the other parameters keep their order and their exact
    encoding, and the fragment stays at the end. The URL is treated as text
    (split at the first "#" and "?") rather than parsed and rebuilt, so that
    no re-encoding can change what the company's page receives.
    """
    rest, hash_mark, fragment = url.partition("#")
    base, question_mark, query = rest.partition("?")
    if any(key == "utm_source" for key, _ in parse_qsl(query, keep_blank_values=True)):
        return url
    parameter = f"utm_source={source}"
    if query and not query.endswith("&"):
        parameter = "&" + parameter
    return f"{base}?{query}{parameter}{hash_mark}{fragment}"


# Query parameters that say who sent the visitor, not which job it is. Matched
# case-insensitively; a name ending in "*" is a prefix. docs/import-format.md
# lists them for operators.
TRACKING_PARAMETERS = (
    "utm_*", "gh_src", "ref", "ref_src", "refid", "referrer", "referer", "source", "src",
    "lever-source", "lever-origin", "trk", "trackingid", "fbclid", "gclid", "gclsrc",
    "dclid", "msclkid", "yclid", "ttclid", "twclid", "li_fat_id", "igshid", "mc_cid",
    "mc_eid", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "_ga", "_gl",
)  # fmt: skip
_TRACKING_EXACT = frozenset(name for name in TRACKING_PARAMETERS if not name.endswith("*"))
_TRACKING_PREFIXES = tuple(name[:-1] for name in TRACKING_PARAMETERS if name.endswith("*"))


def is_tracking_parameter(name):
    name = unquote_plus(name).strip().lower()
    return name in _TRACKING_EXACT or name.startswith(_TRACKING_PREFIXES)


def _kept_pairs(query):
    """The query's `name=value` pieces (as written) that are not tracking."""
    return [
        piece
        for piece in query.split("&")
        if piece and not is_tracking_parameter(piece.partition("=")[0])
    ]


def strip_tracking(url):
    """`url` without other sites' tracking parameters (`utm_*`, `gh_src`, `ref`...),
    for storing. Everything else stays as written: the other parameters keep
    their order and encoding, the fragment stays, nothing is re-encoded."""
    rest, hash_mark, fragment = url.partition("#")
    base, question_mark, query = rest.partition("?")
    if not question_mark:
        return url
    kept = _kept_pairs(query)
    if len(kept) == len([piece for piece in query.split("&") if piece]):
        return url
    return f"{base}{'?' if kept else ''}{'&'.join(kept)}{hash_mark}{fragment}"


def canonical_apply_url(url):
    """The key two sources' apply URLs are compared by: scheme and host in lower
    case, no fragment, no tracking parameters, the remaining parameters sorted,
    a trailing slash on the path ignored. For matching only, never for storing."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".")
    if parts.port is not None and (parts.scheme.lower(), parts.port) not in (
        ("http", 80),
        ("https", 443),
    ):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    query = "&".join(sorted(_kept_pairs(parts.query)))
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))
