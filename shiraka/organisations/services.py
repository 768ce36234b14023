from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shiraka.core.rules import refuse
from shiraka.core.services import check_field_names, validated_save, versioned_update
from shiraka.territory.models import Province, Region
from shiraka.territory.services import LoadReport, reference_rows, territories_load

from .models import Organisation, Person, territorial_body_code

ORGANISATION_FIELDS = {
    "name_ar",
    "name_fr",
    "name_en",
    "acronym",
    "kind",
    "reference_code",
    "region",
    "province",
    "commune",
    "parent",
}


@transaction.atomic
def organisation_create(*, by=None, **fields) -> Organisation:
    check_field_names(fields, ORGANISATION_FIELDS, "organisation")
    organisation = Organisation(**fields)
    if not (organisation.name_ar.strip() or organisation.name_fr.strip()):
        refuse("name_ar", _("Give the organisation's name in Arabic or in French."), "name_required")
    if organisation.province_id and not organisation.region_id:
        organisation.region_id = organisation.province.region_id
    return validated_save(organisation, by=by)


@transaction.atomic
def organisation_update(
    organisation: Organisation, *, expected_version: int, by=None, **changes
) -> Organisation:
    check_field_names(changes, ORGANISATION_FIELDS, "organisation")
    parent = changes.get("parent")
    while parent is not None:
        if parent.pk == organisation.pk:
            refuse("parent", _("An organisation cannot be inside itself."), "parent_cycle")
        parent = parent.parent
    return versioned_update(organisation, expected_version=expected_version, by=by, **changes)


@transaction.atomic
def person_create(
    *,
    full_name_ar: str = "",
    full_name_fr: str = "",
    title_ar: str = "",
    title_fr: str = "",
    organisation: Organisation | None = None,
    email: str = "",
    phone: str = "",
    by=None,
) -> Person:
    if not (full_name_ar.strip() or full_name_fr.strip()):
        refuse("full_name_ar", _("Give the person's name in Arabic or in French."), "name_required")
    person = Person(
        full_name_ar=full_name_ar.strip(),
        full_name_fr=full_name_fr.strip(),
        title_ar=title_ar,
        title_fr=title_fr,
        organisation=organisation,
        email=email,
        phone=phone,
    )
    return validated_save(person, by=by)


# Rows of institutions.csv that name a kind of body found in every territory (a regional
# council, a wilaya…) rather than one institution: they are created per territory below.
GENERIC_INSTITUTIONS = {
    "DRS",
    "DELEG-SANTE",
    "GST",
    "CHU",
    "WILAYA",
    "PROV-GOUV",
    "CR",
    "AREP",
    "CPP",
    "COMMUNE",
    "GCT",
    "CPDH",
}
INSTITUTION_KINDS = {
    "ministry": Organisation.Kind.MINISTRY,
    "central_directorate": Organisation.Kind.MINISTRY,
    "public_establishment": Organisation.Kind.PUBLIC_AGENCY,
    "regulator": Organisation.Kind.PUBLIC_AGENCY,
    "public_administration": Organisation.Kind.PUBLIC_AGENCY,
    "fund": Organisation.Kind.PUBLIC_AGENCY,
    "social_insurance": Organisation.Kind.PUBLIC_AGENCY,
    "foundation": Organisation.Kind.FOUNDATION,
    "foreign_foundation": Organisation.Kind.FOUNDATION,
    "professional_order": Organisation.Kind.ASSOCIATION,
    "association": Organisation.Kind.ASSOCIATION,
    "international_partner": Organisation.Kind.INTERNATIONAL,
}


# The three bodies of a region, then of a province: (reference code, kind, parent's reference code, and
# the Arabic, French and English names), as templates filled in with the territory's words.
Kind = Organisation.Kind
_REGION_BODIES = (
    ("{council}", Kind.REGIONAL_COUNCIL, None, "مجلس جهة {ar}", "Conseil de la région {fr}", "{en} Regional Council"),
    ("WILAYA-{code}", Kind.GOVERNORATE, "MI", "ولاية جهة {ar}", "Wilaya de la région {fr}", "Wilaya of {en}"),
    ("DRS-{code}", Kind.DECONCENTRATED_SERVICE, "MSPS", "المديرية الجهوية للصحة والحماية الاجتماعية بجهة {ar}",
     "Direction régionale de la santé — {fr}", "Regional Health Directorate — {en}"),
)  # fmt: skip
_PROVINCE_BODIES = (
    ("CPP-{code}", Kind.PROVINCIAL_COUNCIL, None, "مجلس {ar_unit} {ar}", "Conseil {council_fr} de {fr}",
     "{fr} {council_en} Council"),
    ("{governorate}", Kind.GOVERNORATE, "MI", "{ar_unit} {ar}", "{fr_unit} de {fr}", "{fr_unit} of {fr}"),
    ("DELEG-{code}", Kind.DECONCENTRATED_SERVICE, "MSPS", "المندوبية الإقليمية للصحة ب{ar_unit} {ar}",
     "Délégation de la santé — {fr}", "Health delegation — {fr}"),
)  # fmt: skip


def _bodies(table, place: dict, **words) -> list[dict]:
    return [
        {
            "reference_code": code.format(**words),
            "kind": kind,
            "name_ar": name_ar.format(**words),
            "name_fr": name_fr.format(**words),
            "name_en": name_en.format(**words),
            "parent": parent,
            **place,
        }
        for code, kind, parent, name_ar, name_fr, name_en in table
    ]


def _region_bodies(region) -> list[dict]:
    return _bodies(
        _REGION_BODIES,
        {"region_id": region.pk},
        code=region.code,
        council=territorial_body_code("region", region.code),
        ar=region.name_ar,
        fr=region.name_fr,
        en=region.name_en,
    )


def _province_bodies(province) -> list[dict]:
    prefecture = province.kind == "prefecture"
    ar_unit, fr_unit = ("عمالة", "Préfecture") if prefecture else ("إقليم", "Province")
    council_fr, council_en = ("préfectoral", "Prefecture") if prefecture else ("provincial", "Provincial")
    return _bodies(
        _PROVINCE_BODIES,
        {"region_id": province.region_id, "province_id": province.pk},
        code=province.code,
        governorate=territorial_body_code("province", province.code),
        ar=province.name_ar,
        fr=province.name_fr,
        ar_unit=ar_unit,
        fr_unit=fr_unit,
        council_fr=council_fr,
        council_en=council_en,
    )


def territorial_institutions() -> list[dict]:
    """The bodies every region and province has: council, wilaya or governorate, health service."""
    rows = [row for region in Region.objects.all() for row in _region_bodies(region)]
    return rows + [
        row for province in Province.objects.select_related("region") for row in _province_bodies(province)
    ]


def institutions_load(csv_rows: list[dict]) -> int:
    rows = []
    for r in csv_rows:
        if r["id"] in GENERIC_INSTITUTIONS:
            continue
        kind = Organisation.Kind.INDH if r["id"] == "INDH" else INSTITUTION_KINDS.get(r["kind"], "other")
        rows.append(
            {
                "reference_code": r["id"],
                "kind": kind,
                "name_ar": r["name_ar"],
                "name_fr": r["name_fr"],
                "name_en": r["name_en"],
                "acronym": r["acronym"],
                "parent": r["parent_id"] or None,
            }
        )
    rows += territorial_institutions()
    existing = {o.reference_code: o for o in Organisation.objects.filter(reference_code__isnull=False)}
    fields = ["kind", "name_ar", "name_fr", "name_en", "acronym", "region_id", "province_id"]
    new, changed = [], []
    for row in rows:
        values = {name: row.get(name, "" if name in {"acronym"} else None) for name in fields}
        obj = existing.get(row["reference_code"])
        if obj is None:
            new.append(Organisation(reference_code=row["reference_code"], **values))
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            changed.append(obj)
    # Reference rows are not user edits: no history rows for them.
    Organisation.objects.bulk_create(new, batch_size=500)
    if changed:
        Organisation.objects.bulk_update(changed, fields, batch_size=500)
    by_code = {o.reference_code: o for o in Organisation.objects.filter(reference_code__isnull=False)}
    parents = []
    for row in rows:
        parent = by_code.get(row["parent"]) if row.get("parent") else None
        obj = by_code[row["reference_code"]]
        if obj.parent_id != (parent.pk if parent else None):
            obj.parent = parent
            parents.append(obj)
    if parents:
        Organisation.objects.bulk_update(parents, ["parent"], batch_size=500)
    return len(rows)


def commune_organisation_ensure(commune, *, by=None) -> Organisation:
    """The commune as a partner organisation, created the first time it is needed."""
    code = territorial_body_code("commune", commune.code)
    existing = Organisation.objects.filter(reference_code=code).first()
    if existing:
        return existing
    return organisation_create(
        reference_code=code,
        kind=Organisation.Kind.COMMUNE,
        name_ar=f"جماعة {commune.name_ar}",
        name_fr=f"Commune de {commune.name_fr}",
        name_en=f"{commune.name_fr} commune",
        commune=commune,
        province=commune.province,
        region=commune.province.region,
        by=by,
    )


@transaction.atomic
def reference_load() -> LoadReport:
    """Every reference record: the territories, then the national institutions and the councils,
    wilayas, governorates and health services of every region and province. Idempotent."""
    report = territories_load()
    report.organisations = institutions_load(reference_rows("institutions.csv"))
    return report
