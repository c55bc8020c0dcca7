"""What the label inputs of the list's filter form suggest (`<datalist>`).

The most used skills, categories, terms and companies among open postings,
bounded so that the list page stays light, read in one query and cached
with the other values until the next write.
"""

from django.db import connection
from django.utils import timezone

from .cache import cached

# The cached value is (suggestions, label ids): a name of its own, so that a
# server still running the release that cached suggestions alone never reads it.
CACHE_NAME = "filter-suggestions-and-label-ids"

# Per input; each suggestion costs about 30 bytes of every list page.
LIMIT = {"skill": 150, "category": 60, "term": 30, "company": 150}


def _sql():
    from companies.models import Company

    from .models import Posting, Status

    posting = Posting._meta.db_table
    open_ = f"p.status = '{Status.PUBLISHED}' AND (p.closes_on IS NULL OR p.closes_on >= %s)"
    parts = []
    for name, kind in (("skill", "skills"), ("category", "categories"), ("term", "terms")):
        field = Posting._meta.get_field(kind)
        through, label = field.remote_field.through, field.related_model
        column = through._meta.get_field(field.m2m_reverse_field_name()).column
        parts.append(
            f"SELECT * FROM (SELECT '{name}' AS kind, l.name AS name, COUNT(*) AS n "
            f"FROM {through._meta.db_table} t JOIN {label._meta.db_table} l ON l.id = t.{column} "
            f"JOIN {posting} p ON p.id = t.posting_id WHERE {open_} "
            f"GROUP BY l.name ORDER BY n DESC, l.name LIMIT {LIMIT[name]}) AS {name}_top"
        )
    # Every label's id by slug, for the label filters (label_ids below): read
    # here so that it costs no query of its own.
    for name, kind in (("skill", "skills"), ("category", "categories"), ("term", "terms")):
        label = Posting._meta.get_field(kind).related_model
        parts.append(
            f"SELECT '{name}-id' AS kind, slug AS name, id AS n FROM {label._meta.db_table}"
        )
    parts.append(
        f"SELECT * FROM (SELECT 'company' AS kind, c.name AS name, COUNT(*) AS n "
        f"FROM {posting} p JOIN {Company._meta.db_table} c ON c.id = p.company_id "
        f"WHERE {open_} GROUP BY c.name ORDER BY n DESC, c.name LIMIT {LIMIT['company']}) "
        f"AS company_top"
    )
    return " UNION ALL ".join(parts)


def _load():
    found = {name: [] for name in LIMIT}
    ids = {"skill": {}, "category": {}, "term": {}}
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [today] * len(LIMIT))
        for kind, name, value in cursor.fetchall():
            if kind.endswith("-id"):
                ids[kind.removesuffix("-id")][name] = value
            else:
                found[kind].append(name)
    for names in found.values():
        names.sort(key=str.casefold)
    return found, ids


def suggestions():
    """{"skill": [names], "category": [...], "term": [...], "company": [...]}."""
    return cached(CACHE_NAME, _load)[0]


def label_ids(kind, slugs):
    """The ids of the `kind` ("skill", "category", "term") labels with these
    slugs (unknown slugs have none), cached with the suggestions.

    The label filters compare the link table's label id with these numbers
    rather than join the label table by slug: PostgreSQL then estimates how
    many postings carry that very label (its statistics of the link table)
    instead of an average label, and picks the right plan for several
    filters at once (docs/browsing.md).
    """
    known = cached(CACHE_NAME, _load)[1][kind]
    return [known[slug] for slug in slugs if slug in known]
