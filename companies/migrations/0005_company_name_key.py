"""Company.name_key: the key the importer matches spellings of one company by.

The key function is frozen here (companies/names.py company_key as of this
migration) so that later changes to it do not change what this migration does.
"""

import re
import unicodedata

from django.db import migrations, models

LEGAL_SUFFIXES = (
    "inc", "incorporated", "llc", "l l c", "ltd", "limited", "corp", "corporation", "co",
    "company", "gmbh", "lp", "llp", "lllp", "plc", "s a", "sa", "ag", "nv", "n v", "bv",
    "b v", "pty", "pte", "srl", "s r l", "spa", "s p a", "sas", "sarl", "se", "oy", "ab",
    "kk", "k k", "pc", "p c", "pllc", "ulc", "and co", "and company",
)  # fmt: skip
SUFFIX_RE = re.compile(
    r"(?:\s(?:"
    + "|".join(re.escape(s) for s in sorted(LEGAL_SUFFIXES, key=len, reverse=True))
    + r"))+$"
)
NOTE_RE = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")


def company_key(name):
    text = " ".join(str(name).split())
    bare = " ".join(NOTE_RE.sub(" ", text).split()).strip(" ,-") or text
    text = unicodedata.normalize("NFKD", bare).encode("ascii", "ignore").decode() or bare
    text = text.lower().replace("&", " and ")
    text = re.sub(r"(?<=\w)['’](?=\w)", "", text)
    result, initials = [], False
    for word in re.sub(r"[\W_]+", " ", text).split():
        if len(word) == 1 and initials:
            result[-1] += word
        else:
            result.append(word)
        initials = len(word) == 1 and word.isalpha()
    words = " ".join(result)
    return SUFFIX_RE.sub("", " " + words).strip() or words


def fill_keys(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    changed = []
    for company in Company.objects.only("pk", "name").iterator(chunk_size=2000):
        company.name_key = company_key(company.name)[:200]
        changed.append(company)
    Company.objects.bulk_update(changed, ["name_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0004_website_url_policy"),
    ]

    operations = [
        migrations.AddField(
            model_name="company",
            name="name_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
    ]
