"""The names a press text gives, compared with what is recorded: regions, provinces and communes
(`TerritoryIndex`), organisations (`OrganisationIndex`), programmes and people; and guesses, from their
words, of an organisation's kind and a project's category. Everything here reads; nothing writes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from shiraka.agreements.models import Programme
from shiraka.core.text import fold, name_key
from shiraka.organisations.models import Organisation, Person, territorial_body_code
from shiraka.projects.models import Category
from shiraka.territory.models import Commune, Province, Region

# --- territories --------------------------------------------------------------------------------

_AR_TERRITORY_PREFIX = re.compile(
    r"^(?:[بل])?(?P<kind>جهة|الجهة|إقليم|اقليم|الإقليم|عمالة|العمالة|جماعة|الجماعة|مدينة|بلدية|دائرة|قيادة)\s+"
)
_FR_TERRITORY_PREFIX = re.compile(
    r"^(?:la\s+|le\s+|l['’])?(?P<kind>région|region|province|préfecture|prefecture|commune|ville|"
    r"municipalité)\s+(?:de\s+la\s+|de\s+l['’]|des\s+|du\s+|de\s+|d['’])?",
    re.I,
)
_PREFIX_KIND = {
    "جهة": "region",
    "الجهة": "region",
    "région": "region",
    "region": "region",
    "إقليم": "province",
    "اقليم": "province",
    "الإقليم": "province",
    "عمالة": "province",
    "العمالة": "province",
    "province": "province",
    "préfecture": "province",
    "prefecture": "province",
    "جماعة": "commune",
    "الجماعة": "commune",
    "مدينة": "commune",
    "بلدية": "commune",
    "commune": "commune",
    "ville": "commune",
    "municipalité": "commune",
}


@dataclass
class TerritoryMatch:
    kind: str  # region, province, commune
    place: Region | Province | Commune

    @property
    def region_id(self) -> int:
        if self.kind == "region":
            return self.place.pk
        if self.kind == "province":
            return self.place.region_id
        return self.place.province.region_id

    @property
    def region(self) -> Region:
        if self.kind == "region":
            return self.place
        return self.province.region

    @property
    def province(self) -> Province | None:
        if self.kind == "province":
            return self.place
        return self.place.province if self.kind == "commune" else None

    @property
    def province_id(self) -> int | None:
        if self.kind == "province":
            return self.place.pk
        if self.kind == "commune":
            return self.place.province_id
        return None


class TerritoryIndex:
    """Regions, provinces and communes by normalised Arabic and French name (3 queries)."""

    def __init__(self) -> None:
        self.index: dict[str, dict[str, list]] = {"region": {}, "province": {}, "commune": {}}
        for kind, queryset in (
            ("region", Region.objects.all()),
            ("province", Province.objects.all()),
            ("commune", Commune.objects.select_related("province")),
        ):
            for place in queryset:
                for name in {place.name_ar, place.name_fr}:
                    key = name_key(name)
                    if key:
                        self.index[kind].setdefault(key, []).append(place)

    def match(self, mention: str, *, near: Iterable[TerritoryMatch] = ()) -> TerritoryMatch | None:
        text = (mention or "").strip()
        kind = None
        m = _AR_TERRITORY_PREFIX.match(text) or _FR_TERRITORY_PREFIX.match(text)
        if m:
            kind = _PREFIX_KIND.get(m.group("kind").lower())
            text = text[m.end() :]
        key = name_key(text)
        if not key:
            return None
        order = {
            "region": ["region", "province", "commune"],
            "province": ["province", "region", "commune"],
            "commune": ["commune", "province"],
        }.get(kind, ["province", "region", "commune"])
        near = list(near)
        for candidate in order:
            places = self.index[candidate].get(key)
            if not places:
                continue
            if candidate == "commune" and len(places) > 1:
                # A name several communes share: the one in a province or region the text names.
                provinces = {p.province_id for p in near if p.province_id}
                regions = {p.region_id for p in near}
                places = (
                    [c for c in places if c.province_id in provinces]
                    or [c for c in places if c.province.region_id in regions]
                    or places
                )
            return TerritoryMatch(candidate, places[0])
        return None


# --- organisations ------------------------------------------------------------------------------


class OrganisationIndex:
    """Organisations by normalised Arabic, French and English name and acronym (1 query)."""

    def __init__(self) -> None:
        self.organisations = list(Organisation.objects.order_by("name_ar", "name_fr", "pk"))
        self.by_pk = {o.pk: o for o in self.organisations}
        self.by_code = {o.reference_code: o for o in self.organisations if o.reference_code}
        self.by_key: dict[str, Organisation] = {}
        for organisation in self.organisations:
            for name in (
                organisation.name_ar,
                organisation.name_fr,
                organisation.name_en,
                organisation.acronym,
            ):
                key = name_key(name)
                if key:
                    self.by_key.setdefault(key, organisation)
        # Short forms come after every full name, so that a full name always wins.
        short: dict[str, set[int]] = {}
        for organisation in self.organisations:
            for name in (organisation.name_ar, organisation.name_fr, organisation.name_en):
                for form in short_forms(name or ""):
                    key = name_key(form)
                    if key and key not in self.by_key:
                        short.setdefault(key, set()).add(organisation.pk)
        for key, pks in short.items():
            if len(pks) == 1:  # a short form two bodies share names neither
                self.by_key[key] = self.by_pk[pks.pop()]

    def match(self, mention: str, gazetteer: TerritoryIndex | None = None) -> Organisation | None:
        """Same normalised name; failing that, a bare territory name («جهة سوس ماسة», «جماعة
        إنزكان») stands for its council or its governorate, when that body is recorded."""
        found = self.by_key.get(name_key(mention))
        if found or gazetteer is None:
            return found
        if not (_AR_TERRITORY_PREFIX.match(mention.strip()) or _FR_TERRITORY_PREFIX.match(mention.strip())):
            return None
        place = gazetteer.match(mention)
        if place is None:
            return None
        return self.by_code.get(territorial_body_code(place.kind, place.place.code))


# A ministry or its services named by their first portfolio («وزارة الصحة» for «وزارة الصحة والحماية
# الاجتماعية», «ministère de la Santé» for «… de la Santé et de la Protection sociale»); a
# parenthesised part is optional («Direction régionale de la santé (et de la protection sociale)»).
_PORTFOLIO_HEADS = re.compile(
    r"^(?:ال)?(?:وزار[ةه]|مديري[ةه]|مندوبي[ةه])|^(?:minist[èe]re|direction|d[ée]l[ée]gation|ministry|"
    r"regional|provincial)",
    re.I,
)
_AR_SECOND_PORTFOLIO = re.compile(r"\s+و(?=ال)")
_FR_SECOND_PORTFOLIO = re.compile(
    r"\s+(?:et|and)\s+(?=(?:de\s+(?:la\s+|l['’])|du\s+|des\s+|the\s+)?\w)", re.I
)


def short_forms(name: str) -> list[str]:
    """The usual shorter ways of writing an institution's name."""
    name = name.strip()
    forms = []
    without_aside = re.sub(r"\s*\([^()]*\)", "", name).strip()
    if without_aside != name:
        forms.append(without_aside)
        forms.append(re.sub(r"[()]", "", name))
    for full in [without_aside]:
        if not _PORTFOLIO_HEADS.search(full):
            continue
        splitter = _AR_SECOND_PORTFOLIO if not full[:1].isascii() else _FR_SECOND_PORTFOLIO
        first = splitter.split(full, maxsplit=1)[0].strip()
        if first != full and len(first.split()) >= 2:
            forms.append(first)
    return forms


_KIND_GUESSES = [
    (r"^(?:ال)?وزار|^minist", Organisation.Kind.MINISTRY),
    (
        r"^(?:ال)?مجلس\s+(?:ال)?جه|^جهه\s|^conseil\s+(?:de\s+la\s+)?r[ée]gion|^(?:la\s+)?r[ée]gion\s",
        Organisation.Kind.REGIONAL_COUNCIL,
    ),
    (
        r"^(?:ال)?مجلس\s+(?:ال)?(?:اقليم|عماله)|^conseil\s+(?:provincial|pr[ée]fectoral)",
        Organisation.Kind.PROVINCIAL_COUNCIL,
    ),
    (
        r"^(?:ال)?ولايه|^(?:ال)?عماله|^(?:ال)?اقليم|^wilaya|^province|^pr[ée]fecture",
        Organisation.Kind.GOVERNORATE,
    ),
    (r"^(?:ال)?جماعه|^(?:ال)?مجلس\s+(?:ال)?جماع|^commune", Organisation.Kind.COMMUNE),
    (r"المبادره الوطنيه للتنميه البشريه|initiative nationale|\bindh\b", Organisation.Kind.INDH),
    (r"^(?:ال)?مؤسس|^fondation", Organisation.Kind.FOUNDATION),
    (r"^(?:ال)?جمعي|^association", Organisation.Kind.ASSOCIATION),
    (r"^(?:ال)?وكال|^(?:ال)?مكتب|^(?:ال)?صندوق|^agence|^office|^fonds", Organisation.Kind.PUBLIC_AGENCY),
    (
        r"^(?:ال)?مديري|^(?:ال)?مندوبي|^(?:ال)?مصالح|^direction|^d[ée]l[ée]gation|^services",
        Organisation.Kind.DECONCENTRATED_SERVICE,
    ),
    (r"^(?:ال)?شرك|^soci[ée]t[ée]", Organisation.Kind.COMPANY),
]


def organisation_kind_guess(name: str) -> str:
    folded = fold(name)
    for pattern, kind in _KIND_GUESSES:
        if re.search(pattern, folded):
            return kind
    return Organisation.Kind.OTHER


# --- programmes, people, project categories ----------------------------------------------------


def programme_match(name: str | None) -> Programme | None:
    key = name_key(name or "")
    if not key:
        return None
    for programme in Programme.objects.all():
        if key in {name_key(programme.name_ar), name_key(programme.name_fr)}:
            return programme
    return None


# Checked in this order: the specific units before the generic words (equipment, centre, upgrade).
_CATEGORY_RULES = [
    (Category.EMERGENCY_UNIT, r"مستعجل|طوارئ|طواري|urgences?"),
    (Category.PSYCHIATRIC_UNIT, r"الطب النفسي|الصحه النفسيه|psychiatr|sante mentale"),
    (Category.ADDICTION_CENTRE, r"ادمان|addict"),
    (Category.YOUTH_HEALTH_SPACE, r"الشباب|jeunes?"),
    (
        Category.PATIENT_TRANSPORT,
        r"سيار\w* (?:ال)?اسعاف|نقل (?:ال)?مرضي|ambulances?|transport (?:des|de) (?:malades|patients)",
    ),
    (Category.UNIVERSITY_MEDICAL_CENTRE, r"جامعي|universitaire"),
    (Category.WOMENS_REFERENCE_CENTRE, r"مرجعي\w* .*النساء|النساء|المراه|femmes?"),
    (Category.PROXIMITY_HOSPITAL, r"مستشف\w* (?:ال)?قرب|hopita\w* de proximite"),
    (Category.MOBILE_CARAVANS, r"قوافل|قافله|caravanes?"),
    (Category.STAFF_CONTRACTING, r"تعاقد|contractualisation|recrutement"),
    (Category.STAFF_HOUSING, r"سكنيات|سكن\w* (?:ال)?وظيفي|logements?"),
    (Category.IMAGING_EQUIPMENT, r"تجهيزات|اجهزه|معدات|كاشف|رنين|تصوير|[ée]quipements?|irm|scanners?"),
    (Category.HEALTH_CENTRE, r"(?:مركز|مراكز)\w* (?:ال)?صحي|centres? de sante"),
    (Category.FACILITY_UPGRADE, r"تاهيل|تهيئ|mise a niveau|rehabilitation"),
    # A hospital built, of no more specific kind: the taxonomy's hospital category, to be checked.
    (Category.PROXIMITY_HOSPITAL, r"مستشف|استشفايي|hopita|centre hospitalier"),
]


def category_guess(title: str) -> str:
    """A project category from keywords of its title; "" when none applies."""
    folded = fold(title)
    for category, pattern in _CATEGORY_RULES:
        if re.search(pattern, folded):
            return category
    return ""


def person_find(name: str, *, language: str) -> Person | None:
    """An already recorded person with this name (same normalised spelling)."""
    field = "full_name_ar" if language == "ar" else "full_name_fr"
    exact = Person.objects.filter(**{field: name.strip()}).order_by("pk").first()
    if exact:
        return exact
    key = name_key(name)
    if not key:
        return None
    # Spellings differ (أ/ا, ة/ه, spaces): compare keys. Two columns of the people table, read only
    # when the exact spelling is not recorded.
    for pk, value in Person.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
        if name_key(value) == key:
            return Person.objects.get(pk=pk)
    return None
