from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "listings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_delete

        from companies.models import Company

        from . import models, writes
        from .cache import connect_signals

        connect_signals()
        # Edits made in other admin pages that feed postings' derived data
        # (every posting write goes through listings/writes.py itself).
        post_save.connect(writes.location_saved, sender=models.Location, dispatch_uid="writes-loc")
        pre_delete.connect(
            writes.location_deleting, sender=models.Location, dispatch_uid="writes-loc-deleting"
        )
        post_delete.connect(
            writes.location_deleted, sender=models.Location, dispatch_uid="writes-loc-deleted"
        )
        for model in (Company, models.Skill, models.Category):
            post_save.connect(
                writes.name_saved, sender=model, dispatch_uid=f"writes-name-{model.__name__}"
            )
