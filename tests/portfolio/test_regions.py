"""The parts figures are kept by: every region and the agreements without one; a write moves the
versions of its agreement's region only, as it commits."""

import pytest
from django.db import transaction

from shiraka.agreements.models import Agreement
from shiraka.core import cache
from shiraka.portfolio.regions import bump_regions_of, in_regions, part_name, region_parts
from shiraka.territory.models import Region
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_region_is_a_part_and_so_are_agreements_without_one():
    parts = region_parts()
    assert parts[-1] is None
    assert parts[:-1] == sorted(Region.objects.values_list("pk", flat=True))
    assert [part_name(parts[0]), part_name(None)] == [str(parts[0]), "none"]


def test_rows_of_some_parts():
    region, other = Region.objects.order_by("pk")[:2]
    placed = factories.agreement(region=region)
    elsewhere = factories.agreement(region=other)
    nowhere = factories.agreement()
    agreements = Agreement.objects.filter(pk__in=[placed.pk, elsewhere.pk, nowhere.pk])

    def found(parts, field="region"):
        return set(in_regions(agreements, parts, field).values_list("pk", flat=True))

    assert found([region.pk]) == {placed.pk}
    assert found([None]) == {nowhere.pk}
    assert found([region.pk, None], "region_id") == {placed.pk, nowhere.pk}
    assert found([]) == set()


def test_a_write_moves_its_region_only_and_a_write_rolled_back_moves_none():
    region, other = Region.objects.order_by("pk")[:2]
    written = factories.agreement(region=region)
    names = [part_name(region.pk), part_name(other.pk), "none"]
    before = cache.part_versions("test-kind", names)
    with transaction.atomic():
        bump_regions_of(["test-kind", "other-kind"], [written.pk])
    now = cache.part_versions("test-kind", names)
    assert now[names[0]] != before[names[0]]
    assert now[names[1]] == before[names[1]] and now["none"] == before["none"]
    assert cache.part_versions("other-kind", names)[names[0]] != before[names[0]]
    with transaction.atomic():
        bump_regions_of(["test-kind"], [written.pk])
        transaction.set_rollback(True)
    assert cache.part_versions("test-kind", names) == now


def test_no_agreements_named_means_every_part_of_those_kinds_is_stale():
    names = [part_name(part) for part in region_parts()]
    before = {kind: cache.part_versions(kind, names) for kind in ("test-kind", "other-kind")}
    epoch = cache.figures_epoch()
    bump_regions_of(["test-kind"], None)
    after = cache.part_versions("test-kind", names)
    assert all(after[name] != before["test-kind"][name] for name in names)
    # Parts of other kinds (another layer's sums) and the epoch stay as they were.
    assert cache.part_versions("other-kind", names) == before["other-kind"]
    assert cache.figures_epoch() == epoch
