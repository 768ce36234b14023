from django.db import models
from django.utils.translation import gettext_lazy as _

from shiraka.core.text import localised, reader_language


class LocalisedName:
    """`name` follows the reader's language: Arabic first, French beside it."""

    @property
    def name(self) -> str:
        return self.name_in(reader_language())

    def name_in(self, language: str) -> str:
        if language == "en" and getattr(self, "name_en", ""):
            return self.name_en
        return localised(self.name_ar, self.name_fr, language)

    def __str__(self) -> str:
        return self.name


NAME_LABELS = {"ar": _("name (Arabic)"), "fr": _("name (French)"), "en": _("name (English)")}


def name_fields(max_length: int, *languages: str, required: tuple[str, ...] = ()) -> tuple:
    """A record's `name_<language>` fields, in the order of `languages`; a language not in `required`
    may be left empty (the record's own rule then says which name it must have)."""
    return tuple(
        models.CharField(NAME_LABELS[language], max_length=max_length, blank=language not in required)
        for language in languages
    )


def census_fields() -> tuple:
    """A territory's census figures (HCP, 2014 and 2024), empty where the reference does not give them."""
    return (
        models.PositiveIntegerField(_("population 2014"), null=True, blank=True),
        models.PositiveIntegerField(_("population 2024"), null=True, blank=True),
        models.PositiveIntegerField(_("households 2024"), null=True, blank=True),
    )


class Region(LocalisedName, models.Model):
    code = models.CharField(_("HCP code"), max_length=2, unique=True)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=8, blank=True)
    name_ar, name_fr, name_en = name_fields(120, "ar", "fr", "en", required=("ar", "fr"))
    capital_ar = models.CharField(_("capital (Arabic)"), max_length=80, blank=True)
    capital_fr = models.CharField(_("capital (French)"), max_length=80, blank=True)
    population_2014, population_2024, households_2024 = census_fields()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Province(LocalisedName, models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        PREFECTURE = "prefecture", _("prefecture")

    code = models.CharField(_("HCP code"), max_length=6, unique=True)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=8, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    name_ar, name_fr = name_fields(120, "ar", "fr", required=("ar", "fr"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="provinces", verbose_name=_("region")
    )
    population_2014, population_2024, households_2024 = census_fields()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province or prefecture")
        verbose_name_plural = _("provinces and prefectures")


class Commune(LocalisedName, models.Model):
    class Kind(models.TextChoices):
        URBAN = "urban", _("urban")
        RURAL = "rural", _("rural")

    code = models.CharField(_("HCP code"), max_length=14, unique=True)
    slug = models.SlugField(max_length=80)
    name_ar, name_fr = name_fields(120, "ar", "fr", required=("ar", "fr"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    population_2014, population_2024, households_2024 = census_fields()

    class Meta:
        ordering = ["code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        indexes = [models.Index(fields=["name_fr"]), models.Index(fields=["name_ar"])]


class HealthFacilityType(LocalisedName, models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    name_ar, name_fr, name_en = name_fields(200, "ar", "fr", "en", required=("fr",))
    network = models.CharField(_("care network"), max_length=80, blank=True)
    care_level = models.CharField(_("care level"), max_length=80, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("health facility type")
        verbose_name_plural = _("health facility types")
