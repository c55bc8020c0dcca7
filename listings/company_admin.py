from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from companies.models import Company
from companies.roles import is_editor
from config.admin import annotation_column

from .companies import with_admin_counts

# The company's job board (PRODUCT.md section 10): its ATS and token are set by
# editors; the last sync's time and result are shown, written by `sync_boards`.
BOARD_FIELDS = ["ats", "board_token", "board_synced_at", "board_sync_result"]

# How many of a company's postings its change page lists before linking to
# the filtered posting list.
POSTINGS_SHOWN = 20


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    """The company admin, here because its columns and its change page show
    postings and apply clicks (companies/ knows nothing of postings).

    Editors manage every company; a recruiter sees and edits only the
    companies that list them, and only the public profile (website, size,
    about): not the name, the slug or who its recruiters are."""

    list_display = ["name", "size", "website", "posting_count", "open_count", "clicks_total"]
    list_filter = ["ats"]
    search_fields = ["name"]
    filter_horizontal = ["recruiters"]
    # Typed URLs without a scheme become https://, as Django 6 will do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return with_admin_counts(super().get_queryset(request).editable_by(request.user))

    def get_fields(self, request, obj=None):
        fields = ["name", "slug", "website", "size", "about"]
        if is_editor(request.user):
            fields += ["recruiters", *BOARD_FIELDS]
        if obj is not None:
            fields.append("postings_overview")
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = ["postings_overview", "board_synced_at", "board_sync_result"]
        if not is_editor(request.user):
            readonly += ["name", "slug"]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["name"]} if is_editor(request.user) else {}

    def get_list_display(self, request):
        if is_editor(request.user):
            return [*self.list_display, "ats", "board_synced_at", "board_sync_result"]
        return self.list_display

    def get_list_filter(self, request):
        return self.list_filter if is_editor(request.user) else []

    def get_actions(self, request):
        # Company actions (delete, and "Sync board now" added by the boards app) are
        # for editors; recruiters only edit their companies' public profile.
        return super().get_actions(request) if is_editor(request.user) else {}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "recruiters":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def recruits_for(self, request, obj):
        return is_editor(request.user) or obj.recruiters.filter(pk=request.user.pk).exists()

    def has_add_permission(self, request):
        return is_editor(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_delete_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or self.recruits_for(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.recruits_for(request, obj)
        )

    posting_count = annotation_column("posting_count", "postings")
    open_count = annotation_column("open_count", "open")
    clicks_total = annotation_column("clicks_total", "apply clicks")

    @admin.display(description="Postings")
    def postings_overview(self, obj):
        postings = obj.postings.order_by("-posted_on", "-id")[:POSTINGS_SHOWN]
        if not postings:
            return "No postings yet."
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {}, posted {}</li>',
            (
                (
                    reverse("admin:listings_posting_change", args=[p.pk]),
                    p.title,
                    p.get_status_display(),
                    p.posted_on.isoformat(),
                )
                for p in postings
            ),
        )
        everything = reverse("admin:listings_posting_changelist") + f"?company__id__exact={obj.pk}"
        count = getattr(obj, "posting_count", None) or obj.postings.count()
        return format_html(
            '<ul class="company-postings">{}</ul><p><a href="{}">All {} posting(s) of {}</a> · {} apply click(s) in total</p>',
            items,
            everything,
            count,
            obj.name,
            getattr(obj, "clicks_total", 0),
        )
