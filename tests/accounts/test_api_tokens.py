"""The API tokens page: every signed-in user creates, lists and revokes their own tokens, sees a new one
once, and never sees or touches anyone else's."""

import pytest

from shiraka.accounts.models import ApiToken, Membership
from tests.factories import api_call, member, page_text, url

pytestmark = pytest.mark.django_db


def signed_in(client, role=Membership.Role.VIEWER):
    user = member(role)
    client.force_login(user)
    return user


def test_a_new_token_is_shown_once_and_works(client, reference):
    user = signed_in(client)
    response = client.post(url("api_tokens"), {"name": "classeur de la province"})
    assert response.status_code == 302
    first = page_text(client.get(url("api_tokens")))
    token = ApiToken.objects.get(user=user)
    clear = first.split('id="new-token">')[1].split("<")[0]
    assert clear.startswith(token.prefix) and "classeur de la province" in first
    assert api_call(client, "get", "agreements", token=clear).status_code == 200
    again = page_text(client.get(url("api_tokens")))
    assert clear not in again and token.prefix in again


def test_a_token_needs_a_name_and_nothing_is_created_without_one(client, reference):
    signed_in(client)
    response = client.post(url("api_tokens"), {"name": "  "})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_revoking_stops_the_token(client, reference):
    user = signed_in(client)
    client.post(url("api_tokens"), {"name": "synchro-comptable-7"})
    clear = page_text(client.get(url("api_tokens"))).split('id="new-token">')[1].split("<")[0]
    token = ApiToken.objects.get(user=user)
    assert client.post(url("api_token_revoke", token.pk)).status_code == 302
    assert api_call(client, "get", "agreements", token=clear).status_code == 401


def test_nobody_revokes_someone_elses_token_not_even_an_administrator(client, reference):
    owner = member(Membership.Role.VIEWER)
    client.force_login(owner)
    client.post(url("api_tokens"), {"name": "synchro-comptable-7"})
    token = ApiToken.objects.get(user=owner)
    signed_in(client, Membership.Role.ADMINISTRATOR)
    assert client.post(url("api_token_revoke", token.pk)).status_code == 404
    assert "synchro-comptable-7" not in page_text(client.get(url("api_tokens")))
    token.refresh_from_db()
    assert token.is_active


def test_anonymous_visitors_are_sent_to_the_login_page(client, reference):
    response = client.get(url("api_tokens"))
    assert response.status_code == 302 and "/login/" in response["Location"]
