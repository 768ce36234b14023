"""Small builders for tests: real services, minimal data."""

from datetime import date
from decimal import Decimal
from itertools import count

from shiraka.agreements import services as agreements
from shiraka.organisations.models import Organisation
from shiraka.organisations.services import organisation_create

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
