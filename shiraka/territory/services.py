"""Loads the reference data kept in `territory/data/` (sources and licences in the README).

Idempotent: a second run updates the same rows, keyed by official codes, and creates nothing new."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from shiraka.core.cache import bump_data_version

from .models import Commune, HealthFacilityType, Province, Region

DATA_DIR = Path(__file__).resolve().parent / "data"


def reference_rows(name: str) -> list[dict]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value else None


def _census(row: dict) -> dict:
    """The RGPH 2014 and 2024 figures every territory row carries."""
    return {name: _int(row[name]) for name in ("population_2014", "population_2024", "households_2024")}


@dataclass
class LoadReport:
    regions: int = 0
    provinces: int = 0
    communes: int = 0
    facility_types: int = 0
    organisations: int = 0

    def __str__(self) -> str:
        return (
            f"{self.regions} regions, {self.provinces} provinces and prefectures, {self.communes} communes, "
            f"{self.facility_types} facility types, {self.organisations} institutions"
        )


def _upsert(model, key: str, records: list[dict]) -> int:
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    new, changed = [], []
    fields = [name for name in records[0] if name != key] if records else []
    for record in records:
        obj = existing.get(record[key])
        if obj is None:
            new.append(model(**record))
            continue
        if any(getattr(obj, name) != record[name] for name in fields):
            for name in fields:
                setattr(obj, name, record[name])
            changed.append(obj)
    model.objects.bulk_create(new, batch_size=500)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=500)
    if new or changed:
        # Bulk writes send no signal: the names that figures and choices keep are stale (the epoch).
        bump_data_version()
    return len(records)


# Model field ← column of the reference file, for each kind of territory.
REGION_COLUMNS = {
    "code": "code", "iso_code": "iso_3166_2", "name_ar": "name_ar", "name_fr": "name_fr", "name_en": "name_en",
    "capital_ar": "capital_ar", "capital_fr": "capital_fr",
}  # fmt: skip
PROVINCE_COLUMNS = {
    "code": "code", "iso_code": "iso_3166_2", "slug": "slug", "name_ar": "name_ar", "name_fr": "name_fr",
    "kind": "kind",
}  # fmt: skip
COMMUNE_COLUMNS = {"code": "code", "slug": "slug", "name_ar": "name_ar", "name_fr": "name_fr", "kind": "kind"}
FACILITY_TYPE_COLUMNS = {
    "code": "code", "abbreviation": "abbr_fr", "name_ar": "name_ar", "name_fr": "name_fr", "name_en": "name_en",
}  # fmt: skip


def _load(model, name: str, columns: dict[str, str], extra=lambda row: {}) -> int:
    """The rows of reference file `name` written by code: `columns` gives the fields read as they are,
    `extra(row)` the others."""
    records = [
        {field: row[column] for field, column in columns.items()} | extra(row) for row in reference_rows(name)
    ]
    return _upsert(model, "code", records)


def _inside(parent, column: str, field: str):
    """The extra fields of a territory in a `parent` already loaded: the parent's id, found by the code
    in `column`, and the census."""
    ids = dict(parent.objects.values_list("code", "pk"))
    return lambda row: {field: ids[row[column]], **_census(row)}


def _care(row: dict) -> dict:
    return {"network": row["network"][:80], "care_level": row["care_level"][:80]}


@transaction.atomic
def territories_load(report: LoadReport | None = None) -> LoadReport:
    """Regions, provinces and prefectures, communes and facility types; the institutions that sit on
    them are loaded by `shiraka.organisations.services.reference_load`."""
    report = report or LoadReport()
    report.regions = _load(Region, "regions.csv", REGION_COLUMNS, _census)
    report.provinces = _load(
        Province, "provinces.csv", PROVINCE_COLUMNS, _inside(Region, "region_code", "region_id")
    )
    report.communes = _load(
        Commune, "communes.csv", COMMUNE_COLUMNS, _inside(Province, "province_code", "province_id")
    )
    report.facility_types = _load(
        HealthFacilityType, "health_facility_types.csv", FACILITY_TYPE_COLUMNS, _care
    )
    return report
