"""A programme not yet recorded is created from the review, with the agreement, or refused."""

import re

import pytest

from shiraka.accounts.models import Membership
from shiraka.agreements.models import Agreement, Programme
from tests.factories import GUELMIM, review_forms, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(reference):
    return user_with_role("secretariat-national", Membership.Role.SECRETARIAT)


def review(client, language="en"):
    response = client.post(f"/{language}/agreements/new-from-text/", {"text": GUELMIM})
    url = response["Location"]
    return url, review_forms(client.get(url).content.decode())[0]


def test_a_new_programme_is_created_with_the_agreement(client, secretariat):
    client.force_login(secretariat)
    url, data = review(client)
    assert data["a0-new_programme"] == "" and data["a0-new_programme_kind"] == "other"
    data.update(
        {"a0-new_programme": "برنامج تأهيل المستشفيات الإقليمية", "a0-new_programme_kind": "provincial"}
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    programme = agreement.programme
    assert programme.name_ar == "برنامج تأهيل المستشفيات الإقليمية"
    assert programme.kind == "provincial"
    assert programme.region_id == agreement.region_id
    assert re.fullmatch(r"programme-\d{8}-\d{3}", programme.code)


def test_a_recorded_programme_and_a_new_one_together_are_refused(client, secretariat):
    client.force_login(secretariat)
    recorded = Programme.objects.create(code="prog-test", name_ar="برنامج مسجل", kind="other")
    url, data = review(client)
    data.update({"a0-programme": str(recorded.pk), "a0-new_programme": "برنامج آخر"})
    before = (Agreement.objects.count(), Programme.objects.count())
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'data-error-for="a0-new_programme"' in response.content.decode()
    assert (Agreement.objects.count(), Programme.objects.count()) == before


def test_a_new_programme_under_a_recorded_name_is_refused_and_nothing_is_written(client, secretariat):
    client.force_login(secretariat)
    Programme.objects.create(code="prog-test", name_ar="برنامج مسجل", kind="other")
    url, data = review(client)
    data["a0-new_programme"] = "برنامج مسجّل"
    before = (Agreement.objects.count(), Programme.objects.count())
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-error-for="a0-new_programme"' in page and "choose it in the list" in page
    assert (Agreement.objects.count(), Programme.objects.count()) == before
