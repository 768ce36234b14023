"""Small builders for tests: real services, minimal data."""

from datetime import date
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model

from shiraka.accounts.models import Membership
from shiraka.agreements import services as agreements
from shiraka.followup import services as followup
from shiraka.organisations.models import Organisation
from shiraka.organisations.services import organisation_create
from shiraka.projects import services as projects
from shiraka.territory.models import Province

_numbers = count(1)


def organisation(name: str = "", kind: str = Organisation.Kind.MINISTRY) -> Organisation:
    number = next(_numbers)
    return organisation_create(name_fr=name or f"Partenaire {number}", name_ar=f"شريك {number}", kind=kind)


def agreement(total="1000000.00", **fields):
    number = next(_numbers)
    defaults = {
        "reference": f"T-{number}", "kind": "partnership", "title_fr": f"Convention {number}",
        "signed_on": date(2024, 1, 15), "total_amount": Decimal(total) if total is not None else None,
    }
    defaults.update(fields)
    status = defaults.pop("status", "signed")
    return agreements.agreement_create(status=status, **defaults)


def partnership(agreement_=None, committed="400000.00", **fields):
    return agreements.partnership_commit(
        agreement=agreement_ or agreement(), organisation=organisation(),
        committed_amount=Decimal(committed) if committed is not None else None, **fields,
    )


# --- follow-up: small hand-built cases for the alert rules, one agreement at a time ------------------

TODAY = date(2025, 6, 30)


def province(code: str = "09.273") -> Province:
    return Province.objects.select_related("region").get(code=code)


def agreement_in_province(total="1000000.00", code: str = "09.273", **fields):
    """An agreement in execution, placed in a province of the reference data."""
    place = province(code)
    return agreement(total=total, region=place.region, province=place, status="in_execution", **fields)


def project(agreement_, *, status="works", budget="100000.00", **fields):
    number = agreement_.projects.count() + 1
    return projects.project_create(
        agreement=agreement_,
        reference=f"{agreement_.reference}-P{number}",
        title_fr=f"Projet {number}",
        title_ar=f"مشروع {number}",
        category="health_centre",
        budget=Decimal(budget),
        status=status,
        **fields,
    )


def partner_with_schedule(agreement_, *, committed="400000.00", due=(), transfers=(), name=""):
    partnership = agreements.partnership_commit(
        agreement=agreement_,
        organisation=organisation(name),
        committed_amount=Decimal(committed),
    )
    for due_on, amount in due:
        agreements.contribution_schedule(partnership=partnership, due_on=due_on, amount=Decimal(amount))
    for transferred_on, amount in transfers:
        agreements.transfer_record(
            partnership=partnership, transferred_on=transferred_on, amount=Decimal(amount)
        )
    return partnership


def committee(agreements_=(), *, name="Comité de suivi test", code="09.273", members=()):
    return followup.committee_create(
        kind="supervision",
        name_fr=name,
        name_ar="لجنة التتبع",
        province=province(code),
        agreements=list(agreements_),
        members=members,
    )


def user_with_role(username: str, role: str, *, email: str = "", organisation=None, **scope):
    user = get_user_model().objects.create_user(username, email=email, password="a-long-test-password")
    Membership.objects.create(user=user, role=role, organisation=organisation, **scope)
    return user
