"""Building the address the Apply Now redirect sends a visitor to."""

from urllib.parse import parse_qsl

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
