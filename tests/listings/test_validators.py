"""validate_apply_url: the one gate every stored apply_url passes.

The payload lists come from Django's own open-redirect tests
(tests/utils_tests/test_http.py, URLHasAllowedHostAndSchemeTests), the OWASP
Unvalidated Redirects and Forwards cheat sheet, and the look-alike, IP-literal
and parser-confusion tricks used against redirectors.
"""

import pytest
from django.core.exceptions import ValidationError
from django.forms import modelform_factory

from listings.models import Posting
from listings.validators import MAX_URL_LENGTH, is_valid_apply_url, validate_apply_url
from tests.factories import make_company

# Every URL of Django's test_bad_urls, test_good_urls, test_basic_auth,
# test_no_allowed_hosts and the https tests. Django judges them against a
# set of allowed hosts; we judge them as the destination of a redirect.
DJANGO_PAYLOADS = [
    "http://example.com",
    "http:///example.com",
    "https://example.com",
    "ftp://example.com",
    r"\\example.com",
    r"\\\example.com",
    r"/\\/example.com",
    r"\\//example.com",
    r"/\/example.com",
    r"\/example.com",
    r"/\example.com",
    r"http:/\//example.com",
    r"http:\/example.com",
    r"http:/\example.com",
    'javascript:alert("XSS")',
    "\njavascript:alert(x)",
    "java\nscript:alert(x)",
    "\x08//example.com",
    r"http://otherserver\@example.com",
    r"http:\\testserver\@example.com",
    r"http://testserver\me:pass@example.com",
    r"http://testserver\@example.com",
    r"http:\\testserver\confirm\me@example.com",
    "http:999999999",
    "ftp:9999999999",
    "\n",
    "http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
    "http://2001:cdba:0000:0000:0000:0000:3257:9652]/",
    "/view/?param=http://example.com",
    "/view/?param=https://example.com",
    "/view?param=ftp://example.com",
    "view/?param=//example.com",
    "https://testserver/",
    "HTTPS://testserver/",
    "//testserver/",
    "http://testserver/confirm?email=me@example.com",
    "/url%20with%20spaces/",
    "path/http:2222222222",
    "http://user:pass@testserver/",
    "/confirm/me@example.com",
    "http://good.com/good",
    "http://good.co/evil",
    "https://example.com/p",
    "HTTPS://example.com/p",
    "http://example.com/p",
    "ftp://example.com/p",
    "//example.com/p",
]
# Django refuses these only because example.com/good.* are not its allowed
# hosts; as a company's application page they are ordinary absolute URLs.
DJANGO_LEGITIMATE = {
    "http://example.com",
    "https://example.com",
    "https://example.com/p",
    "HTTPS://example.com/p",
    "http://example.com/p",
    "http://good.com/good",
    "http://good.co/evil",
}

# The OWASP cheat sheet's examples: its redirect targets are relative paths
# or server-side forwards, never a page to send a visitor to. (Its attack
# link, ?url=http://malicious.example.com, is a request parameter: the apply
# view's tests show that no parameter reaches the Location header.)
OWASP_PAYLOADS = [
    "~/folder/Login.aspx",
    "admin.jsp",
    "function.jsp?fwd=admin.jsp",
    "login_path",
    "malicious.example.com",
    "//malicious.example.com",
    "/example.php?url=http://malicious.example.com",
]

LOOK_ALIKES = [
    "https://a.com@evil.com",
    "https://a.com@evil.com/apply",
    "https://a.com:443@evil.com",
    "https://user:pass@example.com/",
    "https://user@example.com/",
    "https://:@example.com/",
    "https://@example.com/",
    "https://a.com%40evil.com/",
    "https://evil.com\\@a.com",
    "https://evil.com\\.a.com",
    "https:\\\\evil.com",
    "https:/\\evil.com",
    "https:evil.com",
    "https:/evil.com",
    "https:///evil.com",
    "https:////evil.com",
    "//evil.com",
    "///evil.com",
    "////evil.com/%2f..",
    "evil.com",
    "www.evil.com/apply",
    # Full-width and other Unicode look-alikes (NFKC folds them to ASCII).
    "ｈｔｔｐｓ://ｅｖｉｌ.ｃｏｍ",
    "https://ｅｖｉｌ.com",
    "https://evil。com",
    "https://evil．com",
    "https://ⓔⓥⓘⓛ.ⓒⓞⓜ",
    "https://evil.c℀.example.com",
    "https://example.com／@evil.com",
    "https://exаmple.com/",  # Cyrillic "а"
    "https://example.com/\u202etxt.exe",
    "http://evil%E3%80%82com",
    "http://evil%00.com",
    "https://example.com%2F@evil.com",
]

SCRIPT_SCHEMES = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "jAvAsCrIpT:alert(document.domain)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "ja\tva\nscr\r\nipt:alert(1)",
    "\tjavascript:alert(1)",
    " javascript:alert(1)",
    "\x00javascript:alert(1)",
    "javascript\t:alert(1)",
    "javascript://example.com/%0Aalert(1)",
    "JaVaScRiPt://example.com/?%0d%0aalert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "ftp://example.com/apply",
    "mailto:jobs@example.com",
    "tel:+15555550100",
    "ws://example.com/",
    "httpx://example.com/",
    "http+unix://example.com/",
]

IP_LITERALS = [
    "http://127.0.0.1/",
    "http://127.0.0.1:8000/apply",
    "http://127.1/",
    "http://127.0.1/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0x7f000001/",
    "http://0x7f.0x0.0x0.0x1/",
    "http://017700000001/",
    "http://0177.0.0.1/",
    "http://0/",
    "http://0.0.0.0/",
    "http://10.0.0.1/",
    "http://192.168.1.1:8080/",
    "http://169.254.169.254/latest/meta-data/",
    "http://8.8.8.8/",
    "http://1.1.1.1./",
    "http://[::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[0:0:0:0:0:ffff:7f00:1]/",
    "http://[fe80::1%25eth0]/",
    "http://[2001:db8::1]:443/",
]

LOCAL_AND_RESERVED_HOSTS = [
    "http://localhost/",
    "http://LOCALHOST/",
    "http://localhost./",
    "http://localhost:8000/",
    "http://app.localhost/",
    "http://localhost.localdomain/",
    "http://printer.local/",
    "http://db.internal/",
    "http://site.test/",
    "http://x.invalid/",
    "http://jobs.example/",
    "http://abcdefghijklmnop.onion/",
    "http://1.0.0.127.in-addr.arpa/",
    "http://router.home/",
    "http://nas.lan/",
]

SINGLE_LABEL_HOSTS = [
    "http://intranet/",
    "https://jobs/",
    "http://com/",
    "https://testserver/",
    "https://careers:8443/apply",
]

MALFORMED = [
    "",
    "https://",
    "https:",
    "http:example.com",
    "https://[2001:db8::1",
    "https://example.com:99999/",
    "https://example.com:0/",
    "https://example.com:abc/",
    "https://-example.com/",
    "https://example-.com/",
    "https://exa_mple.com/",
    "https://example..com/",
    "https://.example.com/",
    "https://example.c/",
    "https://example.123/",
    "https://" + "a" * 64 + ".com/",
    "https://" + ".".join(["abcdefghij"] * 24) + ".com/",
    'https://example.com/"><script>alert(1)</script>',
    "https://example.com/<x>",
    "https://example.com/{path}",
    "https://example.com/a|b",
    "https://example.com/`x`",
    "https://example.com/a%zz",
    "https://example.com/a%2",
    "https://example.com/100%",
]

CONTROL_CHARACTERS = (
    [f"https://example.com/a{chr(c)}b" for c in [*range(32), 127]]
    + [
        f"https://example.com/a{ch}b"
        for ch in ("\u0085", "\u00a0", "\u200b", "\u2028", "\u2029", "\u3000", "\ufeff")
    ]
    + [
        "https://example.com/apply ",
        " https://example.com/apply",
        "https://exam ple.com/",
        "https://example.com/\r\nSet-Cookie: a=b",
        "https://example.com\x00.evil.com/",
    ]
)

TOO_LONG = [
    "https://example.com/" + "a" * (MAX_URL_LENGTH - len("https://example.com/") + 1),
    "https://example.com/?q=" + "x" * 10_000,
]

REJECTED = sorted(
    {
        *(url for url in DJANGO_PAYLOADS if url not in DJANGO_LEGITIMATE),
        *OWASP_PAYLOADS,
        *LOOK_ALIKES,
        *SCRIPT_SCHEMES,
        *IP_LITERALS,
        *LOCAL_AND_RESERVED_HOSTS,
        *SINGLE_LABEL_HOSTS,
        *MALFORMED,
        *CONTROL_CHARACTERS,
        *TOO_LONG,
    }
)

ACCEPTED = [
    *sorted(DJANGO_LEGITIMATE),
    "https://instacart.careers/current-openings/",
    "https://jobs.example.com/apply/1",
    "HTTPS://Jobs.Example.COM/Apply",
    "https://example.com/?a=1&b=2#apply",
    "https://boards.greenhouse.io/instacart/jobs/7105765?gh_jid=7105765",
    "https://careers.example.co.uk/job?id=1&utm_source=linkedin",
    "https://xn--bcher-kva.ch/jobs",
    "https://jobs.xn--p1ai/apply",
    "https://example.com:8443/apply",
    "https://example.com./apply",
    "https://example.com/a%20b/%E2%9C%93",
    "https://example.com/apply?next=https://other.example.org/&x=[1]",
    "https://my-company.myworkdayjobs.com/en-US/Careers/job/Remote/Intern_R-1?source=web",
    "https://example.com/" + "a" * (MAX_URL_LENGTH - len("https://example.com/")),
]


def _shown(url):
    return ascii(url)[:80]


@pytest.mark.parametrize("url", REJECTED, ids=_shown)
def test_rejects(url):
    with pytest.raises(ValidationError):
        validate_apply_url(url)
    assert not is_valid_apply_url(url)


@pytest.mark.parametrize("url", ACCEPTED, ids=_shown)
def test_accepts_real_application_pages(url):
    validate_apply_url(url)
    assert is_valid_apply_url(url)


@pytest.mark.parametrize("value", [None, 42, b"https://example.com/"])
def test_rejects_non_strings(value):
    with pytest.raises(ValidationError):
        validate_apply_url(value)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://a.com@evil.com", "user name or password"),
        ("http://127.0.0.1/", "not an IP address"),
        ("http://localhost/", "local or reserved"),
        ("https://jobs/", "valid public host name"),
        ("javascript:alert(1)", "http:// or https://"),
        ("java\tscript:alert(1)", "control characters"),
        ("https://ｅｖｉｌ.com", "non-ASCII"),
        ("https://example.com/" + "a" * 3000, "longer than 2048"),
    ],
)
def test_messages_tell_the_editor_what_is_wrong(url, says):
    with pytest.raises(ValidationError) as raised:
        validate_apply_url(url)
    assert says in raised.value.messages[0]


@pytest.fixture
def company(db):
    return make_company(name="Acme")


def _posting(company, apply_url):
    return Posting(company=company, title="Data Intern", apply_url=apply_url)


@pytest.mark.parametrize("url", REJECTED, ids=_shown)
def test_full_clean_refuses_a_posting_with_the_payload(company, url):
    posting = _posting(company, url)
    with pytest.raises(ValidationError) as raised:
        posting.full_clean()
    assert "apply_url" in raised.value.message_dict


def test_full_clean_accepts_a_real_application_page(company):
    _posting(company, "https://instacart.careers/current-openings/").full_clean()


@pytest.mark.filterwarnings("ignore:The default scheme will be changed")
@pytest.mark.parametrize(
    "url",
    [
        "https://a.com@evil.com",
        "https://evil.com\\@a.com",
        "JaVa\tScRiPt:alert(1)",
        "http://0x7f.1/",
    ],
    ids=_shown,
)
def test_model_form_refuses_the_payload(company, url):
    """The admin's posting form is a ModelForm: it runs the field's validators."""
    Form = modelform_factory(Posting, fields=["title", "company", "apply_url"])
    form = Form(data={"title": "Data Intern", "company": company.pk, "apply_url": url})
    assert not form.is_valid()
    assert "apply_url" in form.errors
    assert not Posting.objects.exists()
