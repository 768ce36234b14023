"""Writes through /api/v1/: the forms' services, rules, history and permissions, whatever the door."""

import pytest

from shiraka.accounts.models import Membership
from shiraka.agreements.models import Agreement, Transfer
from shiraka.projects.models import Project
from tests import factories as f

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def case(reference):
    agreement = f.agreement_in_province(total="1000000.00")
    own = f.partner_with_schedule(agreement, committed="400000.00")
    other = f.partner_with_schedule(agreement, committed="300000.00")
    return agreement, own, other


def test_a_secretariat_registers_an_agreement_with_history(client, case):
    agreement, _own, _other = case
    user = f.member(Role.SECRETARIAT, province=agreement.province, region=agreement.region)
    body = {
        "reference": "API-2025-001",
        "kind": "partnership",
        "title_fr": "Convention par l'API",
        "province": agreement.province_id,
        "region": agreement.region_id,
        "total_amount": "2500000.50",
        "signed_on": "2025-01-10",
        "status": "signed",
    }
    response = f.api_call(client, "post", "agreements", token=f.api_token(user), body=body)
    assert response.status_code == 201, response.content
    created = Agreement.objects.get(reference="API-2025-001")
    assert str(created.total_amount) == "2500000.50"
    assert created.history.latest().history_user == user
    assert response.json()["version"] == 1


def test_an_agreement_of_another_territory_is_refused_and_nothing_is_written(client, case):
    agreement, _own, _other = case
    user = f.member(Role.SECRETARIAT, province=agreement.province, region=agreement.region)
    other_province = type(agreement.province).objects.exclude(region=agreement.region).first()
    body = {"reference": "API-OUT", "kind": "partnership", "province": other_province.pk}
    response = f.api_call(client, "post", "agreements", token=f.api_token(user), body=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "out_of_scope"
    assert not Agreement.objects.filter(reference="API-OUT").exists()


def test_writes_need_a_token(client, case):
    agreement, _own, _other = case
    response = f.api_call(client, "patch", f"agreements/{agreement.reference}", body={"version": 1})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_stale_version_is_refused_with_409_and_nothing_changes(client, case):
    agreement, _own, _other = case
    token = f.api_token(f.member(Role.ADMINISTRATOR))
    path = f"agreements/{agreement.reference}"
    first = f.api_call(
        client, "patch", path, token=token, body={"version": agreement.version, "title_fr": "A"}
    )
    assert first.status_code == 200 and first.json()["version"] == agreement.version + 1
    stale = f.api_call(
        client, "patch", path, token=token, body={"version": agreement.version, "title_fr": "B"}
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == agreement.version + 1
    agreement.refresh_from_db()
    assert agreement.title_fr == "A"


def test_a_domain_rule_is_a_422_with_the_field_and_message(client, case):
    agreement, own, _other = case
    token = f.api_token(f.member(Role.ADMINISTRATOR))
    body = {"transferred_on": "2024-05-01", "amount": "999999.00"}
    response = f.api_call(client, "post", f"partnerships/{own.pk}/transfers", token=token, body=body)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "amount" and error["code"] == "transfer_above_owed"
    assert not Transfer.objects.exists()


def test_a_focal_point_records_its_own_transfer_but_not_another_organisations(client, case):
    agreement, own, other = case
    user = f.member(Role.FOCAL_POINT, organisation=own.organisation)
    token = f.api_token(user)
    body = {"transferred_on": "2024-05-01", "amount": "1000.00", "reference": "VIR-1"}
    mine = f.api_call(client, "post", f"partnerships/{own.pk}/transfers", token=token, body=body)
    assert mine.status_code == 201
    theirs = f.api_call(client, "post", f"partnerships/{other.pk}/transfers", token=token, body=body)
    assert theirs.status_code == 403
    assert Transfer.objects.filter(partnership=other).count() == 0
    assert Transfer.objects.get(partnership=own).recorded_by == user


def test_a_project_editor_reports_progress_on_its_own_project(client, case):
    agreement, own, _other = case
    project = f.project(agreement, owner=own.organisation)
    user = f.member(Role.PROJECT_EDITOR, organisation=own.organisation)
    token = f.api_token(user)
    body = {"reported_on": "2024-06-01", "physical_progress": 35, "note": "gros œuvre"}
    response = f.api_call(client, "post", f"projects/{project.reference}/progress", token=token, body=body)
    assert response.status_code == 201
    project.refresh_from_db()
    assert project.physical_progress == 35


def test_a_project_is_created_with_its_communes(client, case):
    agreement, own, _other = case
    token = f.api_token(f.member(Role.ADMINISTRATOR))
    commune = agreement.province.communes.order_by("code").first()
    body = {
        "agreement": agreement.reference,
        "reference": "API-P1",
        "title_fr": "Centre de santé",
        "category": "health_centre",
        "budget": "100000",
        "communes": [commune.code],
    }
    response = f.api_call(client, "post", "projects", token=token, body=body)
    assert response.status_code == 201, response.content
    assert response.json()["communes"] == [commune.code]
    assert Project.objects.get(reference="API-P1").province == agreement.province


def test_invalid_values_are_refused_before_any_write(client, case):
    agreement, own, _other = case
    token = f.api_token(f.member(Role.ADMINISTRATOR))
    bodies = [
        {"transferred_on": "2024-13-45", "amount": "10"},
        {"transferred_on": "2024-05-01", "amount": "1e400"},
        {"transferred_on": "2024-05-01", "amount": "-5"},
        {"transferred_on": "2024-05-01", "amount": "10", "note": "\x00"},
        {"transferred_on": "2024-05-01"},
    ]
    for body in bodies:
        response = f.api_call(client, "post", f"partnerships/{own.pk}/transfers", token=token, body=body)
        assert response.status_code == 422, body
    assert not Transfer.objects.exists()
    unreadable = client.post(
        f"/api/v1/partnerships/{own.pk}/transfers",
        data="{",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert unreadable.status_code == 400 and unreadable.json()["code"] == "bad_request"


def test_status_change_follows_the_forms_path(client, case):
    agreement, _own, _other = case
    token = f.api_token(f.member(Role.ADMINISTRATOR))
    path = f"agreements/{agreement.reference}/status"
    response = f.api_call(
        client, "post", path, token=token, body={"version": agreement.version, "status": "suspended"}
    )
    assert response.status_code == 422
    assert (
        response.json()["errors"][0]["field"] == "status_reason"
        or "reason" in response.json()["errors"][0]["field"]
    )
    body = {"version": agreement.version, "status": "suspended", "reason": "travaux arrêtés"}
    assert f.api_call(client, "post", path, token=token, body=body).status_code == 200
    assert Agreement.objects.get(pk=agreement.pk).status == "suspended"
