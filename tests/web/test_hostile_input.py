"""No request breaks a page (issue 13): hostile values in every GET parameter of every list and
reading page, in every field of every form of the role matrix, and in every text part of a URL path,
as a visitor and as an administrator. Every answer is below 500: a refusal, an empty list, a form
that says what is wrong, or a 404."""

import re
from dataclasses import fields
from urllib.parse import quote, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver

from shiraka.agreements.selectors import AgreementFilters
from shiraka.projects.selectors import ProjectFilters
from shiraka.web import urls as web_urls
from shiraka.web.followup.forms import AlertFilterForm, CommitteeFilterForm
from shiraka.web.people.forms import PeopleSearchForm
from tests.accounts import test_role_matrix as matrix
from tests.accounts.world import ADMINISTRATOR, ANONYMOUS, build_world, user_for
from tests.factories import url

# As they travel on the wire (already percent-encoded): what a careless or hostile client sends.
HOSTILE = {
    "huge integer": "9" * 25,
    "2^63": str(2**63),
    "below -2^63": "-" + "9" * 20,
    "NUL": "1%00",
    "lone NUL": "%00",
    "lone surrogate": "%ED%A0%80",
    "10,000 characters": "x" * 10_000,
    "year 10000": "10000-01-01",
    "year 0": "0000-01-01",
    "year 9999": "9999-12-31",
    "year 1": "0001-01-01",
    "huge year": "99999999999",
    "not a number": "abc",
    "superscript two": "%C2%B2",
    "overflowing float": "1e309",
}
# The same values as a multipart form (with a file) carries them: text, surrogates already replaced.
HOSTILE_TEXT = {
    name: raw.replace("%00", "\x00").replace("%ED%A0%80", "\ufffd").replace("%C2%B2", "²")
    for name, raw in HOSTILE.items()
}
# A form field reads text, a number, a date or a key: these reach every way of reading one.
FOR_FORMS = ("huge integer", "below -2^63", "NUL", "10,000 characters", "year 10000", "superscript two")
ROLES = (ANONYMOUS, ADMINISTRATOR)
FORM_FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
GET_FORM = re.compile(r'<form[^>]*method="get"[^>]*>(.*?)</form>', re.S | re.I)


def reading_pages(world) -> list[tuple[str, list[str]]]:
    """Each reading page and the query parameters its view reads (its GET forms' fields are added)."""
    return [
        (url("dashboard"), ["scope"]),
        (url("agreements"), [f.name for f in fields(AgreementFilters)] + ["page"]),
        (url("projects"), [f.name for f in fields(ProjectFilters)] + ["page"]),
        (url("alerts"), list(AlertFilterForm.base_fields)),
        (url("committees"), list(CommitteeFilterForm.base_fields)),
        (url("people"), list(PeopleSearchForm.base_fields) + ["page"]),
        (url("commune_options"), ["province"]),
        (url("organisation", world.own.pk), ["page"]),
        (url("agreement", world.agreement.reference), []),
        (url("project", world.project.reference), []),
        (url("region", world.province.region.code), []),
        (url("province", world.province.code), []),
        (url("decision_new", world.committee.pk), ["meeting"]),
        (url("meeting_minutes_pdf", world.meeting.pk), ["lang"]),
    ]


def query_parameters(client, path: str, declared: list[str]) -> list[str]:
    page = client.get(path)
    found = set(declared)
    if page.status_code == 200 and page.get("Content-Type", "").startswith("text/html"):
        for form in GET_FORM.findall(page.content.decode()):
            found |= set(FORM_FIELD.findall(form))
    return sorted(found)


def broken(response) -> bool:
    return response.status_code >= 500


def report(failures: list) -> None:
    if failures:
        pytest.fail(
            f"{len(failures)} answers of 500 or more:\n" + "\n".join(map(str, failures)), pytrace=False
        )


@pytest.fixture
def client(client):
    """Errors come back as the 500 a visitor would get, so that one run lists them all."""
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("role", ROLES)
def test_hostile_query_parameters(client, reference, role):
    world = build_world()
    user = user_for(role, world)
    if user is not None:
        client.force_login(user)
    failures = []
    for path, declared in reading_pages(world):
        for name in query_parameters(client, path, declared):
            for label, raw in HOSTILE.items():
                response = client.get(path, QUERY_STRING=f"{quote(name)}={raw}")
                if broken(response):
                    failures.append((path, name, label, response.status_code))
    report(failures)


def text_patterns(patterns, prefix=""):
    """Every web URL pattern with a text part (`<str:…>` or a token), as (route, names of the parts)."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from text_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            converters = pattern.pattern.converters
            if any(type(c).__name__ == "StringConverter" for c in converters.values()):
                yield route, converters


@pytest.mark.parametrize("role", ROLES)
def test_hostile_url_paths(client, reference, role):
    user = user_for(role, build_world())
    if user is not None:
        client.force_login(user)
    failures = []
    for route, converters in text_patterns(web_urls.urlpatterns):
        for label, raw in HOSTILE.items():
            path = route
            for name in converters:
                value = raw if type(converters[name]).__name__ == "StringConverter" else "1"
                path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
            for language in ("ar", "fr"):
                response = client.get(f"/{language}/{path}")
                if broken(response):
                    failures.append((route, label, language, response.status_code))
    report(failures)


# --- every field of every form ---------------------------------------------------------------------


FORM_ACTIONS = [name for name, action in matrix.ACTIONS.items() if action.data is not None]
FIELD_TAG = re.compile(r"<(input|select|textarea)\b([^>]*)>")
# What each kind of field is sent, one value a request (every value also goes to all fields at once).
BY_KIND = {
    "date": ("NUL", "year 10000", "year 9999", "year 1"),
    "text": ("NUL", "10,000 characters", "lone surrogate"),
    "choice": ("huge integer", "below -2^63", "NUL", "superscript two"),
}


def field_kinds(client, path: str, data: dict) -> dict[str, str]:
    """Each field of the form (on its page, or in the data the matrix posts) and its kind."""
    kinds = dict.fromkeys(data, "choice")
    page = client.get(path)
    if page.status_code == 200:
        for tag, attributes in FIELD_TAG.findall(page.content.decode()):
            name = re.search(r'\bname="([^"]+)"', attributes)
            kind = re.search(r'\btype="([^"]+)"', attributes)
            if not name or (kind and kind.group(1) in ("hidden", "submit", "file", "checkbox", "radio")):
                continue
            text = tag == "textarea" or (tag == "input" and (not kind or kind.group(1) == "text"))
            kinds[name.group(1)] = (
                "date" if kind and kind.group(1) == "date" else "text" if text else "choice"
            )
    kinds.pop("csrfmiddlewaretoken", None)
    return kinds


def encoded(data: dict, hostile: dict) -> str:
    pairs = [
        (k, item) for k, v in data.items() if k not in hostile for item in (v if isinstance(v, list) else [v])
    ]
    return "&".join(filter(None, [urlencode(pairs), *(f"{quote(k)}={v}" for k, v in hostile.items())]))


def post_hostile(client, path: str, data: dict, fields: list[str], label: str):
    if any(isinstance(v, SimpleUploadedFile) for v in data.values()):
        for value in data.values():
            if isinstance(value, SimpleUploadedFile):
                value.seek(0)
        return client.post(path, {**data, **dict.fromkeys(fields, HOSTILE_TEXT[label])})
    body = encoded(data, dict.fromkeys(fields, HOSTILE[label]))
    return client.post(path, body, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("name", FORM_ACTIONS)
def test_hostile_form_fields_as_administrator(client, reference, name):
    action = matrix.ACTIONS[name]
    world = build_world()
    client.force_login(user_for(ADMINISTRATOR, world))
    path = action.path(world)
    kinds = field_kinds(client, path, action.data(world))
    attempts = [(list(kinds), label) for label in FOR_FORMS]
    attempts += [([field], label) for field, kind in kinds.items() for label in BY_KIND[kind]]
    failures = []
    for fields_sent, label in attempts:
        # The data is rebuilt for every post: an accepted one may have changed the record (its version).
        response = post_hostile(client, path, action.data(world), fields_sent, label)
        if broken(response):
            failures.append((fields_sent if len(fields_sent) == 1 else "all", label, response.status_code))
    report(failures)


VISITOR_FORMS = {
    "login": {"username": "someone", "password": "a-long-test-password"},
    "password_forgotten": {"email": "someone@example.ma"},
}


def test_hostile_visitor_forms(client, reference):
    failures = []
    for name, data in VISITOR_FORMS.items():
        for field in data:
            for label, raw in HOSTILE.items():
                body = encoded(data, {field: raw})
                response = client.post(url(name), body, content_type="application/x-www-form-urlencoded")
                if broken(response):
                    failures.append((name, field, label, response.status_code))
    report(failures)
