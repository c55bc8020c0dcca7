import django.contrib.postgres.search
from django.db import migrations

# The GIN index and the first fill exist on PostgreSQL only: SQLite searches
# the fields directly (see PostingQuerySet.search) and cannot build GIN indexes.
CREATE_INDEX = "CREATE INDEX posting_search_vector ON listings_posting USING gin (search_vector)"
DROP_INDEX = "DROP INDEX IF EXISTS posting_search_vector"
FILL = """
UPDATE listings_posting p SET search_vector =
    setweight(to_tsvector('english', coalesce(p.title, '')), 'A')
    || setweight(to_tsvector('english',
        coalesce((SELECT c.name FROM companies_company c WHERE c.id = p.company_id), '') || ' ' ||
        coalesce((SELECT string_agg(s.name, ' ') FROM listings_posting_skills ps
                  JOIN listings_skill s ON s.id = ps.skill_id WHERE ps.posting_id = p.id), '') || ' ' ||
        coalesce((SELECT string_agg(c.name, ' ') FROM listings_posting_categories pc
                  JOIN listings_category c ON c.id = pc.category_id WHERE pc.posting_id = p.id), '')
    ), 'B')
    || setweight(to_tsvector('english',
        coalesce(p.about_role, '') || ' ' || coalesce(p.responsibilities, '')), 'C')
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)
        schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="posting",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
