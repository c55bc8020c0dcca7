from urllib.parse import urlencode

from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.http import QueryDict

from listings.filters import PostingFilter
from listings.models import Posting

from .models import MAX_ALERTS_PER_ADDRESS, Alert

# What an alert does not keep: the order and the page are the list's, not the search's.
NOT_FILTERS = {"sort", "page"}


def alert_filterset(data):
    """The list's FilterSet over open postings, for the filters in `data`."""
    filters = QueryDict(mutable=True)
    for key in data:
        if key not in NOT_FILTERS and key in PostingFilter.base_filters:
            filters.setlist(key, data.getlist(key))
    return PostingFilter(filters, queryset=Posting.objects.open())


def cleaned_query(filterset):
    """The filters in use as a canonical query string: the same search
    always gives the same string, so send_alerts runs each search once."""
    data = filterset.cleaned_data
    pairs = []
    for name in sorted(filterset.filters):
        if name in NOT_FILTERS:
            continue
        value = data.get(name)
        if value in (None, "", []):
            continue
        for item in sorted(value) if isinstance(value, list) else [value]:
            pairs.append((name, format(item, "f") if hasattr(item, "as_tuple") else str(item)))
    return urlencode(pairs)


class AlertForm(forms.Form):
    """ "Email me new internships like these": an address, plus the list's
    filters (validated by the list's own FilterSet) from the same POST."""

    email = forms.EmailField(label="Your email address", max_length=254)

    def __init__(self, data=None, *, filters=None, **kwargs):
        super().__init__(data, **kwargs)
        self.filterset = alert_filterset(filters if filters is not None else QueryDict())

    def clean_email(self):
        return BaseUserManager.normalize_email(self.cleaned_data["email"]).strip()

    def clean(self):
        cleaned = super().clean()
        ignored = self.filterset.ignored
        if ignored:
            raise forms.ValidationError(["These filters were not understood:", *ignored])
        cleaned["query"] = cleaned_query(self.filterset)
        if len(cleaned["query"]) > Alert._meta.get_field("query").max_length:
            raise forms.ValidationError("These filters are too many for an alert. Remove a few.")
        email = cleaned.get("email")
        if email:
            existing = Alert.objects.for_address(email)
            same = existing.filter(query=cleaned["query"]).first()
            cleaned["existing"] = same
            if same is None and existing.count() >= MAX_ALERTS_PER_ADDRESS:
                self.add_error(
                    "email",
                    f"This address already has {MAX_ALERTS_PER_ADDRESS} alerts, the most we "
                    "send. Unsubscribe from one (a link is at the end of every alert) first.",
                )
        return cleaned
