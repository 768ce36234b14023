"""Users managed in the app: services (create, refusals, secretariat limits, deactivation, first-login
link) and the people pages, the link followed end to end."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404

from shiraka.accounts import services
from shiraka.accounts.access import access_user, can_grant, manageable_users
from shiraka.accounts.models import Membership
from shiraka.territory.models import Province
from tests.factories import page_text, url

pytestmark = pytest.mark.django_db
Role = Membership.Role
User = get_user_model()


def member(username, role, **scope):
    user = User.objects.create_user(username, password="a-long-test-password")
    Membership.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def places(reference):
    home = Province.objects.select_related("region").get(code="09.273")
    neighbour = Province.objects.filter(region=home.region).exclude(pk=home.pk).order_by("code").first()
    elsewhere = Province.objects.exclude(region=home.region).select_related("region").order_by("code").first()
    return home, neighbour, elsewhere


@pytest.fixture
def admin(db):
    return member("admin", Role.ADMINISTRATOR)


@pytest.fixture
def secretariat(places):
    home = places[0]
    return member("sec-home", Role.SECRETARIAT, province=home, region=home.region)


def codes(error: ValidationError) -> dict:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


# --- services ---------------------------------------------------------------------------------------


def test_user_create_makes_a_user_without_password_and_its_membership(admin, places):
    home = places[0]
    user = services.user_create(
        username="amina",
        first_name="Amina",
        last_name="Alaoui",
        email="amina@example.ma",
        organisation=None,
        role=Role.FOCAL_POINT,
        province=home,
        by=admin,
    )
    assert not user.has_usable_password() and user.is_active
    membership = user.membership
    assert (membership.role, membership.province, membership.region) == (Role.FOCAL_POINT, home, home.region)
    assert membership.history.get().history_user == admin


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"username": "ADMIN"}, "username", "username_taken"),
        ({"email": "not-an-address"}, "email", "invalid_email"),
        ({"province": "elsewhere", "region": "home"}, "province", "province_outside_region"),
    ],
)
def test_user_create_refusals(admin, places, changes, field, code):
    home, _neighbour, elsewhere = places
    values = {
        "username": "new",
        "first_name": "",
        "last_name": "",
        "email": "",
        "organisation": None,
        "role": Role.SECRETARIAT,
        "region": None,
        "province": None,
    }
    named = {"home": home.region, "elsewhere": elsewhere}
    values.update({k: named.get(v, v) for k, v in changes.items()})
    with pytest.raises(ValidationError) as refused:
        services.user_create(**values, by=admin)
    assert codes(refused.value) == {field: [code]}
    assert not User.objects.filter(username="new").exists() and Membership.objects.count() == 1


def test_a_secretariat_grants_within_its_scope_and_never_administrator(secretariat, places):
    home, neighbour, elsewhere = places
    assert can_grant(secretariat, role=Role.VIEWER, province=home)
    assert can_grant(secretariat, role=Role.SECRETARIAT, province=home, region=home.region)
    assert not can_grant(secretariat, role=Role.ADMINISTRATOR, province=home)
    assert not can_grant(secretariat, role=Role.VIEWER, province=neighbour)
    assert not can_grant(secretariat, role=Role.VIEWER)  # national: wider than its province
    base = {"first_name": "", "last_name": "", "email": "", "organisation": None, "by": secretariat}
    with pytest.raises(ValidationError) as refused:
        services.user_create(username="boss", role=Role.ADMINISTRATOR, province=home, **base)
    assert codes(refused.value) == {"role": ["role_not_grantable"]}
    with pytest.raises(ValidationError) as refused:
        services.user_create(username="far", role=Role.VIEWER, province=elsewhere, **base)
    assert codes(refused.value) == {"province": ["scope_not_grantable"]}
    near = services.user_create(username="near", role=Role.VIEWER, province=home, **base)
    with pytest.raises(ValidationError):
        services.membership_update(
            near.membership,
            organisation=None,
            role=Role.VIEWER,
            region=None,
            province=neighbour,
            programme=None,
            by=secretariat,
        )


def test_a_secretariat_manages_the_users_of_its_scope_only(admin, secretariat, places):
    home, neighbour, _elsewhere = places
    own = member("own", Role.VIEWER, province=home, region=home.region)
    other = member("other", Role.VIEWER, province=neighbour, region=neighbour.region)
    chief = member("chief", Role.ADMINISTRATOR, province=home, region=home.region)
    assert set(manageable_users(secretariat)) == {secretariat, own}
    assert set(manageable_users(admin)) >= {own, other, chief, secretariat, admin}
    assert access_user(secretariat, own.pk) == own
    for hidden in (other, chief, admin):
        with pytest.raises(Http404):
            access_user(secretariat, hidden.pk)
    assert not manageable_users(own).exists()


def test_deactivate_and_reactivate(admin, places):
    user = member("leaving", Role.VIEWER)
    with pytest.raises(ValidationError) as refused:
        services.user_set_active(admin, active=False, by=admin)
    assert codes(refused.value) == {"active": ["self_deactivation"]}
    services.user_set_active(user, active=False, by=admin)
    user.refresh_from_db()
    assert not user.is_active
    latest = user.membership.history.first()
    assert (latest.history_user, latest.history_change_reason) == (admin, "deactivated")
    with pytest.raises(ValidationError):
        services.first_login_link(user, base_url="https://shiraka.test")
    services.user_set_active(user, active=True, by=admin)
    user.refresh_from_db()
    assert user.is_active


# --- pages ------------------------------------------------------------------------------------------


def test_first_login_link_works_end_to_end(client, admin, places):
    client.force_login(admin)
    response = client.post(
        url("person_new"),
        {"username": "karim", "email": "karim@example.ma", "role": Role.VIEWER, "province": places[0].pk},
    )
    karim = User.objects.get(username="karim")
    assert response.status_code == 302 and response["Location"] == url("person", karim.pk)
    page = page_text(client.post(url("person_first_login", karim.pk)))
    link = re.search(r'value="(http://testserver/fr/reset/[^"]+)"', page).group(1)
    client.logout()
    response = client.get(link)
    assert response.status_code == 302  # Django hides the token behind set-password/
    form_url = response["Location"]
    assert client.get(form_url).context["validlink"]
    response = client.post(
        form_url, {"new_password1": "Argane-2024-souss", "new_password2": "Argane-2024-souss"}
    )
    assert response.status_code == 302 and response["Location"] == url("password_reset_complete")
    assert client.get(response["Location"]).status_code == 200
    karim.refresh_from_db()
    assert karim.check_password("Argane-2024-souss")
    used = client.get(link)  # works once only
    assert used.status_code == 200 and not used.context["validlink"]


def test_people_list_search_and_menu(client, admin, secretariat, places):
    home, neighbour, _elsewhere = places
    member("fatima", Role.VIEWER, province=home, region=home.region)
    member("youssef", Role.VIEWER, province=neighbour, region=neighbour.region)
    client.force_login(admin)
    text = page_text(client.get(url("people")))
    assert "fatima" in text and "youssef" in text and url("people") in text
    text = page_text(client.get(url("people") + "?q=FAT"))
    assert "fatima" in text and "youssef" not in text
    client.force_login(secretariat)
    text = page_text(client.get(url("people")))
    assert "fatima" in text and "youssef" not in text and "admin" not in text.split("</nav>", 1)[1]


def test_people_pages_are_closed_to_other_roles(client, admin, places):
    home = places[0]
    viewer = member("viewer", Role.VIEWER, province=home, region=home.region)
    far = member("far-sec", Role.SECRETARIAT, province=places[2], region=places[2].region)
    client.force_login(viewer)
    assert url("people") not in page_text(client.get(url("dashboard")))
    assert client.get(url("people")).status_code == 403
    assert client.get(url("person", viewer.pk)).status_code == 403
    assert client.post(url("person_first_login", viewer.pk)).status_code == 403
    client.force_login(far)
    assert client.get(url("person", viewer.pk)).status_code == 404
    assert client.post(url("person_first_login", viewer.pk)).status_code == 404
    assert client.post(url("person_active", viewer.pk), {"active": "0"}).status_code == 404
    viewer.refresh_from_db()
    assert viewer.is_active
    client.logout()
    assert client.get(url("people")).status_code == 302


def test_edit_and_deactivate_through_the_pages(client, admin, places):
    home = places[0]
    user = member("edited", Role.VIEWER, province=home, region=home.region)
    client.force_login(admin)
    response = client.post(
        url("person", user.pk), {"role": Role.SECRETARIAT, "region": home.region.pk, "province": home.pk}
    )
    assert response.status_code == 302
    user.membership.refresh_from_db()
    assert user.membership.role == Role.SECRETARIAT
    assert client.get(url("person_active", user.pk)).status_code == 200
    assert client.post(url("person_active", user.pk), {"active": "0"}).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    response = client.post(url("person_active", admin.pk), {"active": "0"})
    assert response.status_code == 200 and "alert-danger" in page_text(response)
    admin.refresh_from_db()
    assert admin.is_active
