"""Production as an operator runs it: production settings, `collectstatic`, gunicorn on a free port,
then every kind of page fetched over HTTP with no error and the security headers present."""

import json
import re

import pytest
from django.urls import Resolver404, resolve

from .conftest import ADMIN_PASSWORD

API_SCHEMA = "/api/v1/openapi.json"
AGREEMENT = "GON-2023-SANTE-443"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@pytest.fixture(scope="module")
def site(production_site):
    yield production_site
    # Whatever the tests fetched, the server logged no error and no traceback.
    log = production_site.log()
    assert "Internal Server Error" not in log, log[-5000:]
    assert "Traceback" not in log, log[-5000:]
    assert not re.search(r'" 5\d\d ', log), log[-5000:]


@pytest.fixture(scope="module")
def administrator(site):
    client = site.client()
    client.login("demo", ADMIN_PASSWORD)
    return client


def assert_secure_headers(response, *, https=True):
    for name, value in SECURITY_HEADERS.items():
        assert response.header(name) == value, (name, dict(response.headers))
    assert "default-src 'self'" in response.header("Content-Security-Policy")
    if https:
        assert response.header("Strict-Transport-Security").startswith("max-age=31536000")
    else:
        assert response.header("Strict-Transport-Security") == ""


def test_arabic_page_right_to_left_with_its_static_files(site):
    response = site.client().get("/ar/")
    assert response.status == 200
    assert 'lang="ar"' in response.text and 'dir="rtl"' in response.text
    assert_secure_headers(response)
    # The manifest names each file by its hash: the stylesheet the page links is served.
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', response.text)
    assert stylesheets and all(re.search(r"\.[0-9a-f]{12}\.css$", s) for s in stylesheets), stylesheets
    for path in stylesheets:
        static = site.client().get(path)
        assert static.status == 200 and static.header("Content-Type").startswith("text/css"), path


def test_french_page(site):
    response = site.client().get("/fr/")
    assert response.status == 200
    assert 'lang="fr"' in response.text and 'dir="ltr"' in response.text
    assert_secure_headers(response)


def test_list_and_detail(site):
    visitor = site.client()
    listing = visitor.get("/fr/agreements/?q=guelmim&sort=-total")
    assert listing.status == 200 and AGREEMENT in listing.text
    assert visitor.get("/ar/projects/?status=planned").status == 200
    detail = visitor.get(f"/fr/agreements/{AGREEMENT}/")
    assert detail.status == 200 and AGREEMENT in detail.text
    assert_secure_headers(detail)


def test_missing_page_is_a_404(site):
    response = site.client().get("/fr/agreements/NO-SUCH-AGREEMENT/")
    assert response.status == 404
    assert "Traceback" not in response.text and "DEBUG" not in response.text
    assert_secure_headers(response)


def test_plain_http_gets_no_hsts(site):
    response = site.client(https=False).get("/fr/")
    assert response.status == 200
    assert_secure_headers(response, https=False)


def test_cookies_are_secure_and_login_needs_csrf(site):
    visitor = site.client()
    page = visitor.get("/fr/login/")
    assert "Secure" in page.header("Set-Cookie") and "csrftoken" in page.header("Set-Cookie")
    refused = visitor.request(
        "POST",
        "/fr/login/",
        b"username=demo&password=x",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert refused.status == 403


def test_signed_in_form_then_file_download(site, administrator):
    committees = administrator.get("/fr/committees/")
    assert committees.status == 200
    committee = re.search(r'href="/fr/committees/(\d+)/"', committees.text).group(1)
    saved = administrator.post(
        f"/fr/committees/{committee}/meetings/new/",
        {"held_on": "2025-03-04", "place": "Guelmim", "agenda": "1. Suivi", "minutes": "Compte rendu."},
    )
    assert saved.status == 302, saved.text[:3000]
    meeting_url = saved.header("Location")
    meeting = administrator.get(meeting_url)
    assert meeting.status == 200 and "Guelmim" in meeting.text
    pdf = administrator.get(meeting_url + "minutes.pdf?lang=fr")
    assert pdf.status == 200
    assert pdf.header("Content-Type") == "application/pdf" and pdf.body.startswith(b"%PDF-")
    assert pdf.header("Content-Disposition").startswith("attachment;")


def test_api_schema_when_the_api_exists(site):
    try:
        resolve(API_SCHEMA)
    except Resolver404:
        pytest.skip(f"no REST API mounted in this tree yet ({API_SCHEMA})")
    response = site.client().get(API_SCHEMA)
    assert response.status == 200
    assert "openapi" in json.loads(response.body)
