from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "listings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

        from . import models
        from .cache import connect_signals

        connect_signals()
        # Postings' StatePay rows follow their locations (admin edits of a
        # Location; every posting path calls refresh_state_pay itself).
        post_save.connect(models.location_saved, sender=models.Location)
        pre_delete.connect(models.location_deleting, sender=models.Location)
        post_delete.connect(models.location_deleted, sender=models.Location)
        # terms_end follows terms set through the relation (the importer,
        # which writes link rows itself, calls refresh_terms_end()).
        m2m_changed.connect(models.terms_changed, sender=models.Posting.terms.through)
