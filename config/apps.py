from django.contrib.admin.apps import AdminConfig


class InternboardAdminConfig(AdminConfig):
    default_site = "config.admin.InternboardAdminSite"
