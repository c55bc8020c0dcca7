"""What the label inputs of the list's filter form suggest (`<datalist>`).

The most used skills, categories, terms and companies among open postings,
bounded so that the list page stays light, read in one query and cached
with the other values until the next write.
"""

from django.db import connection
from django.utils import timezone

from .cache import cached

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
    parts.append(
        f"SELECT * FROM (SELECT 'company' AS kind, c.name AS name, COUNT(*) AS n "
        f"FROM {posting} p JOIN {Company._meta.db_table} c ON c.id = p.company_id "
        f"WHERE {open_} GROUP BY c.name ORDER BY n DESC, c.name LIMIT {LIMIT['company']}) "
        f"AS company_top"
    )
    return " UNION ALL ".join(parts)


def _load():
    found = {name: [] for name in LIMIT}
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [today] * len(LIMIT))
        for kind, name, _count in cursor.fetchall():
            found[kind].append(name)
    for names in found.values():
        names.sort(key=str.casefold)
    return found


def suggestions():
    """{"skill": [names], "category": [...], "term": [...], "company": [...]}."""
    return cached("filter-suggestions", _load)
