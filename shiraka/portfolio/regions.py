"""Figures kept by region: the parts a whole-portfolio figure is cut into, so that after a write in
one region the sums of the others are read from the cache instead of being computed again.

A part is a region's key, or None for the agreements without a region; under `core.cache` it is
named by `part_name`. The writers report the agreements they changed, `bump_regions_of` moves the
versions of those agreements' regions as the write commits."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet

from shiraka.agreements.models import Agreement
from shiraka.core import cache
from shiraka.core.querying import prepared_rows
from shiraka.territory.models import Region

NO_REGION = "none"


def region_parts() -> list:
    """Every part: each region's key in order, then None."""
    return [*Region.objects.order_by("pk").values_list("pk", flat=True), None]


def part_name(part: int | None) -> str:
    return NO_REGION if part is None else str(part)


def in_regions(rows: QuerySet, parts: list, field: str = "region") -> QuerySet:
    """The rows of `rows` whose `field` (a region link) is one of `parts` (None: no region)."""
    known = [part for part in parts if part is not None]
    wanted = Q(**{f"{field}__in": known}) if known else Q(pk__in=[])
    if None in parts:
        wanted |= Q(**{f"{field}__isnull": True})
    return rows.filter(wanted)


def bump_regions_of(kinds: Iterable[str], agreement_ids) -> None:
    """Move the versions of the parts of each kind in `kinds` holding these agreements, in the write's
    transaction (`core.kept`); None: every part of those kinds (a bulk write, a rebuild), and the data
    version of the figures cached whole, now and once committed."""
    if agreement_ids is None:
        regions = [part_name(part) for part in region_parts()]
        cache.bump_cached_version()
        transaction.on_commit(cache.bump_cached_version)
    else:
        regions = {part_name(region) for region in _regions_of(list(agreement_ids))}
    cache.bump_parts({kind: regions for kind in kinds})


def _regions_of(agreement_ids: list) -> list:
    if len(agreement_ids) == 1:  # a write's usual case, asked twice by each: compiled once per process
        return prepared_rows(
            "agreement-region",
            lambda pk: Agreement.objects.filter(pk=pk).values_list("region", flat=True),
            agreement_ids[0],
        )
    return list(Agreement.objects.filter(pk__in=agreement_ids).values_list("region", flat=True))
