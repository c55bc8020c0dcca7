"""Cached listing values are forgotten on every write path, and a dead cache is not an outage."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from companies.models import Company
from config import generation as cache_generation
from listings import writes
from listings.fragments import pieces
from listings.importers.writer import create_postings
from listings.models import Posting, Skill, Status
from tests.factories import make_company, make_label, make_posting

pytestmark = pytest.mark.django_db


def company_names(client):
    response = client.get("/companies/")
    assert response.status_code == 200
    return {
        c.name: c.open_postings for c in response.context["page"].object_list if c.open_postings
    }


def list_count(client, query=""):
    response = client.get("/internships/" + query)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def record(n, company="Cached Robotics"):
    return {
        "title": f"Cache Intern {n}",
        "company": {"name": company, "website": "https://cached.example.com"},
        "apply_url": f"https://cached.example.com/apply/{n}",
        "posted_on": timezone.localdate().isoformat(),
        "source": "test",
        "external_id": f"cache-{n}",
        "locations": ["Austin, TX"],
        "skills": ["Python"],
    }


def test_company_list_is_served_from_the_cache_until_a_posting_changes(
    client, django_assert_num_queries
):
    posting = make_posting(company=make_company(name="Acme"))
    assert company_names(client) == {"Acme": 1}
    # The open counts read the whole posting table: the second visit reads nothing.
    with django_assert_num_queries(0):
        client.get("/companies/")

    make_posting(company=posting.company)
    assert company_names(client) == {"Acme": 2}


def test_closing_through_a_bulk_update_reaches_cached_pages(client):
    """Admin actions, close_expired and the importer write with QuerySet.update()."""
    posting = make_posting(company=make_company(name="Acme"))
    assert company_names(client) == {"Acme": 1}
    assert list_count(client) == 1

    Posting.objects.filter(pk=posting.pk).update(status=Status.CLOSED)

    assert company_names(client) == {}
    assert list_count(client) == 0


def test_deleting_and_renaming_reach_cached_pages(client):
    company = make_company(name="Acme")
    posting = make_posting(company=company)
    assert company_names(client) == {"Acme": 1}

    company.name = "Acme Rockets"
    company.save()
    assert company_names(client) == {"Acme Rockets": 1}

    posting.delete()
    assert company_names(client) == {}


def test_the_bulk_writer_and_load_demo_reach_cached_pages(client):
    assert list_count(client) == 0
    assert company_names(client) == {}

    create_postings([record(1), record(2)])
    assert list_count(client) == 2
    assert company_names(client) == {"Cached Robotics": 2}

    call_command("load_demo", postings=5, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list_count(client) > 2


def test_changing_a_postings_labels_starts_a_new_generation():
    posting = make_posting()
    before = cache_generation.generation()
    posting.skills.add(make_label(Skill, "Rust"))
    after_add = cache_generation.generation()
    assert after_add != before
    writes.set_pay(posting, [(30, 40, [])])
    assert cache_generation.generation() != after_add


def test_each_filter_set_has_its_own_cached_count(client):
    make_posting(work_mode="remote")
    make_posting(work_mode="onsite")
    assert list_count(client) == 2
    # The same count for every sort and page of one filter set, never another's.
    assert list_count(client, "?page=3") == 2
    make_posting(work_mode="remote")
    assert list_count(client) == 3


def test_apply_clicks_do_not_throw_the_cache_away(client):
    posting = make_posting()
    before = cache_generation.generation()
    response = client.get(posting.get_apply_url(), HTTP_USER_AGENT="Mozilla/5.0")
    assert response.status_code == 302
    assert cache_generation.generation() == before


def test_an_unreachable_redis_serves_pages_uncached(settings):
    """Redis down must slow pages, never break them or writes."""
    make_posting(company=make_company(name="Acme"))
    settings.PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: every cache call fails at once.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    client = Client()
    assert company_names(client) == {"Acme": 1}
    assert list_count(client) == 1
    Company.objects.filter(name="Acme").update(size=10)  # writes still succeed


def test_home_counts_follow_new_postings(client):
    make_posting(categories=["Design"])
    response = client.get("/")
    assert response.context["counts"]["postings"] == 1
    assert [name for name, _slug, _n in response.context["browse"]["categories"]] == ["Design"]

    make_posting(title="Finance Intern", categories=["Finance"])
    response = client.get("/")
    assert response.context["counts"]["postings"] == 2
    assert [n for _name, _slug, n in response.context["browse"]["categories"]] == [1, 1]
    assert "Finance Intern" in response.text  # the newest postings follow too


# --- whole pages for visitors -----------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


PAGES = ["/", "/internships/", "/internships/?state=CA&sort=pay", "/companies/"]


@pytest.mark.parametrize("path", PAGES)
def test_a_visitor_page_is_served_from_the_cache_without_a_query(
    client, page_cache, path, django_assert_num_queries
):
    make_posting(title="Cached Intern", locations=["San Francisco, CA"], pay=[(30, 30, [])])
    first = client.get(path)
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]


def test_detail_and_company_pages_are_cached_per_address(client, page_cache):
    posting = make_posting(locations=["San Francisco, CA"], pay=[(52, 52, ["CA"]), (44, 44, [])])
    for path in (posting.get_absolute_url(), posting.get_absolute_url() + "?state=CA"):
        assert client.get(path)["X-Cache"] == "miss"
        assert client.get(path)["X-Cache"] == "hit"
    assert b"$52" in client.get(posting.get_absolute_url() + "?state=CA").content
    company = posting.company.get_absolute_url()
    assert client.get(company)["X-Cache"] == "miss"
    assert client.get(company)["X-Cache"] == "hit"


def test_an_edit_shows_at_once_on_cached_pages(client, page_cache):
    posting = make_posting(title="Before Intern")
    assert b"Before Intern" in client.get("/internships/").content
    assert b"Before Intern" in client.get(posting.get_absolute_url()).content
    posting.title = "After Intern"
    posting.save()
    listing = client.get("/internships/")
    assert listing["X-Cache"] == "miss"
    assert b"After Intern" in listing.content
    assert b"After Intern" in client.get(posting.get_absolute_url()).content


def test_signed_in_staff_and_answers_other_than_200_are_never_cached(client, page_cache):
    from tests.factories import make_editor

    posting = make_posting(status=Status.DRAFT)
    # A visitor's 404 is not kept...
    assert client.get(posting.get_absolute_url()).status_code == 404
    assert client.get(posting.get_absolute_url()).status_code == 404
    # ...so the editor's preview renders, and is not kept for visitors either.
    client.force_login(make_editor())
    preview = client.get(posting.get_absolute_url())
    assert preview.status_code == 200
    assert "X-Cache" not in preview
    client.logout()
    client.cookies.clear()
    assert client.get(posting.get_absolute_url()).status_code == 404
    # A wrong slug's redirect is not kept either.
    make_posting(pk=posting.pk + 1000)
    assert client.get(f"/internships/{posting.pk + 1000}/wrong/").status_code == 301


def test_hosts_and_query_strings_are_separate_pages(client, page_cache, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    make_posting()
    a = client.get("/internships/", HTTP_HOST="a.example")
    b = client.get("/internships/", HTTP_HOST="b.example")
    assert b["X-Cache"] == "miss"
    assert b"https://a.example" not in b.content and b"//a.example" not in b.content
    assert a.content != b.content
    assert client.get("/internships/?mode=remote", HTTP_HOST="a.example")["X-Cache"] == "miss"


def test_only_addresses_a_page_takes_as_written_are_kept(client, page_cache):
    """Visitors choose addresses: junk ones must not fill the cache."""
    posting = make_posting(locations=["San Francisco, CA"])
    detail = posting.get_absolute_url()
    junk = [
        "/internships/?utm_campaign=x1",  # unknown parameter
        "/internships/?mode=underwater",  # unknown value
        "/internships/?page=007",  # shown as page 1
        "/?x=1",  # the home page takes no parameters
        "/companies/?page=2&x=1",
        posting.company.get_absolute_url() + "?ref=mail",
        detail + "?ref=mail",
        detail + "?state=ca",  # shown as CA
    ]
    for path in junk:
        assert client.get(path)["X-Cache"] == "miss", path
        assert client.get(path)["X-Cache"] == "miss", path
    for path in ("/internships/?mode=remote", "/internships/?page=1", detail + "?state=CA"):
        assert client.get(path)["X-Cache"] == "miss", path
        assert client.get(path)["X-Cache"] == "hit", path


def test_every_answer_varies_on_cookies(client, settings):
    """A CDN in front must never hand one visitor's page to another."""
    make_posting()
    settings.PAGE_CACHE_SECONDS = 0
    assert "Cookie" in client.get("/internships/")["Vary"]
    settings.PAGE_CACHE_SECONDS = 60
    client.cookies["sessionid"] = "not-a-session"
    response = client.get("/internships/")
    assert "Cookie" in response["Vary"] and "X-Cache" not in response


def test_similar_internships_are_cached_until_a_write(client, django_assert_num_queries):
    posting = make_posting(skills=["Python"])
    make_posting(title="Python Friend Intern", skills=["Python"])
    assert b"Python Friend Intern" in client.get(posting.get_absolute_url()).content
    pieces.clear()  # another app process: its pieces and similar postings are shared
    with django_assert_num_queries(0):
        client.get(posting.get_absolute_url())
    make_posting(title="Newer Python Intern", skills=["Python"])
    assert b"Newer Python Intern" in client.get(posting.get_absolute_url()).content
