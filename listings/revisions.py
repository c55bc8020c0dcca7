"""Edits under review: a recruiter's change to a public posting waits for an editor.

A posting that visitors can see (published, or closed) is never changed by a
recruiter directly: the admin keeps what they submitted as a `PostingRevision`
(the changed fields, with pay ranges, places and labels as submitted) and the
public page keeps the approved version. An editor sees the revision as a diff
and approves it (`apply_revision`, the one function that writes it to the
posting) or rejects it. A new submission replaces the pending one, so there is
at most one per posting.

Closing needs no review and is applied at once; every other change, a later
deadline that reopens or extends the posting included, waits for an editor.
Drafts and postings pending review are not public: recruiters edit them
directly, and publishing them is an editor's action anyway.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .sanitize import clean_html

# The posting fields a recruiter's form may change, in the form's order; the
# many-to-many ones are stored as lists of ids.
SCALAR_FIELDS = [
    "title",
    "company",
    "work_mode",
    "posted_on",
    "closes_on",
    "responsibilities",
    "internship_type",
    "pay_currency",
    "pay_unit",
    "visa_sponsorship",
    "language",
    "hours_per_week",
    "about_role",
    "apply_url",
    "status",
]
M2M_FIELDS = ["locations", "skills", "categories", "terms"]
PAY = "pay_ranges"


class RevisionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class PostingRevision(models.Model):
    posting = models.ForeignKey(
        "listings.Posting", on_delete=models.CASCADE, related_name="revisions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {field: value} of the changed fields only: ids for company and labels,
    # ISO dates, and for "pay_ranges" [[min, max, [states]], ...] as text.
    data = models.JSONField()
    status = models.CharField(
        max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting"],
                condition=Q(status="pending"),
                name="revision_one_pending_per_posting",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="revision_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="revision_status_created")]

    def __str__(self):
        return f"Change to “{self.posting}” ({self.get_status_display().lower()})"

    @property
    def reopens(self):
        """Whether approving moves the deadline to a later day or republishes."""
        posting = self.posting
        if "status" in self.data and self.data["status"] != posting.status:
            return True
        if "closes_on" in self.data:
            new = self.data["closes_on"]
            old = posting.closes_on
            return old is not None and (new is None or datetime.date.fromisoformat(new) > old)
        return False

    def diff(self):
        """[(label, current, proposed)] in the form's order, for display."""
        from .models import Posting

        posting = self.posting
        rows = []
        for name in [*SCALAR_FIELDS, *M2M_FIELDS, PAY]:
            if name not in self.data:
                continue
            if name == PAY:
                label = "pay ranges"
                current = _pay_display(
                    [
                        (r.min_amount, r.max_amount, r.state_list)
                        for r in posting.pay_ranges.with_state_codes()
                    ]
                )
                proposed = _pay_display(self.data[name])
            else:
                field = Posting._meta.get_field(name)
                label = str(field.verbose_name)
                current = _display(field, _current(posting, name))
                proposed = _display(field, self.data[name])
            rows.append((label, current, proposed))
        return rows


def _json(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple):
        return sorted(_json(v) for v in value)
    return value


def _current(posting, name):
    if name in M2M_FIELDS:
        return sorted(getattr(posting, name).values_list("pk", flat=True))
    if name == "company":
        return posting.company_id
    return _json(getattr(posting, name))


def _display(field, value):
    if value is None or value == "":
        return "—"
    if field.many_to_many:
        names = field.related_model.objects.filter(pk__in=value).values_list("name", flat=True)
        return ", ".join(sorted(names)) or "—"
    if field.is_relation:
        return str(field.related_model.objects.filter(pk=value).first() or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _pay_display(ranges):
    if not ranges:
        return "—"
    return "; ".join(
        f"{low}–{high} in {', '.join(states) if states else 'all other states'}"
        for low, high, states in ranges
    )


def changes_from_form(posting, form, pay_formset=None):
    """{field: new value} for every field of `form` that differs from the stored posting."""
    stored = type(posting).objects.get(pk=posting.pk)
    data = {}
    for name in [*SCALAR_FIELDS, *M2M_FIELDS]:
        if name not in form.cleaned_data:
            continue
        new = _json(form.cleaned_data[name])
        if isinstance(new, str):
            # Browsers send textareas with CRLF; HTML is stored cleaned.
            new = new.replace("\r\n", "\n")
            if name == "about_role":
                new = clean_html(new)
        if new != _current(stored, name):
            data[name] = new
    if pay_formset is not None and pay_formset.has_changed():
        ranges = sorted(
            [
                str(f.cleaned_data["min_amount"]),
                str(f.cleaned_data["max_amount"]),
                sorted(f.cleaned_data.get("states") or []),
            ]
            for f in pay_formset.kept_forms()
        )
        current = sorted(
            [str(r.min_amount), str(r.max_amount), sorted(r.state_list)]
            for r in stored.pay_ranges.with_state_codes()
        )
        if ranges != current:
            data[PAY] = ranges
    return data


def submit(posting, author, data):
    """Keep `data` as the posting's pending revision (replacing an earlier one)."""
    with transaction.atomic():
        revision = PostingRevision.objects.filter(
            posting=posting, status=RevisionStatus.PENDING
        ).first()
        if revision is None:
            revision = PostingRevision(posting=posting)
        revision.author = author
        revision.data = data
        revision.save()
    return revision


def apply_revision(revision, editor):
    """Write an approved revision to its posting, all of it or (on error) nothing.

    The one place a reviewed change reaches a public posting. Raises
    ValidationError when the posting no longer accepts the change (e.g. the
    deadline is now before the posted date); nothing is changed then.
    """
    from . import writes  # writes imports the models, which import this module
    from .models import Posting

    with transaction.atomic():
        revision = PostingRevision.objects.select_for_update().get(pk=revision.pk)
        if revision.status != RevisionStatus.PENDING:
            raise ValidationError("This change was already reviewed.")
        posting = Posting.objects.select_for_update().get(pk=revision.posting_id)
        data = revision.data
        for name in SCALAR_FIELDS:
            if name not in data:
                continue
            field = Posting._meta.get_field(name)
            value = data[name]
            if name == "company":
                posting.company_id = value
            elif isinstance(field, models.DateField) and value:
                setattr(posting, name, datetime.date.fromisoformat(value))
            else:
                setattr(posting, name, value)
        posting.full_clean(exclude=["slug", *M2M_FIELDS])
        # Through the one write path, which keeps pay, StatePay, search and
        # terms_end in step with what the editor approved.
        writes.update_posting(posting)
        if "locations" in data:
            writes.set_places(posting, data["locations"])
        labels = {name: data[name] for name in ("skills", "categories", "terms") if name in data}
        if labels:
            writes.set_labels(posting, **labels)
        if PAY in data:
            writes.set_pay(posting, [(low, high, states) for low, high, states in data[PAY]])
        revision.status = RevisionStatus.APPROVED
        revision.reviewed_by = editor
        revision.reviewed_at = timezone.now()
        revision.save()
    return posting


def reject_revision(revision, editor):
    updated = PostingRevision.objects.filter(pk=revision.pk, status=RevisionStatus.PENDING).update(
        status=RevisionStatus.REJECTED, reviewed_by=editor, reviewed_at=timezone.now()
    )
    return bool(updated)
