"""The bulk path's checks give, row by row, the errors that `full_clean()` gives one object at a
time, though it cleans each distinct value of a column once."""

import gc
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shiraka.core.bulk import (
    assign_ids,
    bulk_full_clean,
    collector_paused,
    insert_history,
    insert_rows,
    insert_with_history,
    new_object,
    stamp,
)
from shiraka.exchange.models import ImportJob
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


def test_values_kept_without_cleaning_are_those_full_clean_keeps(reference):
    """Plain text and amounts in centimes skip the per-value cleaning (`_kept_as_is`): every
    awkward value still gets full_clean's error, and the kept ones end equal to full_clean's."""
    agreement = factories.agreement_in_province(reference="BULK-KEPT")
    awkward = [
        {"title_fr": "T" * 500},  # at the limit
        {"title_fr": "T" * 501},  # one over
        {"title_fr": ""},  # blank is allowed
        {"title_fr": "   "},
        {"title_fr": "Cen\x00tre"},
        {"title_ar": "مستشفى\u0640"},
        {"title_ar": 12},  # not a text: cleaned to "12"
        {"budget": Decimal("-0.00")},
        {"budget": Decimal("-1.00")},
        {"budget": Decimal("999999999999.99")},  # the largest amount
        {"budget": Decimal("1000000000000.00")},
        {"budget": Decimal("1.005")},
        {"budget": Decimal("7E+2")},  # no centimes written: cleaned to 700.00
        {"budget": Decimal("NaN")},
    ]

    def batch() -> list[Project]:
        return [
            Project(agreement=agreement, reference=f"BULK-KEPT-{n}", category="health_centre", **fields)
            for n, fields in enumerate(awkward)
        ]

    alone, together = batch(), batch()
    expected = one_by_one(alone)
    assert sorted(expected) == [1, 4, 8, 10, 11, 13]
    assert {index: error.message_dict for index, error in bulk_full_clean(together).items()} == expected
    for index, (single, bulk) in enumerate(zip(alone, together, strict=True)):
        if index not in expected:
            for name in ("title_ar", "title_fr", "budget"):
                assert getattr(bulk, name) == getattr(single, name), (index, name)
                assert str(getattr(bulk, name)) == str(getattr(single, name)), (index, name)


@pytest.mark.parametrize(
    "values",
    [
        {"reference": "NEW-1", "category": "health_centre"},
        {"reference": "NEW-2", "region_id": None, "budget": Decimal("5.00"), "status": "works"},
        {"reference": "NEW-3", "province": None, "owner": None},
    ],
)
def test_new_object_is_the_object_django_builds(reference, values):
    agreement = factories.agreement_in_province(reference="BULK-NEW")
    province = factories.province()
    for given in ({"agreement": agreement, "province": province}, {"agreement_id": agreement.pk}):
        fields = given | values
        fast, django_built = new_object(Project, **fields), Project(**fields)
        assert {k: v for k, v in vars(fast).items() if k != "_state"} == {
            k: v for k, v in vars(django_built).items() if k != "_state"
        }
        assert fast._state.fields_cache == django_built._state.fields_cache
        assert (fast._state.adding, fast._state.db) == (True, None)
    # A default called each time (a dict) is a new dict for each object, as Django gives.
    user = factories.user_with_role("bulk-new", "admin")
    first, second = (new_object(ImportJob, user=user, file_name="f.xlsx") for _ in range(2))
    assert first.report == {} and first.report is not second.report and first.id != second.id


def test_new_object_refuses_what_django_refuses(reference):
    agreement = factories.agreement_in_province(reference="BULK-REFUSED")
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'colour'"):
        new_object(Project, agreement=agreement, colour="red")
    with pytest.raises(ValueError, match='must be a "Agreement" instance'):
        new_object(Project, agreement=factories.province())
    built = new_object(Project, agreement=agreement, pk=7)  # a property: Django's constructor sets it
    assert built.id == 7


def _written(model, references) -> tuple[list, list]:
    """Each row and its history row, without what differs between two writes of the same values."""
    skipped = {"id", "reference", "history_id", "history_date", "created_at", "updated_at"}
    rows = model.objects.filter(reference__in=references).order_by("reference").values()
    history = model.history.filter(reference__in=references).order_by("reference").values()
    return (
        [{k: v for k, v in row.items() if k not in skipped} for row in rows],
        [{k: v for k, v in row.items() if k not in skipped} for row in history],
    )


def test_rows_and_history_made_once_are_those_made_twice(reference):
    """`insert_with_history` makes each object's values once for its table and its history table
    (which leaves a project's search text out); what it writes is what the two writers write."""
    agreement = factories.agreement_in_province(reference="BULK-TWICE")
    province = factories.province()
    user = factories.user_with_role("bulk-twice", "admin")

    def batch(prefix: str) -> list[Project]:
        objects = [
            new_object(
                Project,
                agreement=agreement,
                province=province,
                reference=f"{prefix}-{n}",
                title_fr=f"Centre {n}",
                category="health_centre",
                budget=Decimal(n) * 1000 + Decimal("0.25") if n % 2 else None,
                planned_start=date(2025, 1, n + 1),
                search_text=f"centre {n}",
            )
            for n in range(4)
        ]
        for obj in objects:
            obj._history_user = user
        assign_ids(Project, objects)
        stamp(Project, objects)
        return objects

    assert insert_with_history(Project, batch("ONCE")) == 8
    insert_rows(Project, twice := batch("TWICE"))
    insert_history(Project, twice)
    once_rows, once_history = _written(Project, [f"ONCE-{n}" for n in range(4)])
    twice_rows, twice_history = _written(Project, [f"TWICE-{n}" for n in range(4)])
    assert once_rows == twice_rows and once_history == twice_history
    assert [row["budget"] for row in once_rows] == [None, Decimal("1000.25"), None, Decimal("3000.25")]
    assert {row["history_user_id"] for row in once_history} == {user.pk}
    assert "search_text" not in once_history[0] and once_rows[0]["search_text"] == "centre 0"
    saved = Project.objects.get(reference="ONCE-1")
    assert saved.history.get().created_at == saved.created_at


def test_references_known_absent_are_compared_within_the_batch_only(reference):
    """An import has just looked its new references up: `absent` spares the second question to the
    database, and a reference twice in the batch is still refused on its second row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agreement = factories.agreement_in_province(reference="BULK-ABSENT")

    def batch() -> list[Project]:
        return [
            Project(agreement=agreement, reference=reference, category="health_centre")
            for reference in ("ABSENT-1", "ABSENT-2", "ABSENT-1")
        ]

    with CaptureQueriesContext(connection) as asked:
        found = bulk_full_clean(batch())
    with CaptureQueriesContext(connection) as spared:
        known = bulk_full_clean(batch(), absent=("reference",))
    assert sorted(found) == sorted(known) == [2]
    assert known[2].message_dict == found[2].message_dict
    assert "ABSENT-2" in " ".join(q["sql"] for q in asked.captured_queries)
    assert "ABSENT-2" not in " ".join(q["sql"] for q in spared.captured_queries)
    assert len(spared.captured_queries) == len(asked.captured_queries) - 1


def test_the_collector_is_held_off_inside_a_bulk_path_and_resumes_as_it_was():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner one leaves it off
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a process that runs without it keeps running without it
    finally:
        gc.enable()


def test_the_collector_resumes_when_the_bulk_path_fails():
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a bad row")
    assert gc.isenabled()
