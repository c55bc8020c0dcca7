"""/internships/<id>/apply/: the Apply Now redirect, its 410 page and click counting."""

import datetime
import http.client
import threading
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from listings.clicks import record_click
from listings.models import ApplyClick, Posting, Status
from tests.factories import make_posting

BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


def clicks(posting):
    return ApplyClick.objects.filter(posting=posting).aggregate(n=Sum("count"))["n"] or 0


def assert_private(response):
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"


@pytest.fixture
def posting(db):
    return make_posting(apply_url="https://jobs.example.com/apply/42?ref=board&lang=en#form")


# --- the redirect -------------------------------------------------------------


def test_open_posting_redirects_to_the_stored_url_with_utm_source(client, posting):
    response = client.get(f"/internships/{posting.pk}/apply/", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 302
    assert response["Location"] == (
        "https://jobs.example.com/apply/42?ref=board&lang=en&utm_source=internboard#form"
    )
    assert_private(response)


def test_existing_utm_source_is_kept(client, db):
    posting = make_posting(apply_url="https://jobs.example.com/?utm_source=linkedin&x=1")
    response = client.get(posting.get_apply_url())
    assert response["Location"] == "https://jobs.example.com/?utm_source=linkedin&x=1"


@pytest.mark.parametrize(
    "query",
    [
        "?url=http://malicious.example.com",
        "?next=//evil.com&redirect=https://evil.com&return_to=https://evil.com",
        "?utm_source=evil&apply_url=https://evil.com",
        "?url=javascript:alert(1)",
        "?%0d%0aLocation:%20https://evil.com",
    ],
)
def test_nothing_in_the_request_changes_the_destination(client, posting, query):
    expected = "https://jobs.example.com/apply/42?ref=board&lang=en&utm_source=internboard#form"
    response = client.get(
        f"/internships/{posting.pk}/apply/{query}",
        HTTP_REFERER="https://evil.com/",
        HTTP_X_FORWARDED_HOST="evil.com",
    )
    assert response.status_code == 302
    assert response["Location"] == expected


def test_detail_page_links_to_the_redirect_with_nofollow(client, posting):
    html = client.get(posting.get_absolute_url()).content.decode()
    assert (
        f'href="/internships/{posting.pk}/apply/" rel="nofollow noopener">Apply Now →</a>' in html
    )
    assert "You'll be redirected to the company's application page" in html


def test_post_is_not_allowed_and_counts_nothing(client, posting):
    response = client.post(posting.get_apply_url())
    assert response.status_code == 405
    assert clicks(posting) == 0


# --- postings that take no applications -----------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.CLOSED},
        {
            "status": Status.PUBLISHED,
            "posted_on": datetime.date(2020, 1, 1),
            "closes_on": datetime.date(2020, 2, 1),
        },
    ],
    ids=["closed", "past-deadline"],
)
def test_posting_not_taking_applications_answers_410(client, db, fields):
    posting = make_posting(categories=["Data Science"], **fields)
    response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 410
    assert "Location" not in response
    assert_private(response)
    assert "no longer accepts applications" in response.content.decode()
    assert clicks(posting) == 0


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING])
def test_draft_or_pending_posting_answers_404_like_an_unknown_id(client, db, status):
    posting = make_posting(categories=["Data Science"], status=status)
    response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    unknown = client.get("/internships/999999/apply/", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == unknown.status_code == 404
    assert posting.title not in response.content.decode()
    assert "Location" not in response
    assert_private(response)
    assert clicks(posting) == 0


def test_410_page_lists_up_to_five_similar_open_postings(client, db):
    gone = make_posting(title="Closed Data Intern", status=Status.CLOSED, skills=["SQL"])
    similar = [make_posting(title=f"Similar Intern {n}", skills=["SQL"]) for n in range(7)]
    make_posting(title="Closed Sibling", skills=["SQL"], status=Status.CLOSED)
    make_posting(title="Unrelated Intern", skills=["Welding"])
    html = client.get(gone.get_apply_url()).content.decode()
    shown = [p for p in similar if p.get_absolute_url() in html]
    assert len(shown) == 5
    assert "Closed Sibling" not in html
    assert "Unrelated Intern" not in html
    assert "Closed Data Intern" in html  # says which posting closed
    assert 'href="/internships/"' in html


def test_410_page_without_similar_postings_offers_the_list(client, db):
    gone = make_posting(status=Status.CLOSED, categories=["Rare"])
    response = client.get(gone.get_apply_url())
    assert response.status_code == 410
    assert "No similar internships are open right now." in response.content.decode()


def test_410_page_does_not_reveal_a_draft(client, db):
    draft = make_posting(title="Secret Stealth Project Intern", status=Status.DRAFT)
    html = client.get(draft.get_apply_url()).content.decode()
    assert "Secret Stealth Project" not in html


@pytest.mark.parametrize("pk", [999_999, 2**63, 10**30])
def test_unknown_posting_is_404(client, db, pk):
    response = client.get(f"/internships/{pk}/apply/")
    assert response.status_code == 404
    assert_private(response)


@pytest.mark.parametrize(
    "unsafe", ["javascript:alert(1)", "https://a.com@evil.com", "http://127.0.0.1:8000/"]
)
def test_a_stored_url_that_bypassed_validation_is_never_followed(client, posting, unsafe):
    Posting.objects.filter(pk=posting.pk).update(apply_url=unsafe)  # no validators run
    response = client.get(posting.get_apply_url())
    assert response.status_code == 410
    assert "Location" not in response
    assert clicks(posting) == 0


# --- click counting ---------------------------------------------------------------


def test_each_click_adds_one_to_todays_row(client, posting):
    for _ in range(3):
        client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    row = ApplyClick.objects.get(posting=posting)
    assert (row.day, row.count) == (timezone.localdate(), 3)


def test_today_is_the_local_date(client, posting, settings):
    # UTC+14: "today" there is a different date than in UTC for ten hours a day.
    settings.TIME_ZONE = "Pacific/Kiritimati"
    client.get(posting.get_apply_url())
    assert ApplyClick.objects.get(posting=posting).day == timezone.localdate()


def test_days_are_counted_separately(client, posting):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    record_click(posting.pk, day=yesterday)
    record_click(posting.pk, day=yesterday)
    client.get(posting.get_apply_url())
    counts = dict(ApplyClick.objects.filter(posting=posting).values_list("day", "count"))
    assert counts == {yesterday: 2, timezone.localdate(): 1}


def test_head_is_not_counted(client, posting):
    response = client.head(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 302
    assert response["Location"].startswith("https://jobs.example.com/apply/42?")
    assert clicks(posting) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_SEC_PURPOSE": "Prefetch; anonymous-client-ip"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_PURPOSE": "preview"},
        {"HTTP_X_MOZ": "prefetch"},
    ],
)
def test_prefetch_is_not_counted(client, posting, headers):
    response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA, **headers)
    assert response.status_code == 302
    assert clicks(posting) == 0


BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.1)",
    "CCBot/2.0 (https://commoncrawl.org/faq/)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "WhatsApp/2.23.20.0",
    "Mozilla/5.0 (Macintosh) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 11; moto g power) Chrome-Lighthouse",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Python-urllib/3.11",
    "Go-http-client/1.1",
    "Scrapy/2.11 (+https://scrapy.org)",
]
PEOPLE = [
    BROWSER_UA,
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "",  # no User-Agent at all: counted (see listings/clicks.py)
]


@pytest.mark.parametrize("user_agent", BOTS)
def test_bots_are_redirected_but_not_counted(client, posting, user_agent):
    response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=user_agent)
    assert response.status_code == 302
    assert clicks(posting) == 0


@pytest.mark.parametrize("user_agent", PEOPLE)
def test_browsers_are_counted(client, posting, user_agent):
    client.get(posting.get_apply_url(), HTTP_USER_AGENT=user_agent)
    assert clicks(posting) == 1


def test_nothing_personal_is_stored(client, posting):
    client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.0.113.9")
    assert {f.name for f in ApplyClick._meta.get_fields()} == {"id", "posting", "day", "count"}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApplyClick._meta.db_table}")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert "203.0.113.9" not in stored
    assert "Chrome" not in stored


# --- query budget (docs/quality.md: <= 5 per request) ------------------------------------


def test_open_posting_costs_two_queries(client, posting, django_assert_num_queries):
    # One indexed read of four columns, one upsert: nothing that grows with data.
    with django_assert_num_queries(2):
        response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 302
    assert clicks(posting) == 1
    # The read is kept in the process: the upsert alone, which counts only
    # if the posting is still as read.
    with django_assert_num_queries(1):
        response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 302
    assert clicks(posting) == 2


def test_a_kept_posting_with_a_deadline_and_terms_costs_one_statement(
    client, db, django_assert_num_queries
):
    # Dates are compared too: a deadline and a last term that did not move
    # still match what was read.
    posting = make_posting(
        closes_on=timezone.localdate() + datetime.timedelta(days=30), terms=["Summer 2030"]
    )
    posting.refresh_from_db()
    assert posting.terms_end is not None
    assert client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA).status_code == 302
    with django_assert_num_queries(1):
        response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    assert response["Location"] == f"{posting.apply_url}?utm_source=internboard"
    assert clicks(posting) == 2


def test_a_posting_closed_after_a_click_is_never_followed(client, posting):
    assert client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA).status_code == 302
    posting.status = Status.CLOSED
    posting.save()
    response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 410 and "Location" not in response
    assert clicks(posting) == 1


def _raw_update(posting, **values):
    """Change a posting as a script or another server would: no signal, no
    cache generation replaced, nothing this process could notice."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(column)} = %s" for column in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Posting._meta.db_table)} SET {columns} WHERE id = %s",
            [*values.values(), posting.pk],
        )


def test_a_kept_posting_moved_to_another_url_is_followed_there(client, posting):
    assert client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA).status_code == 302
    _raw_update(posting, apply_url="https://careers.example.org/jobs/42")
    response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    assert response["Location"] == "https://careers.example.org/jobs/42?utm_source=internboard"
    response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    assert response["Location"] == "https://careers.example.org/jobs/42?utm_source=internboard"
    assert clicks(posting) == 3


@pytest.mark.parametrize(
    "values",
    [
        {"status": Status.CLOSED},
        {"posted_on": datetime.date(2020, 1, 2), "closes_on": datetime.date(2020, 1, 31)},
        {"terms_end": datetime.date(2020, 1, 31)},
        {"apply_url": "javascript:alert(1)"},
    ],
)
def test_a_kept_posting_that_closed_behind_the_sites_back_counts_nothing(client, posting, values):
    assert client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA).status_code == 302
    _raw_update(posting, **values)
    response = client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 410 and "Location" not in response
    assert clicks(posting) == 1


def test_a_kept_posting_that_was_deleted_is_404(client, posting):
    assert client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA).status_code == 302
    path = posting.get_apply_url()
    posting.delete()
    assert client.get(path, HTTP_USER_AGENT=BROWSER_UA).status_code == 404
    assert not ApplyClick.objects.exists()


def test_a_closed_or_expired_posting_counts_no_click(client, posting):
    Posting.objects.filter(pk=posting.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA).status_code == 410
    Posting.objects.filter(pk=posting.pk).update(closes_on=None, status=Status.CLOSED)
    assert client.get(posting.get_apply_url(), HTTP_USER_AGENT=BROWSER_UA).status_code == 410
    assert clicks(posting) == 0


def test_uncounted_request_costs_one_query(client, posting, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(posting.get_apply_url(), HTTP_USER_AGENT="Googlebot/2.1")


def test_410_page_stays_within_five_queries(client, db, django_assert_max_num_queries):
    # Guards the similar-postings cards: company, locations and labels must be
    # loaded for all five at once, not per card.
    gone = make_posting(status=Status.CLOSED, skills=["SQL"], categories=["Data"])
    for n in range(6):
        make_posting(skills=["SQL"], categories=["Data"], terms=["Summer 2030"],
                     locations=[f"City {n}, CA", "Remote in USA"])  # fmt: skip
    with django_assert_max_num_queries(5):
        response = client.get(gone.get_apply_url())
    assert response.status_code == 410


# --- concurrency --------------------------------------------------------------------

THREADS = 8
REQUESTS_PER_THREAD = 25


def test_concurrent_clicks_are_all_counted(live_server, transactional_db):
    """N threads x M requests through the real view and server give exactly N x M.

    Each request is a separate HTTP connection handled on its own server
    thread with its own database connection (the SQLite test database is a
    file for this reason), all released at once by a barrier.
    """
    posting = make_posting(apply_url="https://jobs.example.com/apply/7")
    address = urlsplit(live_server.url)
    path = posting.get_apply_url()
    start = threading.Barrier(THREADS)
    statuses, locations, errors = [], set(), []

    def click_repeatedly():
        start.wait()
        for _ in range(REQUESTS_PER_THREAD):
            try:
                conn = http.client.HTTPConnection(address.hostname, address.port)
                conn.request("GET", path, headers={"User-Agent": BROWSER_UA})
                response = conn.getresponse()
                response.read()
                statuses.append(response.status)
                locations.add(response.getheader("Location"))
                conn.close()
            except Exception as exc:  # reported below, never swallowed
                errors.append(repr(exc))

    threads = [threading.Thread(target=click_repeatedly) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302] * (THREADS * REQUESTS_PER_THREAD)
    assert locations == {"https://jobs.example.com/apply/7?utm_source=internboard"}
    assert clicks(posting) == THREADS * REQUESTS_PER_THREAD
