from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "listings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

        from companies.models import Company
        from config import generation

        from . import models, writes
        from .cache import connect_signals

        connect_signals()
        # The cache generation is read once per request (config/generation.py).
        request_started.connect(generation.remember_per_request, dispatch_uid="generation-start")
        request_finished.connect(generation.forget, dispatch_uid="generation-end")
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
        # terms_end follows terms set through the relation in the admin or a shell
        # (writes.py refreshes it for every posting it writes).
        m2m_changed.connect(
            writes.terms_changed, sender=models.Posting.terms.through, dispatch_uid="writes-terms"
        )
        post_save.connect(writes.term_saved, sender=models.Term, dispatch_uid="writes-term")
