"""Forms of the project edit pages: the project, its communes, funding, milestones, progress with
photos, contracts and payments."""

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shiraka.agreements.models import Agreement
from shiraka.core.rules import today
from shiraka.core.uploads import IMAGES, check_pixel_budget, safe_upload
from shiraka.organisations.models import Organisation
from shiraka.projects import models
from shiraka.projects.services import CONTRACT_FIELDS
from shiraka.territory.models import Commune, HealthFacilityType, Province
from shiraka.web.kit import forms as kit
from shiraka.web.kit import pickers
from shiraka.web.kit.forms import AmountField, TextDirection, VersionedForm, date_field, label, text
from shiraka.web.kit.params import whole_number

from .common import FormPage, RecordForm, integer

PHOTO_KINDS = set(IMAGES)
MAX_PHOTOS = 10
PROJECT_FIELDS = (
    "reference", "title_ar", "title_fr", "description", "category", "facility_type", "province", "owner",
    "delegated_owner", "budget", "planned_start", "planned_end", "actual_start", "actual_end", "opened_on", "units",
    "beds", "capacity_note", "beneficiaries", "latitude", "longitude",
)  # fmt: skip


def communes_queryset(*, province_id=None, region_id=None):
    """Only the chosen province's communes (about 20), or the region's when no province is chosen:
    never the 1,503 of the kingdom in one list."""
    communes = Commune.objects.select_related("province")
    if province_id:
        return communes.filter(province_id=province_id)
    if region_id:
        return communes.filter(province__region_id=region_id)
    return communes.none()


def communes_field(*, province_id=None, region_id=None):
    return pickers.GroupedModelMultipleChoiceField(
        communes_queryset(province_id=province_id, region_id=region_id),
        group_of=lambda c: (c.province.code, str(c.province)),
        required=False,
        label=label(models.Project, "communes"),
        help_text=_("The communes of the chosen province; hold Ctrl (or ⌘) to choose several."),
    )


def coordinate(name: str, low: int, high: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=label(models.Project, name),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )


class ProjectForm(RecordForm):
    reference = text(models.Project, "reference", attrs={"dir": "ltr", "autocomplete": "off"})
    title_ar = text(models.Project, "title_ar", attrs=TextDirection.AR)
    title_fr = text(models.Project, "title_fr", attrs=TextDirection.FR)
    description = text(models.Project, "description", rows=3, attrs={"dir": "auto"})
    category = forms.ChoiceField(
        label=label(models.Project, "category"), choices=[("", "---------"), *models.Category.choices]
    )
    facility_type = forms.ModelChoiceField(
        HealthFacilityType.objects.all(), label=label(models.Project, "facility_type"), required=False
    )
    province = pickers.province_field()
    communes = forms.ModelMultipleChoiceField(Commune.objects.none(), required=False)
    owner = forms.ModelChoiceField(Organisation.objects.none(), required=False)
    delegated_owner = forms.ModelChoiceField(Organisation.objects.none(), required=False)
    budget = AmountField(label=label(models.Project, "budget"))
    planned_start = date_field(models.Project, "planned_start")
    planned_end = date_field(models.Project, "planned_end")
    actual_start = date_field(models.Project, "actual_start")
    actual_end = date_field(models.Project, "actual_end")
    opened_on = date_field(models.Project, "opened_on")
    units = integer(models.Project, "units", max_value=32767)
    beds = integer(models.Project, "beds", max_value=100000)
    capacity_note = text(models.Project, "capacity_note", required=False)
    beneficiaries = integer(models.Project, "beneficiaries", max_value=100_000_000)
    latitude = coordinate("latitude", 20, 36)
    longitude = coordinate("longitude", -18, -1)

    layout = [
        (None, [("reference", "col-md-4"), ("category", "col-md-4"), ("facility_type", "col-md-4"),
                ("title_ar", "col-md-6"), ("title_fr", "col-md-6"), ("description", "col-12")]),
        (_("Location"), [("province", "col-md-6"), ("communes", "col-md-6"), ("latitude", "col-md-3"),
                         ("longitude", "col-md-3")]),
        (_("Owners and money"), [("owner", "col-md-6"), ("delegated_owner", "col-md-6"), ("budget", "col-md-6")]),
        (_("Dates"), [("planned_start", "col-md-4"), ("planned_end", "col-md-4"), ("opened_on", "col-md-4"),
                      ("actual_start", "col-md-4"), ("actual_end", "col-md-4")]),
        (_("Capacity"), [("units", "col-md-3"), ("beds", "col-md-3"), ("beneficiaries", "col-md-3"),
                         ("capacity_note", "col-md-3")]),
    ]  # fmt: skip
    SERVICE_FIELDS = (*PROJECT_FIELDS, "communes")
    TEXT_FIELDS = ("title_ar", "title_fr", "description", "capacity_note")

    def __init__(self, *args, agreement: Agreement, province_id=None, communes_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        owners = pickers.agreement_territory(agreement) | Q(kind=Organisation.Kind.PUBLIC_AGENCY)
        for name in ("owner", "delegated_owner"):
            self.fields[name] = pickers.organisation_field(
                label_text=label(models.Project, name),
                required=False,
                first=owners,
                first_label=_("Partners, public agencies and bodies of this territory"),
            )
        if self.is_bound:
            province_id = whole_number(self.data.get(self.add_prefix("province")))
        typed = self.initial.get("province")
        typed = typed.pk if isinstance(typed, Province) else typed
        province_id = province_id or whole_number(typed) or agreement.province_id
        self.fields["communes"] = communes_field(province_id=province_id, region_id=agreement.region_id)
        self.fields["communes"].widget.attrs["size"] = "8"
        self.fields["province"].refresh_button = _("Show the communes of this province")
        if communes_url:
            self.fields["province"].widget.attrs.update(
                {
                    "data-hx-get": communes_url,
                    "data-hx-target": f"#{self['communes'].auto_id}",
                    "data-hx-swap": "innerHTML",
                }
            )

    @staticmethod
    def initial_for(project: models.Project) -> dict:
        initial = {name: getattr(project, name) for name in PROJECT_FIELDS}
        initial["communes"] = list(project.communes.values_list("pk", flat=True))
        initial["version"] = project.version
        return initial


class ProjectEditForm(VersionedForm, ProjectForm):
    pass


class FundingForm(RecordForm):
    page = FormPage(_("Add a funding partner to %(reference)s"), _("The funding was added."), "funding-form",
                    "id_funding_%s")  # fmt: skip
    organisation = forms.ModelChoiceField(Organisation.objects.none())
    amount = AmountField(
        label=label(models.ProjectFunding, "amount"),
        help_text=_("In dirhams, e.g. 1500000.00. Leave empty when not specified."),
    )
    layout = [(None, [("organisation", "col-md-8"), ("amount", "col-md-4")])]
    SERVICE_FIELDS = ("organisation", "amount")

    def __init__(self, *args, project: models.Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = pickers.organisation_field(
            label_text=label(models.ProjectFunding, "organisation"),
            first=Q(pk__in=project.agreement.partnerships.values("organisation")),
            first_label=_("Partners of the agreement"),
        )


class MilestoneForm(RecordForm):
    page = FormPage(_("Plan a milestone of %(reference)s"), _("The milestone was planned."), "milestone-form",
                    "id_milestone_%s", _("Plan the milestone"))  # fmt: skip
    kind = forms.ChoiceField(label=label(models.Milestone, "kind"), choices=models.Milestone.Kind.choices)
    planned_on = date_field(models.Milestone, "planned_on")
    achieved_on = date_field(models.Milestone, "achieved_on")
    note = text(models.Milestone, "note", required=False)
    layout = [(None, [("kind", "col-md-3"), ("planned_on", "col-md-3"), ("achieved_on", "col-md-3"),
                      ("note", "col-md-3")])]  # fmt: skip
    SERVICE_FIELDS = ("kind", "planned_on", "achieved_on", "note")


class MilestoneAchieveForm(VersionedForm):
    page = FormPage(_("Mark the milestone “%(milestone)s” achieved"), _("The milestone was marked achieved."),
                    "milestone-{pk}", "id_m{pk}_%s", _("Mark achieved"))  # fmt: skip
    achieved_on = date_field(models.Milestone, "achieved_on", required=True, initial=today)


class ProgressForm(RecordForm):
    page = FormPage(_("Record the progress of %(reference)s"), _("The progress update was recorded."))
    reported_on = date_field(models.ProgressUpdate, "reported_on", required=True, initial=today)
    # Bounds are checked by the service, which says "between 0 and 100 %" in the page's language.
    physical_progress = forms.IntegerField(
        label=label(models.ProgressUpdate, "physical_progress"),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "dir": "ltr"}),
    )
    note = text(models.ProgressUpdate, "note", rows=3, required=False, attrs={"dir": "auto"})
    photos = kit.MultipleFileField(
        label=capfirst(_("photos")),
        required=False,
        help_text=_("JPEG or PNG, 20 MB at most each, up to 10 photos."),
        widget=kit.MultipleFileInput(
            attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png", "multiple": True}
        ),
    )
    layout = [(None, [("reported_on", "col-md-4"), ("physical_progress", "col-md-4"), ("photos", "col-md-4"),
                      ("note", "col-12")])]  # fmt: skip
    SERVICE_FIELDS = ("reported_on", "physical_progress", "note", "photos")

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Send at most %(count)s photos at a time."),
                code="too_many_photos",
                params={"count": MAX_PHOTOS},
            )
        check_pixel_budget(photos)  # before any decoding: one request holds a worker a couple of seconds
        safe, errors = [], []
        for photo in photos:
            try:
                safe.append(safe_upload(photo, allowed=PHOTO_KINDS))
            except forms.ValidationError as error:
                errors.extend(forms.ValidationError(f"{photo.name}: {message}") for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return safe


class ContractForm(RecordForm):
    page = FormPage(_("Add a contract to %(reference)s"), _("The contract was added."), "contract-form",
                    "id_contract_%s", _("Add the contract"))  # fmt: skip
    kind = forms.ChoiceField(label=label(models.Contract, "kind"), choices=models.Contract.Kind.choices)
    reference = text(models.Contract, "reference", required=False, attrs={"dir": "ltr"})
    contractor = forms.ModelChoiceField(Organisation.objects.none(), required=False)
    contractor_name = text(
        models.Contract,
        "contractor_name",
        required=False,
        attrs={"dir": "auto"},
        help_text=_("The company's name, when it is not in the list."),
    )
    amount = AmountField(label=label(models.Contract, "amount"), required=True)
    signed_on = date_field(models.Contract, "signed_on")
    duration_days = integer(models.Contract, "duration_days", max_value=36500)
    layout = [(None, [("kind", "col-md-4"), ("reference", "col-md-4"), ("amount", "col-md-4"),
                      ("contractor", "col-md-6"), ("contractor_name", "col-md-6"), ("signed_on", "col-md-6"),
                      ("duration_days", "col-md-6")])]  # fmt: skip
    SERVICE_FIELDS = CONTRACT_FIELDS
    TEXT_FIELDS = ("reference", "contractor_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contractor"] = pickers.organisation_field(
            label_text=label(models.Contract, "contractor"),
            required=False,
            first=Q(kind=Organisation.Kind.COMPANY),
            first_label=_("Companies"),
        )


class PaymentForm(RecordForm):
    page = FormPage(_("Record a payment on %(contract)s"), _("The payment was recorded."), "payment-{pk}",
                    "id_c{pk}_%s", _("Record the payment"))  # fmt: skip
    paid_on = date_field(models.Payment, "paid_on", required=True, initial=today)
    amount = AmountField(label=label(models.Payment, "amount"), required=True)
    reference = text(models.Payment, "reference", required=False, attrs={"dir": "ltr"})
    layout = [(None, [("paid_on", "col-sm-4"), ("amount", "col-sm-4"), ("reference", "col-sm-4")])]
    SERVICE_FIELDS = ("paid_on", "amount", "reference")
