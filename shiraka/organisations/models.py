from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shiraka.core.models import TrackedModel, optional_link
from shiraka.core.text import localised
from shiraka.territory.models import Commune, LocalisedName, Province, Region, name_fields


def named_in_arabic_or_french(field: str, name: str) -> models.CheckConstraint:
    """The rule that a row has a name: `<field>_ar` and `<field>_fr` are not both empty."""
    return models.CheckConstraint(condition=~models.Q(**{f"{field}_ar": "", f"{field}_fr": ""}), name=name)


class Organisation(LocalisedName, TrackedModel):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        DECONCENTRATED_SERVICE = "deconcentrated_service", _("deconcentrated service")
        REGIONAL_COUNCIL = "regional_council", _("regional council")
        PROVINCIAL_COUNCIL = "provincial_council", _("prefecture or province council")
        COMMUNE = "commune", _("commune")
        GOVERNORATE = "governorate", _("governorate or wilaya")
        PUBLIC_AGENCY = "public_agency", _("public agency")
        INDH = "indh", _("INDH")
        FOUNDATION = "foundation", _("foundation")
        ASSOCIATION = "association", _("association")
        COMPANY = "company", _("company")
        INTERNATIONAL = "international", _("international partner")
        OTHER = "other", _("other")

    name_ar, name_fr, name_en = name_fields(255, "ar", "fr", "en")
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    reference_code = models.CharField(
        _("reference code"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Identifier in the national list of institutions, when the organisation comes from it."),
    )
    region = optional_link(Region, _("region"))
    province = optional_link(Province, _("province"))
    commune = optional_link(Commune, _("commune"))
    parent = optional_link("self", _("parent"), related_name="children")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_fr", "name_ar", "pk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [named_in_arabic_or_french("name", "organisation_has_a_name")]
        indexes = [models.Index(fields=["kind"])]


class Person(TrackedModel):
    full_name_ar = models.CharField(_("full name (Arabic)"), max_length=200, blank=True)
    full_name_fr = models.CharField(_("full name (French)"), max_length=200, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=255, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=255, blank=True)
    organisation = optional_link(
        Organisation, _("organisation"), on_delete=models.SET_NULL, related_name="people"
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name_fr", "full_name_ar", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [named_in_arabic_or_french("full_name", "person_has_a_name")]

    @property
    def full_name(self) -> str:
        return localised(self.full_name_ar, self.full_name_fr)

    @property
    def title(self) -> str:
        return localised(self.title_ar, self.title_fr)

    def __str__(self) -> str:
        return self.full_name


# Reference codes of the bodies every territory has, keyed by the territory's official code; the
# reference loader creates the region's and province's, partners create a commune's when needed.
TERRITORIAL_BODY_CODES = {"region": "CR-{code}", "province": "GOUV-{code}", "commune": "COMMUNE-{code}"}


def territorial_body_code(kind: str, code: str) -> str:
    """The reference code of a region's council, a province's governorate or a commune (as partner)."""
    return TERRITORIAL_BODY_CODES[kind].format(code=code)
