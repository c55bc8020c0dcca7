"""Internboard's admin site: the pending-review queue on the index page, a
"view on site" redirect that only works for objects the user may see, and
the changelist column both admins use for their annotated counts."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import path


class InternboardAdminSite(admin.AdminSite):
    site_header = "Internboard admin"
    site_title = "Internboard admin"
    index_title = "Postings and companies"
    index_template = "admin/internboard_index.html"

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "pending_review": self.pending_review(request)}
        return super().index(request, extra_context)

    def pending_review(self, request):
        """How many postings this user can see are waiting for an editor, or None."""
        from companies.roles import is_editor
        from listings.models import Posting, Status

        model_admin = self._registry.get(Posting)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            return None
        count = Posting.objects.editable_by(request.user).filter(status=Status.PENDING).count()
        editor = is_editor(request.user)
        changes = None
        if editor:
            from listings.models import PostingRevision, RevisionStatus

            changes = PostingRevision.objects.filter(status=RevisionStatus.PENDING).count()
        return {"count": count, "editor": editor, "changes": changes}

    def get_urls(self):
        # Django's own "r/<content type>/<id>/" redirect answers for any object
        # to any staff user, which would reveal the URL (and so the title) of
        # another company's draft. This one asks the model admin first.
        guarded = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [guarded, *super().get_urls()]

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist as exc:
            raise Http404("No such object.") from exc
        model_admin = self._registry.get(model)
        obj = model_admin.get_object(request, object_id) if model_admin else None
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)


def annotation_column(name, description):
    """A changelist column that shows, and sorts by, the annotation `name`
    of the admin's queryset (click counts, posting counts)."""

    @admin.display(description=description, ordering=name)
    def column(self, obj):
        return getattr(obj, name)

    column.__name__ = name
    return column
