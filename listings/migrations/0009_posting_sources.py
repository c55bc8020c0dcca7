"""Many sources, one posting (PRODUCT.md section 14).

Posting.apply_url_key (the canonical apply URL two sources' copies of a job are
matched by) and PostingSource (each source listing a posting). Every posting
imported so far gets one link: its own source and external id, active when
it is published. The URL key function is frozen here (listings/links.py
canonical_apply_url as of this migration).
"""

from urllib.parse import unquote_plus, urlsplit, urlunsplit

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

TRACKING = (
    "gh_src", "ref", "ref_src", "refid", "referrer", "referer", "source", "src",
    "lever-source", "lever-origin", "trk", "trackingid", "fbclid", "gclid", "gclsrc",
    "dclid", "msclkid", "yclid", "ttclid", "twclid", "li_fat_id", "igshid", "mc_cid",
    "mc_eid", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "_ga", "_gl",
)  # fmt: skip


def url_key(url):
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".")
    if parts.port is not None and (parts.scheme.lower(), parts.port) not in (
        ("http", 80),
        ("https", 443),
    ):
        host = f"{host}:{parts.port}"

    def tracking(piece):
        name = unquote_plus(piece.partition("=")[0]).strip().lower()
        return name in TRACKING or name.startswith("utm_")

    kept = sorted(piece for piece in parts.query.split("&") if piece and not tracking(piece))
    return urlunsplit((parts.scheme.lower(), host, parts.path.rstrip("/"), "&".join(kept), ""))


def link_sources(apps, schema_editor):
    Posting = apps.get_model("listings", "Posting")
    PostingSource = apps.get_model("listings", "PostingSource")
    keyed, links = [], []
    rows = Posting.objects.order_by("pk").values_list(
        "pk", "apply_url", "source", "external_id", "status", "updated_at", "company__name"
    )
    for pk, url, source, external_id, status, updated_at, company in list(rows):
        keyed.append(Posting(pk=pk, apply_url_key=url_key(url or "")[:2048]))
        if external_id:
            links.append(
                PostingSource(
                    posting_id=pk,
                    source=source,
                    external_id=external_id,
                    active=status == "published",
                    last_seen_at=updated_at,
                    company_name=company[:200],
                )
            )
        if len(keyed) >= 2000:
            Posting.objects.bulk_update(keyed, ["apply_url_key"], batch_size=500)
            PostingSource.objects.bulk_create(links, batch_size=500)
            keyed, links = [], []
    Posting.objects.bulk_update(keyed, ["apply_url_key"], batch_size=500)
    PostingSource.objects.bulk_create(links, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0008_posting_revision'),
    ]

    operations = [
        migrations.AddField(
            model_name='posting',
            name='apply_url_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=2048),
        ),
        migrations.CreateModel(
            name='PostingSource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=50)),
                ('external_id', models.CharField(max_length=200)),
                ('active', models.BooleanField(default=True)),
                ('last_seen_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('company_name', models.CharField(blank=True, max_length=200)),
                ('posting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='listings.posting')),
            ],
            options={
                'indexes': [models.Index(fields=['posting', 'active'], name='postingsource_posting')],
                'constraints': [models.UniqueConstraint(fields=('source', 'external_id'), name='postingsource_unique_source_id')],
            },
        ),
        migrations.RunPython(link_sources, migrations.RunPython.noop, elidable=True),
    ]
