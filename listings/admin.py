"""The posting admin for editors and recruiters (PRODUCT.md section 7).

Editors (companies/roles.py) see and change everything and are the only ones
who publish or close. Recruiters reach only their companies' postings: every
queryset, choice list and permission check below goes through
`Posting.objects.editable_by(user)`, so a foreign posting looks exactly like a
missing one.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from companies.models import Company
from companies.roles import is_editor
from config.admin import annotation_column

from . import charts, pay, revisions, writes
from .company_admin import CompanyAdmin  # noqa: F401  (registers the company admin)
from .models import (
    Category,
    Location,
    PayRange,
    Posting,
    PostingRevision,
    RevisionStatus,
    Skill,
    Status,
    Term,
    WorkMode,
)

# The states a recruiter may choose; the current status of a posting is kept
# available too, so editing a published posting does not unpublish it.
RECRUITER_STATUSES = [Status.DRAFT, Status.PENDING, Status.CLOSED]

_STATE_LABELS = sorted(
    ((code, f"{name} ({code})") for code, name in pay.US_STATES.items()),
    key=lambda choice: choice[1],
)
# One compact list per range: the pay-transparency states, where a range is
# expected, listed first.
STATE_CHOICES_GROUPED = [
    ("Pay-transparency states", [c for c in _STATE_LABELS if c[0] in pay.PAY_TRANSPARENCY_STATES]),
    ("Other states", [c for c in _STATE_LABELS if c[0] not in pay.PAY_TRANSPARENCY_STATES]),
]

SALARY_FIELDSET = "Salary range"


# --- pay ranges ---------------------------------------------------------------


class PayRangeForm(forms.ModelForm):
    states = forms.MultipleChoiceField(
        choices=STATE_CHOICES_GROUPED,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "state-choices", "size": 8}),
        help_text=(
            "Hold Ctrl (⌘ on a Mac) to choose several states. Choose none for the range "
            "of all other states."
        ),
    )

    class Meta:
        model = PayRange
        fields = ["states", "min_amount", "max_amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["states"] = self.instance.state_list

    def clean(self):
        cleaned = super().clean()
        # A range without states is the "all other states" range.
        self.instance.other_states = not cleaned.get("states")
        return cleaned


class PayRangeFormSet(BaseInlineFormSet):
    """Checks across ranges what the database enforces (a state in one range
    only, one "all other states" range), so the editor gets a message instead
    of an IntegrityError."""

    def kept_forms(self):
        return [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def submitted_ranges(self):
        return [form.instance.pk for form in self.initial_forms if form.instance.pk]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if any(form.instance.pk is None for form in self.initial_forms):
            # An id that is not one of this posting's ranges: deleted meanwhile, or forged.
            raise ValidationError("A pay range of this form no longer exists; reload the page.")
        chosen = [form.cleaned_data.get("states") or [] for form in self.kept_forms()]
        if self.instance.pk:
            # Ranges saved meanwhile by someone else are not in this form but still count.
            unseen = self.instance.pay_ranges.exclude(pk__in=self.submitted_ranges())
            chosen += [r.state_list for r in unseen.with_state_codes()]
        # The amounts are checked per range by PayRange.clean; here the rules across ranges.
        problems = pay.check_ranges([(None, None, states) for states in chosen])
        errors = []
        repeated = sorted({p.value for p in problems if p.code == "repeated_state"})
        if repeated:
            errors.append(
                f"A state can be in one range only; listed more than once: {', '.join(repeated)}."
            )
        if any(p.code == "second_other_states" for p in problems):
            errors.append(
                "Only one range can apply to all other states: tick the states of the others."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, commit=True):
        """The ranges of this form, plus any saved meanwhile by someone else,
        replace the posting's ranges through the write path (which refreshes
        the pay columns and StatePay). The lists the admin's history reads
        (new, changed and deleted ranges) are filled as Django's would be."""
        kept = self.kept_forms()
        others = self.instance.pay_ranges.exclude(pk__in=self.submitted_ranges())
        ranges = [(r.min_amount, r.max_amount, r.state_list) for r in others.with_state_codes()]
        ranges += [self.range_of(form) for form in kept]
        self.deleted_objects = [
            form.instance
            for form in self.initial_forms
            if form.cleaned_data and form.cleaned_data.get("DELETE")
        ]
        writes.set_pay(self.instance, ranges)
        stored = {
            (r.min_amount, r.max_amount, tuple(r.state_list)): r
            for r in self.instance.pay_ranges.with_state_codes()
        }

        def saved(form):
            low, high, states = self.range_of(form)
            return stored[(low, high, tuple(sorted(states)))]

        self.new_objects = [saved(form) for form in kept if form.instance.pk is None]
        self.changed_objects = [
            (saved(form), form.changed_data)
            for form in kept
            if form.instance.pk is not None and form.has_changed()
        ]
        return self.new_objects + [obj for obj, _ in self.changed_objects]

    @staticmethod
    def range_of(form):
        data = form.cleaned_data
        return data["min_amount"], data["max_amount"], data.get("states") or []


class PayRangeInline(admin.StackedInline):
    model = PayRange
    form = PayRangeForm
    formset = PayRangeFormSet
    fields = ["states", ("min_amount", "max_amount")]
    verbose_name = "pay range"

    def get_queryset(self, request):
        return super().get_queryset(request).with_state_codes()

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.pay_ranges.exists() else 1


# --- postings -----------------------------------------------------------------


class CompanySearchFilter(admin.SimpleListFilter):
    """ "By company" as a search box: a list of every company grows with the
    directory (1,500 companies made the changelist 30,000 px tall). Matches
    the name, case-insensitively; no JavaScript."""

    title = "company"
    parameter_name = "company_name"
    template = "admin/listings/search_filter.html"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, value)] if value else [("", "")]

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()[:100]
        if value:
            return queryset.filter(company__name__icontains=value)
        return queryset

    def choices(self, changelist):
        others = [
            (key, value)
            for key, values in changelist.params.items()
            if key not in (self.parameter_name, "p")
            for value in (values if isinstance(values, list) else [values])
        ]
        yield {
            "value": self.value() or "",
            "hidden": others,
            "clear": changelist.get_query_string(remove=[self.parameter_name]),
        }


class PostingAdminForm(forms.ModelForm):
    """The admin builds the Meta (model, fields from the fieldsets)."""

    # Set by PostingAdmin.get_form for users who may not publish.
    allowed_statuses = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.allowed_statuses is not None and "status" in self.fields:
            allowed = set(self.allowed_statuses)
            if self.instance.pk:
                allowed.add(self.instance.status)
            self.fields["status"].choices = [c for c in Status.choices if c[0] in allowed]


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    form = PostingAdminForm
    inlines = [PayRangeInline]
    # Fields in the order of the reference listing (the seed).
    fieldsets = [
        (
            None,
            {"fields": ["title", "company", "locations", "work_mode", "posted_on", "closes_on"]},
        ),
        ("Internship information", {"fields": ["responsibilities", "internship_type"]}),
        (
            SALARY_FIELDSET,
            {
                "fields": [("pay_currency", "pay_unit")],
                "description": "One range per group of states; a range with no "
                "state ticked applies in all other states.",
            },
        ),
        (None, {"fields": ["visa_sponsorship", "language", "hours_per_week", "duration_weeks"]}),
        ("About the role", {"fields": ["about_role"]}),
        ("Skills and categories", {"fields": ["skills", "categories", "terms"]}),
        ("Apply", {"fields": ["apply_url"]}),
        (
            "Workflow",
            {
                "fields": [
                    "status",
                    ("submitted_at", "published_at", "closed_at"),
                    ("source", "external_id"),
                    "listed_by",
                ]
            },
        ),
        ("Apply clicks", {"fields": ["apply_clicks"]}),
    ]
    # source/external_id: the first source that listed the posting; every
    # source listing it is a PostingSource row, kept by the importer and board
    # sync (docs/import-format.md, "Many sources, one posting").
    readonly_fields = [
        "submitted_at", "published_at", "closed_at", "apply_clicks", "source", "external_id",
        "listed_by",
    ]  # fmt: skip
    autocomplete_fields = ["company", "locations", "skills", "categories", "terms"]
    list_display = [
        "title",
        "company",
        "public_status",
        "posted_on",
        "deadline",
        "clicks_today",
        "clicks_7_days",
        "clicks_30_days",
        "clicks_total",
    ]
    list_select_related = ["company"]
    list_filter = [
        "status",
        "work_mode",
        "internship_type",
        "visa_sponsorship",
        ("terms", admin.RelatedOnlyFieldListFilter),
        CompanySearchFilter,
    ]
    search_fields = ["title", "company__name"]
    date_hierarchy = "posted_on"
    actions = ["publish", "close", "extend_deadline", "submit_for_review", "duplicate"]
    save_on_top = True
    # Typed URLs without a scheme become https://, as Django 6 will do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    class Media:
        css = {"all": ["css/admin.css"]}

    # --- who sees what ---

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(request.user).with_click_counts()

    def owns(self, request, obj):
        return is_editor(request.user) or obj.company.recruiters.filter(pk=request.user.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or self.owns(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.owns(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.owns(request, obj)
        )

    def has_editor_permission(self, request):
        """Publishing, closing and extending deadlines are editors' work."""
        return is_editor(request.user) and self.has_change_permission(request)

    @admin.display(description="listed by")
    def listed_by(self, obj):
        """Every source listing the posting, and whether it lists it open."""
        if obj is None or obj.pk is None:
            return "-"
        rows = obj.sources.order_by("pk")
        return (
            "; ".join(
                f"{row.source} {row.external_id} ({'open' if row.active else 'no longer listed'})"
                for row in rows
            )
            or "no source (made here)"
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not is_editor(request.user):
            form = type(form.__name__, (form,), {"allowed_statuses": RECRUITER_STATUSES})
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "company":
            kwargs["queryset"] = Company.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "company" not in initial and not is_editor(request.user):
            companies = list(
                Company.objects.editable_by(request.user).values_list("pk", flat=True)[:2]
            )
            if len(companies) == 1:
                initial["company"] = companies[0]
        return initial

    # --- saving ---

    def needs_review(self, request, obj):
        """A recruiter's change to a posting the public can see waits for an editor."""
        if is_editor(request.user) or obj.pk is None:
            return False
        stored = Posting.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        return stored in (Status.PUBLISHED, Status.CLOSED)

    def save_model(self, request, obj, form, change):
        if change and self.needs_review(request, obj):
            # Nothing is written here: save_related keeps the change as a revision.
            request._revision_pending = True
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "_revision_pending", False):
            self.submit_revision(request, form, formsets)
            return
        # The form wrote the posting, its locations and labels, and the inline
        # its pay ranges: the write path refreshes what they feed.
        super().save_related(request, form, formsets, change)
        writes.refresh(form.instance)
        self.warn_missing_pay(request, form.instance)

    def submit_revision(self, request, form, formsets):
        posting = Posting.objects.get(pk=form.instance.pk)
        pay_formset = next((f for f in formsets if isinstance(f, PayRangeFormSet)), None)
        data = revisions.changes_from_form(posting, form, pay_formset)
        if data.get("status") == Status.CLOSED:
            # Closing takes nothing away from review: applied at once.
            del data["status"]
            writes.close(Posting.objects.filter(pk=posting.pk))
            self.message_user(request, f"“{posting.title}” is closed.", messages.SUCCESS)
        request._revision = revisions.submit(posting, request.user, data) if data else None

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_revision_pending", False):
            # The formsets were not saved: the history notes the submission.
            return "Submitted changes for an editor's review."
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        if getattr(request, "_revision_pending", False):
            if request._revision is not None:
                self.message_user(
                    request,
                    f"Your changes to “{obj}” wait for an editor's review; the public "
                    "page shows the approved version until then.",
                    messages.SUCCESS,
                )
            elif obj.status != Status.CLOSED:
                self.message_user(request, "Nothing was changed.", messages.INFO)
            return HttpResponseRedirect(reverse("admin:listings_posting_changelist"))
        return super().response_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            revision = (
                PostingRevision.objects.filter(
                    posting_id=object_id if str(object_id).isdigit() else None,
                    posting__in=self.get_queryset(request),
                    status=RevisionStatus.PENDING,
                )
                .only("pk", "created_at")
                .first()
            )
            if revision is not None:
                if is_editor(request.user):
                    link = reverse("admin:listings_postingrevision_change", args=[revision.pk])
                    text = format_html(
                        'A change to this posting waits for review: <a href="{}">review it</a>.',
                        link,
                    )
                else:
                    text = (
                        "Your earlier change waits for an editor's review; saving again "
                        "replaces it. The form shows the approved version."
                    )
                self.message_user(request, text, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def warn_missing_pay(self, request, posting):
        if posting.pay_ranges.exists():
            return
        remote = posting.work_mode == WorkMode.REMOTE
        states, whole_us = pay.transparency_states(
            posting.locations.values_list("country", "region"), remote=remote
        )
        law = "pay-transparency laws expect a pay range on the posting"
        if whole_us:
            codes = ", ".join(sorted(pay.PAY_TRANSPARENCY_STATES))
            where = f"is remote in the United States, including {codes}, where {law}"
        elif states:
            names = ", ".join(f"{pay.US_STATES[code]} ({code})" for code in states)
            where = (
                f"{'is open to remote work in' if remote else 'is located in'} {names}, where {law}"
            )
        else:
            return
        self.message_user(
            request,
            f"“{posting.title}” has no pay range but {where}. Add one when you can.",
            messages.WARNING,
        )

    @admin.display(description="deadline", ordering="closes_on")
    def deadline(self, obj):
        return obj.closes_on

    # --- apply clicks ---

    # Short headings: the four figures fit beside the title without scrolling.
    clicks_today = annotation_column("clicks_today", "clicks today")
    clicks_7_days = annotation_column("clicks_7d", "7 days")
    clicks_30_days = annotation_column("clicks_30d", "30 days")
    clicks_total = annotation_column("clicks_total", "total")

    @admin.display(description="status", ordering="status")
    def public_status(self, obj):
        """The status as visitors see it: published past its deadline is closed."""
        if obj.status == Status.PUBLISHED and not obj.is_open:
            return "Closed (deadline passed)"
        return obj.get_status_display()

    @admin.display(description="Apply clicks")
    def apply_clicks(self, obj):
        if obj is None or obj.pk is None:
            return "Counted from the first Apply Now click once the posting is published."
        today = timezone.localdate()
        figures = (
            Posting.objects.filter(pk=obj.pk)
            .with_click_counts()
            .values("clicks_today", "clicks_7d", "clicks_30d", "clicks_total")
            .get()
        )
        daily = dict(
            obj.apply_clicks.filter(day__gt=today - datetime.timedelta(days=30)).values_list(
                "day", "count"
            )
        )
        return render_to_string(
            "admin/listings/posting/apply_clicks.html",
            {"figures": figures, "chart": charts.daily_bars(daily, today)},
        )

    # --- actions ---

    def change_status(self, request, queryset, status, only_from=None):
        changed = []
        for posting in queryset:
            if posting.status == status or (only_from and posting.status not in only_from):
                continue
            changed.append(posting)
        if status == Status.CLOSED:
            writes.close(Posting.objects.filter(pk__in=[p.pk for p in changed]))
        else:
            for posting in changed:
                writes.set_status(posting, status)
        for posting in changed:
            posting.status = status
            self.log_change(request, posting, [{"changed": {"fields": ["Status"]}}])
        return changed

    @admin.action(description="Publish selected postings", permissions=["editor"])
    def publish(self, request, queryset):
        changed = self.change_status(request, queryset, Status.PUBLISHED)
        self.message_user(request, f"Published {len(changed)} posting(s).", messages.SUCCESS)
        expired = [p for p in changed if not p.is_open]
        if expired:
            self.message_user(
                request,
                f"{len(expired)} of them are past their deadline and stay hidden until it is extended.",
                messages.WARNING,
            )

    @admin.action(description="Close selected postings", permissions=["editor"])
    def close(self, request, queryset):
        changed = self.change_status(request, queryset, Status.CLOSED)
        self.message_user(request, f"Closed {len(changed)} posting(s).", messages.SUCCESS)

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        changed = self.change_status(request, queryset, Status.PENDING, only_from=[Status.DRAFT])
        self.message_user(
            request, f"Submitted {len(changed)} draft(s) for review.", messages.SUCCESS
        )

    @admin.action(description="Extend deadline by 30 days", permissions=["editor"])
    def extend_deadline(self, request, queryset):
        """A deadline already past is extended to 30 days from today."""
        today = timezone.localdate()
        extended = skipped = 0
        for posting in queryset:
            if posting.closes_on is None:
                skipped += 1
                continue
            writes.update_posting(
                posting, closes_on=max(posting.closes_on, today) + datetime.timedelta(days=30)
            )
            self.log_change(request, posting, [{"changed": {"fields": ["Application deadline"]}}])
            extended += 1
        self.message_user(request, f"Extended {extended} deadline(s) by 30 days.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} posting(s) have no deadline to extend.", messages.WARNING
            )

    @admin.action(description="Duplicate selected postings as drafts", permissions=["add"])
    def duplicate(self, request, queryset):
        copies = [writes.duplicate(posting) for posting in queryset]
        for copy in copies:
            self.log_addition(request, copy, [{"added": {}}])
        self.message_user(
            request, f"Created {len(copies)} draft copy(ies) to edit.", messages.SUCCESS
        )
        if len(copies) == 1:
            return HttpResponseRedirect(
                reverse("admin:listings_posting_change", args=[copies[0].pk])
            )
        return None


# --- edits under review ------------------------------------------------------------


@admin.register(PostingRevision)
class PostingRevisionAdmin(admin.ModelAdmin):
    """Recruiters' changes to public postings, for editors to approve or reject."""

    list_display = ["posting", "author", "created_at", "status", "reopens_posting"]
    list_filter = ["status"]
    list_select_related = ["posting__company", "author"]
    search_fields = ["posting__title", "posting__company__name"]
    fields = ["posting", "author", "created_at", "status", "reviewed_by", "reviewed_at", "changes"]
    readonly_fields = fields
    actions = ["approve", "reject"]
    change_form_template = "admin/listings/postingrevision/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("posting__company")

    # Editors only: reviewing is what makes a recruiter's change public.
    def has_module_permission(self, request):
        return is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="reopens or extends", boolean=True)
    def reopens_posting(self, revision):
        return revision.reopens

    @admin.display(description="changes")
    def changes(self, revision):
        return render_to_string(
            "admin/listings/postingrevision/diff.html",
            {"rows": revision.diff(), "revision": revision},
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id and is_editor(request.user):
            revision = self.get_object(request, object_id)
            if revision is not None and ("_approve" in request.POST or "_reject" in request.POST):
                if "_approve" in request.POST:
                    self.approve(request, PostingRevision.objects.filter(pk=revision.pk))
                else:
                    self.reject(request, PostingRevision.objects.filter(pk=revision.pk))
                return HttpResponseRedirect(reverse("admin:listings_postingrevision_changelist"))
        extra_context = {**(extra_context or {}), "show_save": False}
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.action(description="Approve selected changes (publish them)")
    def approve(self, request, queryset):
        approved = 0
        for revision in queryset.filter(status=RevisionStatus.PENDING):
            try:
                posting = revisions.apply_revision(revision, request.user)
            except ValidationError as exc:
                self.message_user(
                    request,
                    f"“{revision.posting}” was not changed: {' '.join(exc.messages)}",
                    messages.ERROR,
                )
                continue
            approved += 1
            self.log_change(request, posting, [{"changed": {"fields": list(revision.data)}}])
            self.log_change(request, revision, "Approved.")
        self.message_user(request, f"Approved {approved} change(s).", messages.SUCCESS)

    @admin.action(description="Reject selected changes")
    def reject(self, request, queryset):
        rejected = 0
        for revision in queryset.filter(status=RevisionStatus.PENDING):
            if revisions.reject_revision(revision, request.user):
                rejected += 1
                self.log_change(request, revision, "Rejected.")
        self.message_user(request, f"Rejected {rejected} change(s).", messages.SUCCESS)


# --- shared vocabulary ----------------------------------------------------------


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "region", "country"]
    list_filter = ["country"]
    search_fields = ["name", "city", "region"]


@admin.register(Skill, Category)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    # A renamed skill or category refreshes its postings' search document
    # (writes.name_saved, connected in ListingsConfig.ready).


@admin.register(Term)
class TermAdmin(LabelAdmin):
    """Season, year and end date come from the name (listings.terms), in date order."""

    list_display = ["name", "slug", "season", "year", "end_on"]
    readonly_fields = ["season", "year", "end_on"]
