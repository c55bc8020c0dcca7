"""Create the "Editors" and "Recruiters" groups with their model permissions.

Editors manage every company and posting and the shared vocabulary (skills,
categories, terms, locations); they read apply clicks. Recruiters view and
change their own companies, add and change their postings and pay ranges, and
pick existing skills, categories, terms and locations (view only: editors keep
the vocabulary tidy). Which rows a recruiter reaches is decided by the admin
(companies/roles.py), not by these permissions.
"""

from django.db import migrations

EDITOR_PERMISSIONS = {
    "companies": {"company": ["add", "change", "delete", "view"]},
    "listings": {
        "posting": ["add", "change", "delete", "view"],
        "payrange": ["add", "change", "delete", "view"],
        "location": ["add", "change", "delete", "view"],
        "skill": ["add", "change", "delete", "view"],
        "category": ["add", "change", "delete", "view"],
        "term": ["add", "change", "delete", "view"],
        "applyclick": ["view"],
    },
}

RECRUITER_PERMISSIONS = {
    "companies": {"company": ["change", "view"]},
    "listings": {
        "posting": ["add", "change", "view"],
        "payrange": ["add", "change", "delete", "view"],
        "location": ["view"],
        "skill": ["view"],
        "category": ["view"],
        "term": ["view"],
    },
}

GROUPS = {"Editors": EDITOR_PERMISSIONS, "Recruiters": RECRUITER_PERMISSIONS}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; on a fresh
    # database they do not exist yet, so create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [
            (app_label, f"{action}_{model}")
            for app_label, models in wanted.items()
            for model, actions in models.items()
            for action in actions
        ]
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames
        ]
        group.permissions.set(permissions)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("companies", "0001_initial"),
        ("listings", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
