"""One URL policy for apply URLs and company websites (config/urlpolicy.py)."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from companies.models import Company
from config.urlpolicy import WILDCARD_DNS_DOMAINS, validate_public_url
from tests.factories import make_company, make_editor, make_posting

REFUSED = [
    # wildcard DNS to loopback and private networks
    "http://127.0.0.1.nip.io:8102/admin/",
    "https://10.0.0.5.sslip.io/",
    "https://10-0-0-5.sslip.io/",
    "https://app.xip.io/",
    "https://localtest.me/",
    "https://anything.lvh.me/",
    "https://x.vcap.me/",
    "https://x.localhost/",
    "https://intranet.localhost./",
    "https://192-168-1-10.example.com/",
    "https://192.168.1.10.example.com/",
    "https://7f000001.rbndr.us/",
    "https://169.254.169.254.example.com/",
    # punycode look-alikes and mixed scripts
    "https://xn--80ak6aa92e.com/",  # "аррӏе.com", Cyrillic
    "https://xn--pple-43d.com/",  # Cyrillic "а" + "pple"
    "https://xn--n3h.com/",  # an emoji: not valid IDNA 2008
    "https://xn--gogle-jye.com/",  # "gοogle" with a Greek omicron
    # user-info, IP literals, schemes
    "https://good.com@evil.com/",
    "https://user:pw@jobs.example.com/",
    "http://127.0.0.1:22/",
    "http://[::1]/",
    "http://2130706433/",
    "ftp://jobs.example.com/file",
    "javascript:alert(1)",
    "file:///etc/passwd",
]
ACCEPTED = [
    "https://jobs.example.com/apply?id=3",
    "https://careers.acme.co.uk/",
    "http://jobs.example.org:8443/x",
    "https://xn--mnchen-3ya.de/",  # münchen.de: Latin only
    "https://xn--fiqs8s.cn/",  # 中国.cn: Han only
    "https://xn--eckwd4c7c.xn--zckzah/",  # Japanese Katakana
    "https://nip.io.example.com/",  # the service's name inside another domain
]


@pytest.mark.parametrize("url", REFUSED)
def test_policy_refuses(url):
    with pytest.raises(ValidationError):
        validate_public_url(url)


@pytest.mark.parametrize("url", ACCEPTED)
def test_policy_accepts(url):
    validate_public_url(url)


def test_the_wildcard_list_is_documented():
    doc = (Path(__file__).parent.parent / "docs" / "url-policy.md").read_text()
    for domain in WILDCARD_DNS_DOMAINS:
        assert f"`{domain}`" in doc


@pytest.mark.django_db
@pytest.mark.parametrize("url", REFUSED[:4] + REFUSED[13:15] + REFUSED[18:23])
def test_company_website_and_apply_url_share_the_policy(url):
    company = Company(name="Acme", slug="acme", website=url)
    with pytest.raises(ValidationError) as exc:
        company.full_clean()
    assert "website" in exc.value.message_dict
    posting = make_posting()
    posting.apply_url = url
    with pytest.raises(ValidationError) as exc:
        posting.full_clean()
    assert "apply_url" in exc.value.message_dict


@pytest.mark.django_db
def test_admin_refuses_a_website_to_a_private_port(client):
    company = make_company(name="Acme")
    client.force_login(make_editor())
    url = f"/admin/companies/company/{company.pk}/change/"
    data = {"name": "Acme", "slug": company.slug, "website": "http://127.0.0.1:22/", "about": ""}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "IP address" in response.content.decode()
    company.refresh_from_db()
    assert company.website.startswith("https://company")


@pytest.mark.django_db
def test_external_links_are_nofollow(client):
    posting = make_posting()
    html = client.get(posting.company.get_absolute_url()).content.decode()
    assert f'href="{posting.company.website}" rel="nofollow noopener noreferrer"' in html
    html = client.get(posting.get_absolute_url()).content.decode()
    assert f'href="{posting.get_apply_url()}" rel="nofollow noopener"' in html
