"""The role matrix through the API: every unsafe operation of /api/v1/ × every role, with a token of
that role's user. An allowed call answers 2xx and writes; a refused one answers 401 (no token), 403 (a
visible record the role may not change) or 422 (a territory outside the caller's scope) and changes
NOTHING (row counts and watched fields of the whole world compared before and after). The policy is
the one of the pages (tests/accounts/test_role_matrix.py)."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.factories import api_call, api_token

from .world import (
    ADMINISTRATOR,
    ANONYMOUS,
    FOCAL_POINT_OWN,
    PROJECT_EDITOR_OWN,
    ROLES,
    SECRETARIAT_IN,
    SECRETARIAT_OUT,
    World,
    build_world,
    user_for,
)

pytestmark = pytest.mark.django_db

KEEPERS = frozenset({ADMINISTRATOR, SECRETARIAT_IN})
TRANSFER_RECORDERS = KEEPERS | {FOCAL_POINT_OWN}
PROJECT_TEAM = KEEPERS | {PROJECT_EDITOR_OWN}


@dataclass
class Operation:
    method: str
    template: str  # the path as the OpenAPI schema writes it
    path: Callable[[World], str]
    body: Callable[[World], dict]
    allowed: frozenset


OPERATIONS = {
    "agreement_create": Operation(
        "post",
        "agreements",
        lambda w: "agreements",
        lambda w: {"reference": "API-NEW", "kind": "partnership", "province": w.province.pk},
        KEEPERS,
    ),
    "agreement_edit": Operation(
        "patch",
        "agreements/{reference}",
        lambda w: f"agreements/{w.agreement.reference}",
        lambda w: {"version": w.agreement.version, "title_fr": "Titre par l'API"},
        KEEPERS,
    ),
    "agreement_status": Operation(
        "post",
        "agreements/{reference}/status",
        lambda w: f"agreements/{w.agreement.reference}/status",
        lambda w: {"version": w.agreement.version, "status": "suspended", "reason": "arrêt"},
        KEEPERS,
    ),
    "partnership_add": Operation(
        "post",
        "agreements/{reference}/partnerships",
        lambda w: f"agreements/{w.agreement.reference}/partnerships",
        lambda w: {"organisation": w.third.pk, "committed_amount": "1000.00"},
        KEEPERS,
    ),
    "partnership_edit": Operation(
        "patch",
        "partnerships/{pk}",
        lambda w: f"partnerships/{w.partnership.pk}",
        lambda w: {"version": w.partnership.version, "committed_amount": "410000.00"},
        KEEPERS,
    ),
    "contribution_add": Operation(
        "post",
        "partnerships/{pk}/schedule",
        lambda w: f"partnerships/{w.partnership.pk}/schedule",
        lambda w: {"due_on": "2025-01-01", "amount": "1000.00"},
        KEEPERS,
    ),
    "contribution_edit": Operation(
        "patch",
        "schedule/{pk}",
        lambda w: f"schedule/{w.contribution.pk}",
        lambda w: {"version": w.contribution.version, "amount": "1.00"},
        KEEPERS,
    ),
    "transfer_add": Operation(
        "post",
        "partnerships/{pk}/transfers",
        lambda w: f"partnerships/{w.partnership.pk}/transfers",
        lambda w: {"transferred_on": "2024-06-01", "amount": "500.00"},
        TRANSFER_RECORDERS,
    ),
    "transfer_cancel": Operation(
        "post",
        "transfers/{pk}/cancel",
        lambda w: f"transfers/{w.transfer.pk}/cancel",
        lambda w: {"version": w.transfer.version, "reason": "saisi deux fois"},
        TRANSFER_RECORDERS,
    ),
    "project_add": Operation(
        "post",
        "projects",
        lambda w: "projects",
        lambda w: {
            "agreement": w.agreement.reference,
            "reference": "API-P9",
            "title_fr": "Unité mobile",
            "category": "health_centre",
        },
        KEEPERS,
    ),
    "project_edit": Operation(
        "patch",
        "projects/{reference}",
        lambda w: f"projects/{w.project.reference}",
        lambda w: {"version": w.project.version, "title_fr": "Titre par l'API"},
        PROJECT_TEAM,
    ),
    "project_status": Operation(
        "post",
        "projects/{reference}/status",
        lambda w: f"projects/{w.project.reference}/status",
        lambda w: {"version": w.project.version, "status": "suspended", "reason": "arrêt"},
        PROJECT_TEAM,
    ),
    "milestone_add": Operation(
        "post",
        "projects/{reference}/milestones",
        lambda w: f"projects/{w.project.reference}/milestones",
        lambda w: {"kind": "tender", "planned_on": "2025-03-01"},
        PROJECT_TEAM,
    ),
    "milestone_edit": Operation(
        "patch",
        "milestones/{pk}",
        lambda w: f"milestones/{w.milestone.pk}",
        lambda w: {"version": w.milestone.version, "achieved_on": "2024-04-02"},
        PROJECT_TEAM,
    ),
    "progress_add": Operation(
        "post",
        "projects/{reference}/progress",
        lambda w: f"projects/{w.project.reference}/progress",
        lambda w: {"reported_on": "2024-06-15", "physical_progress": 90},
        PROJECT_TEAM,
    ),
    "progress_edit": Operation(
        "patch",
        "progress/{pk}",
        lambda w: f"progress/{w.progress.pk}",
        lambda w: {"version": w.progress.version, "note": "corrigé"},
        PROJECT_TEAM,
    ),
}


@pytest.fixture
def world(reference) -> World:
    return build_world()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_api_write_by_role(client, world, name, role):
    operation = OPERATIONS[name]
    user = user_for(role, world)
    token = api_token(user) if user is not None else None
    before = world.snapshot()
    response = api_call(
        client, operation.method, operation.path(world), token=token, body=operation.body(world)
    )
    if role in operation.allowed:
        assert response.status_code in (200, 201), (name, role, response.content)
        assert world.snapshot() != before
        return
    expected = (
        401 if role == ANONYMOUS else (422 if (name, role) == ("agreement_create", SECRETARIAT_OUT) else 403)
    )
    assert response.status_code == expected, (name, role, response.content)
    assert response.json()["code"] in {"unauthenticated", "forbidden", "invalid"}
    assert world.snapshot() == before


def test_every_unsafe_api_operation_is_in_the_matrix():
    """A new write of the API must take its place in OPERATIONS."""
    from shiraka.api.main import api

    schema = api.get_openapi_schema()
    unsafe = {
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"post", "patch", "put", "delete"}
    }
    covered = {(op.method, f"/api/v1/{op.template}") for op in OPERATIONS.values()}
    assert unsafe == covered
