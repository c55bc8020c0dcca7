import csv
import logging

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import F, FilteredRelation, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from listings import pay
from listings.cache import cached
from listings.models import Posting, Status

from . import mail, saved
from .forms import AlertForm, alert_filterset
from .models import CONFIRM_DAYS, CONFIRM_SALT, UNSUBSCRIBE_SALT, Alert

logger = logging.getLogger(__name__)

PUBLIC = (Status.PUBLISHED, Status.CLOSED)
SIMILAR = 3
_MAX_ID = 2**63 - 1


# --- saved postings ------------------------------------------------------------


def public_posting(pk):
    """The published or closed posting `pk`; 404 for drafts, reviews and unknown ids."""
    posting = None
    if pk <= _MAX_ID:
        posting = (
            Posting.objects.filter(pk=pk, status__in=PUBLIC)
            .select_related("company")
            .defer("search_vector", "about_role", "responsibilities")
            .first()
        )
    if posting is None:
        raise Http404("No such internship.")
    return posting


def safe_target(request, url):
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def back(request, fallback):
    """Where the student was: a safe `next`, else a same-host referer, else `fallback`."""
    for url in (request.POST.get("next"), request.headers.get("Referer")):
        if safe_target(request, url):
            return url
    return fallback


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def save(request, pk):
    """GET: a small page with the Save button (cards of cached pages link here,
    so they carry no CSRF token). POST: save or unsave, then go back."""
    posting = public_posting(pk)
    if request.method == "POST":
        now_saved = saved.toggle(request, posting.pk)
        messages.success(
            request,
            f"Saved “{posting.title}”." if now_saved else f"Removed “{posting.title}” from saved.",
        )
        return HttpResponseRedirect(back(request, reverse("shortlist:saved-list")))
    referer = request.headers.get("Referer")
    return render(
        request,
        "shortlist/save.html",
        {
            "posting": posting,
            "is_saved": saved.is_saved(request, posting.pk),
            # Back to the page the student came from, once saved.
            "next": referer if safe_target(request, referer) else posting.get_absolute_url(),
        },
    )


@never_cache
@require_POST
def applied(request, pk):
    posting = public_posting(pk)
    now_applied = saved.toggle_applied(request, posting.pk)
    messages.success(
        request,
        f"Marked “{posting.title}” as applied."
        if now_applied
        else f"“{posting.title}” is no longer marked as applied.",
    )
    return HttpResponseRedirect(back(request, reverse("shortlist:saved-list")))


def saved_postings(request, state):
    """[(posting, entry)] in the order saved, newest first, public postings only.

    One query for the postings with their companies and (with a state) their
    pay there, one for their locations.
    """
    items = saved.saved(request)
    ids = [int(key) for key in items if key.isdigit() and int(key) <= _MAX_ID]
    if not ids:
        return []
    postings = (
        Posting.objects.filter(pk__in=ids, status__in=PUBLIC)
        .select_related("company")
        .prefetch_related("locations")
        .defer("search_vector", "about_role", "responsibilities")
        .order_by()
    )
    if state:
        postings = postings.annotate(
            pay_here=FilteredRelation("state_pay", condition=Q(state_pay__state=state)),
            state_pay_min=F("pay_here__min_amount"),
            state_pay_max=F("pay_here__max_amount"),
            available_here=F("pay_here__id"),
        )
    by_id = {posting.pk: posting for posting in postings}
    return [(by_id[pk], items[str(pk)]) for pk in reversed(ids) if pk in by_id]


def similar_open(posting):
    """A few open postings like a closed one, kept until the next write."""
    return cached(
        "saved-similar",
        lambda: list(
            Posting.objects.open()
            .similar_to(posting, SIMILAR)
            .select_related("company")
            .only("id", "title", "slug", "company__name")[:SIMILAR]
        ),
        posting.pk,
    )


def status_text(posting):
    if posting.is_open:
        return "open"
    # The day in TIME_ZONE, as the posting's page says it ("Closed on ..."):
    # closed_at is UTC, a day ahead in the evening in the Americas.
    since = posting.closed_on
    return f"closed since {since.isoformat()}" if since else "closed"


def pay_text(posting, state):
    if not posting.has_pay:
        return "not listed"
    unit = posting.get_pay_unit_display()
    if state:
        if posting.state_pay_display:
            return f"{posting.state_pay_display} / {unit} in {state}"
        if posting.available_here is None:
            return f"not available from {state} ({posting.pay_display} / {unit} elsewhere)"
        return f"not listed in {state} ({posting.pay_display} / {unit} elsewhere)"
    return f"{posting.pay_display} / {unit}"


@never_cache
@require_safe
def saved_list(request):
    state = saved.chosen_state(request)
    rows = []
    for posting, entry in saved_postings(request, state):
        rows.append(
            {
                "posting": posting,
                "applied": bool(entry.get("applied")),
                "status": status_text(posting),
                "pay": pay_text(posting, state),
                "similar": [] if posting.is_open else similar_open(posting),
            }
        )
    return render(
        request,
        "shortlist/saved_list.html",
        {
            "rows": rows,
            "state": state,
            "state_name": pay.US_STATES.get(state, ""),
            "here": request.get_full_path(),
        },
    )


def neutralise(value):
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@never_cache
@require_safe
def export_csv(request):
    state = saved.chosen_state(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="internboard-saved.csv"'
    writer = csv.writer(response)
    writer.writerow(["title", "company", "places", "pay", "status", "applied", "apply_url"])
    for posting, entry in saved_postings(request, state):
        writer.writerow(
            neutralise(cell)
            for cell in (
                posting.title,
                posting.company.name,
                "; ".join(location.name for location in posting.locations.all()),
                pay_text(posting, state),
                status_text(posting),
                "yes" if entry.get("applied") else "no",
                request.build_absolute_uri(posting.get_apply_url()),
            )
        )
    return response


# --- alerts ----------------------------------------------------------------------


def describe(filterset):
    chips = [text for text, _query in filterset.active()]
    return "; ".join(chips) if chips else "every new internship"


@never_cache
@require_safe
def alert_new(request):
    """The alert form for the list's current filters (linked from the list,
    which stays cacheable because it holds no form with a CSRF token)."""
    form = AlertForm(filters=request.GET)
    return render(request, "shortlist/alert_new.html", alert_context(form))


def alert_context(form):
    filterset = form.filterset
    hidden = []
    data = filterset.cleaned_data
    for name in filterset.filters:
        value = data.get(name)
        if name == "sort" or value in (None, "", []):
            continue
        for item in value if isinstance(value, list) else [value]:
            hidden.append((name, item))
    return {
        "form": form,
        "hidden": hidden,
        "description": describe(filterset),
        "ignored": filterset.ignored,
    }


def signup_key(group, request):
    return request.POST.get("email", "").strip().lower()[:254]


def rate_limited(request, email_ok):
    """Count this sign-up per client IP and, for a usable address, per address."""
    by_ip = is_ratelimited(
        request,
        group="alert-signup-ip",
        key="ip",
        rate=settings.ALERT_SIGNUPS_PER_IP,
        method="POST",
        increment=True,
    )
    by_address = email_ok and is_ratelimited(
        request,
        group="alert-signup-address",
        key=signup_key,
        rate=settings.ALERT_SIGNUPS_PER_ADDRESS,
        method="POST",
        increment=True,
    )
    return by_ip or by_address


@never_cache
@require_POST
def alert_create(request):
    form = AlertForm(request.POST, filters=request.POST)
    valid = form.is_valid()
    if rate_limited(request, email_ok="email" not in form.errors):
        form.add_error(None, "Too many sign-ups from here or for this address. Try again later.")
        return render(request, "shortlist/alert_new.html", alert_context(form), status=429)
    if not valid:
        return render(request, "shortlist/alert_new.html", alert_context(form), status=400)
    description = describe(form.filterset)
    try:
        with transaction.atomic():
            alert = form.cleaned_data["existing"] or Alert.objects.create(
                email=form.cleaned_data["email"], query=form.cleaned_data["query"]
            )
            if not alert.is_confirmed:
                # Inside the transaction: a mail that cannot go out leaves no alert.
                mail.confirmation(alert, description).send()
    except OSError:
        logger.warning("could not send an alert confirmation", exc_info=True)
        form.add_error(None, "We could not send the confirmation mail just now. Please try again.")
        return render(request, "shortlist/alert_new.html", alert_context(form), status=503)
    return render(
        request,
        "shortlist/alert_sent.html",
        {"email": alert.email, "description": description, "days": CONFIRM_DAYS},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def alert_confirm(request, token):
    """GET shows a button, POST confirms: link checkers that fetch every link
    in a mail must not confirm an alert for someone who never asked."""
    alert = Alert.from_token(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 86400)
    if alert is None or alert.unsubscribed_at:
        return render(request, "shortlist/alert_invalid.html", status=404)
    description = describe(alert_filterset(alert_query(alert)))
    if request.method == "POST" and not alert.is_confirmed:
        now = timezone.now()
        Alert.objects.filter(pk=alert.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, sent_through=now
        )
        alert.confirmed_at = now
    return render(
        request,
        "shortlist/alert_confirm.html",
        {"alert": alert, "description": description, "token": token},
    )


def alert_query(alert):
    return QueryDict(alert.query)


def _unsubscribe(request, token):
    alert = Alert.from_token(token, salt=UNSUBSCRIBE_SALT)
    if alert is None:
        return render(request, "shortlist/alert_invalid.html", status=404)
    done = alert.unsubscribed_at is not None
    if request.method == "POST" and not done:
        Alert.objects.filter(pk=alert.pk).update(unsubscribed_at=timezone.now())
        done = True
    return render(
        request,
        "shortlist/alert_unsubscribe.html",
        {"alert": alert, "done": done, "token": token},
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def alert_unsubscribe(request, token):
    """GET: a page with the Unsubscribe button. POST with the body
    `List-Unsubscribe=One-Click` is RFC 8058's one-click unsubscribe, sent by
    mail providers without a CSRF token; every other POST needs one."""
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        return _unsubscribe(request, token)
    return csrf_protect(_unsubscribe)(request, token)
