"""The bulk path's checks give, row by row, the errors that `full_clean()` gives one object at a
time, though it cleans each distinct value of a column once."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shiraka.core.bulk import bulk_full_clean
from shiraka.projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


def one_by_one(objects) -> dict[int, dict]:
    found = {}
    for index, obj in enumerate(objects):
        try:
            obj.full_clean()
        except ValidationError as error:
            found[index] = error.message_dict
    return found


def test_bulk_checks_name_the_same_errors_as_full_clean(reference):
    agreement = factories.agreement_in_province(reference="BULK-CHECK")

    def project(number: int, **fields) -> Project:
        values = {"reference": f"BULK-CHECK-P{number}", "category": "health_centre", "title_fr": "Centre"}
        return Project(**({"agreement": agreement} | values | fields))

    objects = [
        project(1, budget=Decimal("1.0")),
        project(2, budget=Decimal("1.0")),  # the same value: its result is reused
        project(3, budget=Decimal("1.000")),  # equal to 1.0, but three decimals
        project(4, budget=Decimal("1.00")),
        project(5, title_fr="Cen\x00tre"),  # NUL, refused for PostgreSQL's sake
        project(6, title_fr="Cen\x00tre"),
        project(7, category="castle"),  # not a choice
        project(8, category="castle"),
        project(9, reference="R" * 61),  # too long
        project(10, physical_progress=101),  # above 100: the check constraint
        project(11, physical_progress=-1),
        project(12, agreement=None),
        project(13),
    ]
    expected = one_by_one(objects)
    assert sorted(expected) == [4, 5, 6, 7, 8, 9, 10, 11]
    bulk = {index: error.message_dict for index, error in bulk_full_clean(objects).items()}
    assert bulk == expected
    assert objects[3].budget == Decimal("1.00") and objects[0].budget == Decimal("1.0")
