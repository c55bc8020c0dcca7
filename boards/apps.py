from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Company job boards"

    def ready(self):
        # The "Sync board now" action joins the company admin from here, so that
        # `companies` needs to know nothing about boards (see boards/admin.py).
        from . import admin  # noqa: F401
