"""Forms of the agreement and project edit pages, on the shared form kit (`shiraka.web.kit.forms`)."""

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shiraka.agreements.models import (
    Agreement,
    Partnership,
    Programme,
    ScheduledContribution,
    Signatory,
    Transfer,
)
from shiraka.core.rules import today
from shiraka.core.uploads import IMAGES, JPEG, PDF, PNG, safe_upload
from shiraka.organisations.models import Organisation, Person
from shiraka.projects.models import (
    Category,
    Contract,
    Milestone,
    Payment,
    ProgressUpdate,
    Project,
    ProjectFunding,
)
from shiraka.territory.models import Commune, HealthFacilityType, Province, Region

from .kit.forms import (
    AmountField,
    GroupedModelMultipleChoiceField,
    MultipleFileField,
    MultipleFileInput,
    ShirakaForm,
    TextDirection,
    VersionedForm,
    agreement_territory,
    date_field,
    label,
    organisation_field,
    province_field,
    text,
    text_or_empty,
)

PROOF_KINDS = {PDF, JPEG, PNG}
PHOTO_KINDS = set(IMAGES)
MAX_PHOTOS = 10


# --- agreements --------------------------------------------------------------------------------------

class AgreementForm(ShirakaForm):
    reference = text(Agreement, "reference", attrs={"dir": "ltr", "autocomplete": "off"},
                     help_text=_("e.g. GON-2023-SANTE-443; it cannot be used by another agreement."))
    kind = forms.ChoiceField(label=label(Agreement, "kind"), choices=Agreement.Kind.choices)
    parent_reference = forms.CharField(
        label=label(Agreement, "parent"), required=False, max_length=60,
        help_text=_("Reference of the framework agreement of a specific agreement, or of the agreement an "
                    "amendment changes."),
        widget=forms.TextInput(attrs={"list": "parent-references", "dir": "ltr", "autocomplete": "off"}),
    )
    title_ar = text(Agreement, "title_ar", attrs=TextDirection.AR)
    title_fr = text(Agreement, "title_fr", attrs=TextDirection.FR)
    object_ar = text(Agreement, "object_ar", rows=3, attrs=TextDirection.AR)
    object_fr = text(Agreement, "object_fr", rows=3, attrs=TextDirection.FR)
    programme = forms.ModelChoiceField(Programme.objects.all(), label=label(Agreement, "programme"), required=False)
    signed_on = date_field(Agreement, "signed_on")
    signed_place = text(Agreement, "signed_place")
    start_on = date_field(Agreement, "start_on")
    end_on = date_field(Agreement, "end_on")
    total_amount = AmountField(label=label(Agreement, "total_amount"))
    region = forms.ModelChoiceField(Region.objects.all(), label=label(Agreement, "region"), required=False)
    province = province_field(help_text=_("Leave empty for an agreement covering a whole region."))
    status = forms.ChoiceField(
        label=label(Agreement, "status"),
        choices=[(s, label_) for s, label_ in Agreement.Status.choices
                 if s in {Agreement.Status.DRAFT, Agreement.Status.SIGNED, Agreement.Status.IN_EXECUTION}],
        initial=Agreement.Status.SIGNED,
    )
    is_published = forms.BooleanField(label=label(Agreement, "is_published"), required=False,
                                      help_text=_("Published agreements are visible on the public portal."))
    source_url = forms.URLField(label=label(Agreement, "source_url"), required=False, max_length=500,
                                assume_scheme="https", widget=forms.URLInput(attrs={"dir": "ltr"}))
    source_text = text(Agreement, "source_text", rows=4, attrs={"dir": "auto"})

    layout = [
        (None, [("reference", "col-md-4"), ("kind", "col-md-4"), ("parent_reference", "col-md-4"),
                ("title_ar", "col-md-6"), ("title_fr", "col-md-6"), ("object_ar", "col-md-6"),
                ("object_fr", "col-md-6")]),
        (_("Signing and duration"), [("signed_on", "col-md-3"), ("signed_place", "col-md-3"),
                                     ("start_on", "col-md-3"), ("end_on", "col-md-3")]),
        (_("Money and territory"), [("total_amount", "col-md-4"), ("programme", "col-md-8"),
                                    ("region", "col-md-4"), ("province", "col-md-8")]),
        (_("Status and publication"), [("status", "col-md-4"), ("is_published", "col-md-8"),
                                       ("source_url", "col-12"), ("source_text", "col-12")]),
    ]
    SERVICE_FIELDS = ("reference", "kind", "parent", "title_ar", "title_fr", "object_ar", "object_fr", "programme",
                      "signed_on", "signed_place", "start_on", "end_on", "total_amount", "region", "province",
                      "is_published", "source_url", "source_text")

    def __init__(self, *args, instance: Agreement | None = None, parent_candidates=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.parent_candidates = parent_candidates if parent_candidates is not None else []
        if instance is not None:
            del self.fields["status"]

    def clean_parent_reference(self):
        reference = (self.cleaned_data.get("parent_reference") or "").strip()
        if not reference:
            return None
        parent = Agreement.objects.filter(reference=reference).first()
        if parent is None:
            raise forms.ValidationError(_("No agreement has the reference “%(reference)s”."),
                                        code="parent_unknown", params={"reference": reference})
        return parent

    def clean(self):
        data = super().clean()
        data["parent"] = data.get("parent_reference")
        return data

    def service_values(self) -> dict:
        values = self.values(*self.SERVICE_FIELDS)
        for name in ("title_ar", "title_fr", "object_ar", "object_fr", "signed_place", "source_url", "source_text"):
            values[name] = text_or_empty(values.get(name))
        return values

    @staticmethod
    def initial_for(agreement: Agreement) -> dict:
        initial = {name: getattr(agreement, name) for name in AgreementForm.SERVICE_FIELDS if name != "parent"}
        initial["parent_reference"] = agreement.parent.reference if agreement.parent_id else ""
        initial["version"] = agreement.version
        return initial


class AgreementEditForm(VersionedForm, AgreementForm):
    pass


class StatusForm(VersionedForm):
    """Only the statuses the record may move to are offered; any other (an old page, a crafted
    request) reaches the service, which refuses it with its own message."""

    status = forms.ChoiceField(label=capfirst(_("new status")), choices=())
    reason = forms.CharField(label=capfirst(_("reason")), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required for a suspension or a cancellation."))

    def __init__(self, *args, all_choices, next_statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(all_choices)
        self.fields["status"].widget.choices = [(value, text_) for value, text_ in all_choices
                                                if value in next_statuses]
        self.has_next = bool(next_statuses)


class SignatoryForm(ShirakaForm):
    person = forms.ModelChoiceField(
        Person.objects.none(), label=capfirst(_("person already known")), required=False,
        help_text=_("Choose a person already known, or give a new person's name below."),
    )
    full_name_ar = text(Person, "full_name_ar", required=False, attrs=TextDirection.AR)
    full_name_fr = text(Person, "full_name_fr", required=False, attrs=TextDirection.FR)
    role = text(Signatory, "role", required=False,
                help_text=_("As the text writes it, e.g. «وزير الصحة والحماية الاجتماعية»."), attrs={"dir": "auto"})
    organisation = forms.ModelChoiceField(Organisation.objects.none(), required=False)
    presided = forms.BooleanField(label=label(Signatory, "presided"), required=False)

    layout = [
        (None, [("person", "col-12")]),
        (_("Or a new person"), [("full_name_ar", "col-md-6"), ("full_name_fr", "col-md-6")]),
        (None, [("role", "col-md-6"), ("organisation", "col-md-6"), ("presided", "col-12")]),
    ]

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(
            Q(organisation__partnerships__agreement=agreement)
            | Q(signatures__agreement__region_id=agreement.region_id)
            | Q(signatures__agreement=agreement)
        ).exclude(signatures__agreement=agreement).distinct() if agreement.region_id else Person.objects.filter(
            organisation__partnerships__agreement=agreement).distinct()
        self.fields["person"].queryset = people
        self.fields["organisation"] = organisation_field(
            label_text=label(Signatory, "organisation"), required=False, first=agreement_territory(agreement),
            first_label=_("Partners and bodies of this territory"))

    def clean(self):
        data = super().clean()
        if not data.get("person") and not ((data.get("full_name_ar") or "").strip()
                                           or (data.get("full_name_fr") or "").strip()):
            self.add_error("full_name_ar", forms.ValidationError(
                _("Choose a person already known, or give the new person's name in Arabic or in French."),
                code="person_required"))
        return data


def partnership_roles():
    return [("is_funder", "col-sm-6 col-lg-3"), ("is_project_owner", "col-sm-6 col-lg-3"),
            ("is_delegated_owner", "col-sm-6 col-lg-3"), ("is_technical_partner", "col-sm-6 col-lg-3")]


class PartnershipForm(ShirakaForm):
    organisation = forms.ModelChoiceField(Organisation.objects.none())
    is_funder = forms.BooleanField(label=label(Partnership, "is_funder"), required=False)
    is_project_owner = forms.BooleanField(label=label(Partnership, "is_project_owner"), required=False)
    is_delegated_owner = forms.BooleanField(label=label(Partnership, "is_delegated_owner"), required=False)
    is_technical_partner = forms.BooleanField(label=label(Partnership, "is_technical_partner"), required=False)
    committed_amount = AmountField(
        label=label(Partnership, "committed_amount"),
        help_text=_("In dirhams, e.g. 1500000.00. Leave empty when the agreement does not specify this "
                    "partner's share."),
    )
    commitment_source = text(Partnership, "commitment_source", required=False)
    obligations = text(Partnership, "obligations", rows=3, required=False, attrs={"dir": "auto"})

    layout = [
        (None, [("organisation", "col-12")]),
        (_("Roles"), partnership_roles()),
        (None, [("committed_amount", "col-md-6"), ("commitment_source", "col-md-6"), ("obligations", "col-12")]),
    ]
    SERVICE_FIELDS = ("is_funder", "is_project_owner", "is_delegated_owner", "is_technical_partner",
                      "committed_amount", "commitment_source", "obligations")

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        territory = Q(province_id=agreement.province_id) if agreement.province_id else Q(
            region_id=agreement.region_id) if agreement.region_id else None
        if territory is not None:
            territory |= Q(kind__in=[Organisation.Kind.MINISTRY, Organisation.Kind.INDH])
        self.fields["organisation"] = organisation_field(
            label_text=label(Partnership, "organisation"), first=territory,
            first_label=_("Ministries, INDH and bodies of this territory"))

    def service_values(self) -> dict:
        values = self.values(*self.SERVICE_FIELDS)
        values["commitment_source"] = text_or_empty(values.get("commitment_source"))
        values["obligations"] = text_or_empty(values.get("obligations"))
        return values


class PartnershipEditForm(VersionedForm, PartnershipForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]

    @staticmethod
    def initial_for(partnership: Partnership) -> dict:
        initial = {name: getattr(partnership, name) for name in PartnershipForm.SERVICE_FIELDS}
        initial["version"] = partnership.version
        return initial


class ContributionForm(ShirakaForm):
    due_on = date_field(ScheduledContribution, "due_on", required=True)
    amount = AmountField(label=label(ScheduledContribution, "amount"), required=True)
    note = text(ScheduledContribution, "note", required=False)
    layout = [(None, [("due_on", "col-sm-4"), ("amount", "col-sm-4"), ("note", "col-sm-4")])]


class TransferForm(ShirakaForm):
    transferred_on = date_field(Transfer, "transferred_on", required=True, initial=today)
    amount = AmountField(label=label(Transfer, "amount"), required=True)
    reference = text(Transfer, "reference", required=False, attrs={"dir": "ltr"},
                     help_text=_("The bank or treasury transfer reference."))
    proof = forms.FileField(label=label(Transfer, "proof"), required=False,
                            help_text=_("PDF, JPEG or PNG, 20 MB at most."),
                            widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,"
                                                                    "image/jpeg,image/png"}))
    note = text(Transfer, "note", required=False)
    layout = [(None, [("transferred_on", "col-sm-6"), ("amount", "col-sm-6"), ("reference", "col-sm-6"),
                      ("proof", "col-sm-6"), ("note", "col-12")])]

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if not proof:
            return None
        return safe_upload(proof, allowed=PROOF_KINDS)


# --- projects ----------------------------------------------------------------------------------------

def integer(model, name: str, **kwargs):
    field = model._meta.get_field(name)
    return forms.IntegerField(label=label(model, name), required=False, min_value=0, help_text=field.help_text,
                              **kwargs)


class ProjectForm(ShirakaForm):
    reference = text(Project, "reference", attrs={"dir": "ltr", "autocomplete": "off"})
    title_ar = text(Project, "title_ar", attrs=TextDirection.AR)
    title_fr = text(Project, "title_fr", attrs=TextDirection.FR)
    description = text(Project, "description", rows=3, attrs={"dir": "auto"})
    category = forms.ChoiceField(label=label(Project, "category"), choices=[("", "---------"), *Category.choices])
    facility_type = forms.ModelChoiceField(HealthFacilityType.objects.all(), label=label(Project, "facility_type"),
                                           required=False)
    province = province_field()
    communes = forms.ModelMultipleChoiceField(Commune.objects.none(), required=False)
    owner = forms.ModelChoiceField(Organisation.objects.none(), required=False)
    delegated_owner = forms.ModelChoiceField(Organisation.objects.none(), required=False)
    budget = AmountField(label=label(Project, "budget"))
    planned_start = date_field(Project, "planned_start")
    planned_end = date_field(Project, "planned_end")
    actual_start = date_field(Project, "actual_start")
    actual_end = date_field(Project, "actual_end")
    opened_on = date_field(Project, "opened_on")
    units = integer(Project, "units", max_value=32767)
    beds = integer(Project, "beds", max_value=100000)
    capacity_note = text(Project, "capacity_note", required=False)
    beneficiaries = integer(Project, "beneficiaries", max_value=100_000_000)
    latitude = forms.DecimalField(label=label(Project, "latitude"), required=False, max_digits=9, decimal_places=6,
                                  min_value=20, max_value=36, widget=forms.TextInput(attrs={"dir": "ltr",
                                                                                           "inputmode": "decimal"}))
    longitude = forms.DecimalField(label=label(Project, "longitude"), required=False, max_digits=9,
                                   decimal_places=6, min_value=-18, max_value=-1,
                                   widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}))

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
    ]
    SERVICE_FIELDS = ("reference", "title_ar", "title_fr", "description", "category", "facility_type", "province",
                      "owner", "delegated_owner", "budget", "planned_start", "planned_end", "actual_start",
                      "actual_end", "opened_on", "units", "beds", "capacity_note", "beneficiaries", "latitude",
                      "longitude")
    TEXT_FIELDS = ("title_ar", "title_fr", "description", "capacity_note")

    def __init__(self, *args, agreement: Agreement, province_id=None, communes_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        owners = agreement_territory(agreement) | Q(kind=Organisation.Kind.PUBLIC_AGENCY)
        for name in ("owner", "delegated_owner"):
            field = organisation_field(label_text=label(Project, name), required=False, first=owners,
                                       first_label=_("Partners, public agencies and bodies of this territory"))
            self.fields[name] = field
        if self.is_bound:
            province_id = self.data.get(self.add_prefix("province")) or None
        province_id = province_id or self.initial.get("province") or agreement.province_id
        if isinstance(province_id, Province):
            province_id = province_id.pk
        self.fields["communes"] = communes_field(province_id=province_id, region_id=agreement.region_id)
        self.fields["communes"].widget.attrs["size"] = "8"
        self.fields["province"].refresh_button = _("Show the communes of this province")
        if communes_url:
            self.fields["province"].widget.attrs.update({
                "hx-get": communes_url, "hx-target": f"#{self['communes'].auto_id}", "hx-swap": "innerHTML",
            })

    def service_values(self) -> dict:
        values = self.values(*self.SERVICE_FIELDS)
        for name in self.TEXT_FIELDS:
            values[name] = text_or_empty(values.get(name))
        return values

    @staticmethod
    def initial_for(project: Project) -> dict:
        initial = {name: getattr(project, name) for name in ProjectForm.SERVICE_FIELDS}
        initial["communes"] = list(project.communes.values_list("pk", flat=True))
        initial["version"] = project.version
        return initial


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
    return GroupedModelMultipleChoiceField(
        communes_queryset(province_id=province_id, region_id=region_id),
        group_of=lambda c: (c.province.code, str(c.province)), required=False,
        label=label(Project, "communes"),
        help_text=_("The communes of the chosen province; hold Ctrl (or ⌘) to choose several."),
    )


class ProjectEditForm(VersionedForm, ProjectForm):
    pass


class FundingForm(ShirakaForm):
    organisation = forms.ModelChoiceField(Organisation.objects.none())
    amount = AmountField(label=label(ProjectFunding, "amount"),
                         help_text=_("In dirhams, e.g. 1500000.00. Leave empty when not specified."))
    layout = [(None, [("organisation", "col-md-8"), ("amount", "col-md-4")])]

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        field = organisation_field(label_text=label(ProjectFunding, "organisation"),
                                   first=Q(pk__in=project.agreement.partnerships.values("organisation")),
                                   first_label=_("Partners of the agreement"))
        self.fields["organisation"] = field


class MilestoneForm(ShirakaForm):
    kind = forms.ChoiceField(label=label(Milestone, "kind"), choices=Milestone.Kind.choices)
    planned_on = date_field(Milestone, "planned_on")
    achieved_on = date_field(Milestone, "achieved_on")
    note = text(Milestone, "note", required=False)
    layout = [(None, [("kind", "col-md-3"), ("planned_on", "col-md-3"), ("achieved_on", "col-md-3"),
                      ("note", "col-md-3")])]


class MilestoneAchieveForm(VersionedForm):
    achieved_on = date_field(Milestone, "achieved_on", required=True, initial=today)


class ProgressForm(ShirakaForm):
    reported_on = date_field(ProgressUpdate, "reported_on", required=True, initial=today)
    # Bounds are checked by the service, which says "between 0 and 100 %" in the page's language.
    physical_progress = forms.IntegerField(label=label(ProgressUpdate, "physical_progress"),
                                           widget=forms.NumberInput(attrs={"min": 0, "max": 100, "dir": "ltr"}))
    note = text(ProgressUpdate, "note", rows=3, required=False, attrs={"dir": "auto"})
    photos = MultipleFileField(label=capfirst(_("photos")), required=False,
                               help_text=_("JPEG or PNG, 20 MB at most each, up to 10 photos."),
                               widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png",
                                                               "multiple": True}))
    layout = [(None, [("reported_on", "col-md-4"), ("physical_progress", "col-md-4"), ("photos", "col-md-4"),
                      ("note", "col-12")])]

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(_("Send at most %(count)s photos at a time."), code="too_many_photos",
                                        params={"count": MAX_PHOTOS})
        safe, errors = [], []
        for photo in photos:
            try:
                safe.append(safe_upload(photo, allowed=PHOTO_KINDS))
            except forms.ValidationError as error:
                errors.extend(forms.ValidationError(f"{photo.name}: {message}") for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return safe


class ContractForm(ShirakaForm):
    kind = forms.ChoiceField(label=label(Contract, "kind"), choices=Contract.Kind.choices)
    reference = text(Contract, "reference", required=False, attrs={"dir": "ltr"})
    contractor = forms.ModelChoiceField(Organisation.objects.none(), required=False)
    contractor_name = text(Contract, "contractor_name", required=False, attrs={"dir": "auto"},
                           help_text=_("The company's name, when it is not in the list."))
    amount = AmountField(label=label(Contract, "amount"), required=True)
    signed_on = date_field(Contract, "signed_on")
    duration_days = integer(Contract, "duration_days", max_value=36500)
    layout = [(None, [("kind", "col-md-4"), ("reference", "col-md-4"), ("amount", "col-md-4"),
                      ("contractor", "col-md-6"), ("contractor_name", "col-md-6"), ("signed_on", "col-md-6"),
                      ("duration_days", "col-md-6")])]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = organisation_field(label_text=label(Contract, "contractor"), required=False,
                                   first=Q(kind=Organisation.Kind.COMPANY), first_label=_("Companies"))
        self.fields["contractor"] = field

    def service_values(self) -> dict:
        values = self.values("kind", "reference", "contractor", "contractor_name", "amount", "signed_on",
                             "duration_days")
        values["reference"] = text_or_empty(values.get("reference"))
        values["contractor_name"] = text_or_empty(values.get("contractor_name"))
        return values


class PaymentForm(ShirakaForm):
    paid_on = date_field(Payment, "paid_on", required=True, initial=today)
    amount = AmountField(label=label(Payment, "amount"), required=True)
    reference = text(Payment, "reference", required=False, attrs={"dir": "ltr"})
    layout = [(None, [("paid_on", "col-sm-4"), ("amount", "col-sm-4"), ("reference", "col-sm-4")])]
