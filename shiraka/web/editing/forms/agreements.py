"""Forms of the agreement edit pages: the agreement, its signatories, partners, schedule and transfers."""

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
from shiraka.core.uploads import JPEG, PDF, PNG, safe_upload
from shiraka.organisations.models import Organisation, Person
from shiraka.territory.models import Region
from shiraka.web.kit import pickers
from shiraka.web.kit.forms import AmountField, TextDirection, VersionedForm, date_field, label, text

from .common import FormPage, RecordForm

PROOF_KINDS = {PDF, JPEG, PNG}
# The agreement's own fields, as the services name them (`parent` is typed as a reference).
AGREEMENT_FIELDS = (
    "reference", "kind", "parent", "title_ar", "title_fr", "object_ar", "object_fr", "programme", "signed_on",
    "signed_place", "start_on", "end_on", "total_amount", "region", "province", "is_published", "source_url",
    "source_text",
)  # fmt: skip
PARTNERSHIP_FIELDS = (
    "is_funder", "is_project_owner", "is_delegated_owner", "is_technical_partner", "committed_amount",
    "commitment_source", "obligations",
)  # fmt: skip


class AgreementForm(RecordForm):
    reference = text(
        Agreement,
        "reference",
        attrs={"dir": "ltr", "autocomplete": "off"},
        help_text=_("e.g. GON-2023-SANTE-443; it cannot be used by another agreement."),
    )
    kind = forms.ChoiceField(label=label(Agreement, "kind"), choices=Agreement.Kind.choices)
    parent_reference = forms.CharField(
        label=label(Agreement, "parent"),
        required=False,
        max_length=60,
        help_text=_(
            "Reference of the framework agreement of a specific agreement, or of the agreement an "
            "amendment changes."
        ),
        widget=forms.TextInput(attrs={"list": "parent-references", "dir": "ltr", "autocomplete": "off"}),
    )
    title_ar = text(Agreement, "title_ar", attrs=TextDirection.AR)
    title_fr = text(Agreement, "title_fr", attrs=TextDirection.FR)
    object_ar = text(Agreement, "object_ar", rows=3, attrs=TextDirection.AR)
    object_fr = text(Agreement, "object_fr", rows=3, attrs=TextDirection.FR)
    programme = forms.ModelChoiceField(
        Programme.objects.all(), label=label(Agreement, "programme"), required=False
    )
    signed_on = date_field(Agreement, "signed_on")
    signed_place = text(Agreement, "signed_place")
    start_on = date_field(Agreement, "start_on")
    end_on = date_field(Agreement, "end_on")
    total_amount = AmountField(label=label(Agreement, "total_amount"))
    region = forms.ModelChoiceField(Region.objects.all(), label=label(Agreement, "region"), required=False)
    province = pickers.province_field(help_text=_("Leave empty for an agreement covering a whole region."))
    status = forms.ChoiceField(
        label=label(Agreement, "status"),
        choices=[
            (s, label_)
            for s, label_ in Agreement.Status.choices
            if s in {Agreement.Status.DRAFT, Agreement.Status.SIGNED, Agreement.Status.IN_EXECUTION}
        ],
        initial=Agreement.Status.SIGNED,
    )
    is_published = forms.BooleanField(
        label=label(Agreement, "is_published"),
        required=False,
        help_text=_("Published agreements are visible on the public portal."),
    )
    source_url = forms.URLField(
        label=label(Agreement, "source_url"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )
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
    ]  # fmt: skip
    # `status` is asked on creation only; the edit form has no such field, so no such value.
    SERVICE_FIELDS = (*AGREEMENT_FIELDS, "status")
    TEXT_FIELDS = (
        "title_ar",
        "title_fr",
        "object_ar",
        "object_fr",
        "signed_place",
        "source_url",
        "source_text",
    )

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
            raise forms.ValidationError(
                _("No agreement has the reference “%(reference)s”."),
                code="parent_unknown",
                params={"reference": reference},
            )
        return parent

    def clean(self):
        data = super().clean()
        data["parent"] = data.get("parent_reference")
        return data

    @staticmethod
    def initial_for(agreement: Agreement) -> dict:
        initial = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS if name != "parent"}
        initial["parent_reference"] = agreement.parent.reference if agreement.parent_id else ""
        initial["version"] = agreement.version
        return initial


class AgreementEditForm(VersionedForm, AgreementForm):
    pass


class SignatoryForm(RecordForm):
    page = FormPage(_("Add a signatory to %(reference)s"), _("The signatory was added."))
    person = forms.ModelChoiceField(
        Person.objects.none(),
        label=capfirst(_("person already known")),
        required=False,
        help_text=_("Choose a person already known, or give a new person's name below."),
    )
    full_name_ar = text(Person, "full_name_ar", required=False, attrs=TextDirection.AR)
    full_name_fr = text(Person, "full_name_fr", required=False, attrs=TextDirection.FR)
    role = text(
        Signatory,
        "role",
        required=False,
        help_text=_("As the text writes it, e.g. «وزير الصحة والحماية الاجتماعية»."),
        attrs={"dir": "auto"},
    )
    organisation = forms.ModelChoiceField(Organisation.objects.none(), required=False)
    presided = forms.BooleanField(label=label(Signatory, "presided"), required=False)

    layout = [
        (None, [("person", "col-12")]),
        (_("Or a new person"), [("full_name_ar", "col-md-6"), ("full_name_fr", "col-md-6")]),
        (None, [("role", "col-md-6"), ("organisation", "col-md-6"), ("presided", "col-12")]),
    ]
    SERVICE_FIELDS = ("person", "full_name_ar", "full_name_fr", "role", "organisation", "presided")
    TEXT_FIELDS = ("full_name_ar", "full_name_fr", "role")

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        if agreement.region_id:
            people = Person.objects.filter(
                Q(organisation__partnerships__agreement=agreement)
                | Q(signatures__agreement__region_id=agreement.region_id)
                | Q(signatures__agreement=agreement)
            ).exclude(signatures__agreement=agreement)
        else:
            people = Person.objects.filter(organisation__partnerships__agreement=agreement)
        self.fields["person"].queryset = people.distinct()
        self.fields["organisation"] = pickers.organisation_field(
            label_text=label(Signatory, "organisation"),
            required=False,
            first=pickers.agreement_territory(agreement),
            first_label=_("Partners and bodies of this territory"),
        )

    def clean(self):
        data = super().clean()
        named = (data.get("full_name_ar") or "").strip() or (data.get("full_name_fr") or "").strip()
        if not data.get("person") and not named:
            self.add_error(
                "full_name_ar",
                forms.ValidationError(
                    _("Choose a person already known, or give the new person's name in Arabic or in French."),
                    code="person_required",
                ),
            )
        return data


def partnership_roles():
    return [("is_funder", "col-sm-6 col-lg-3"), ("is_project_owner", "col-sm-6 col-lg-3"),
            ("is_delegated_owner", "col-sm-6 col-lg-3"), ("is_technical_partner", "col-sm-6 col-lg-3")]  # fmt: skip


class PartnershipForm(RecordForm):
    page = FormPage(_("Add a partner to %(reference)s"), _("The partner was added."))
    organisation = forms.ModelChoiceField(Organisation.objects.none())
    is_funder = forms.BooleanField(label=label(Partnership, "is_funder"), required=False)
    is_project_owner = forms.BooleanField(label=label(Partnership, "is_project_owner"), required=False)
    is_delegated_owner = forms.BooleanField(label=label(Partnership, "is_delegated_owner"), required=False)
    is_technical_partner = forms.BooleanField(
        label=label(Partnership, "is_technical_partner"), required=False
    )
    committed_amount = AmountField(
        label=label(Partnership, "committed_amount"),
        help_text=_(
            "In dirhams, e.g. 1500000.00. Leave empty when the agreement does not specify this partner's share."
        ),
    )
    commitment_source = text(Partnership, "commitment_source", required=False)
    obligations = text(Partnership, "obligations", rows=3, required=False, attrs={"dir": "auto"})

    layout = [
        (None, [("organisation", "col-12")]),
        (_("Roles"), partnership_roles()),
        (
            None,
            [("committed_amount", "col-md-6"), ("commitment_source", "col-md-6"), ("obligations", "col-12")],
        ),
    ]
    # The edit form has no `organisation` field: a partner is not swapped for another.
    SERVICE_FIELDS = ("organisation", *PARTNERSHIP_FIELDS)
    TEXT_FIELDS = ("commitment_source", "obligations")

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        territory = None
        if agreement.province_id:
            territory = Q(province_id=agreement.province_id)
        elif agreement.region_id:
            territory = Q(region_id=agreement.region_id)
        if territory is not None:
            territory |= Q(kind__in=[Organisation.Kind.MINISTRY, Organisation.Kind.INDH])
        self.fields["organisation"] = pickers.organisation_field(
            label_text=label(Partnership, "organisation"),
            first=territory,
            first_label=_("Ministries, INDH and bodies of this territory"),
        )


class PartnershipEditForm(VersionedForm, PartnershipForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]

    @staticmethod
    def initial_for(partnership: Partnership) -> dict:
        initial = {name: getattr(partnership, name) for name in PARTNERSHIP_FIELDS}
        initial["version"] = partnership.version
        return initial


class ContributionForm(RecordForm):
    page = FormPage(_("Schedule a contribution of %(partner)s"), _("The contribution was scheduled."),
                    "schedule-{pk}", "id_s{pk}_%s", _("Add to the schedule"))  # fmt: skip
    due_on = date_field(ScheduledContribution, "due_on", required=True)
    amount = AmountField(label=label(ScheduledContribution, "amount"), required=True)
    note = text(ScheduledContribution, "note", required=False)
    layout = [(None, [("due_on", "col-sm-4"), ("amount", "col-sm-4"), ("note", "col-sm-4")])]
    SERVICE_FIELDS = ("due_on", "amount", "note")


class TransferForm(RecordForm):
    page = FormPage(_("Record a transfer of %(partner)s"), _("The transfer was recorded."), "transfer-{pk}",
                    "id_t{pk}_%s", _("Record the transfer"))  # fmt: skip
    transferred_on = date_field(Transfer, "transferred_on", required=True, initial=today)
    amount = AmountField(label=label(Transfer, "amount"), required=True)
    reference = text(
        Transfer,
        "reference",
        required=False,
        attrs={"dir": "ltr"},
        help_text=_("The bank or treasury transfer reference."),
    )
    proof = forms.FileField(
        label=label(Transfer, "proof"),
        required=False,
        help_text=_("PDF, JPEG or PNG, 20 MB at most."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
    note = text(Transfer, "note", required=False)
    layout = [(None, [("transferred_on", "col-sm-6"), ("amount", "col-sm-6"), ("reference", "col-sm-6"),
                      ("proof", "col-sm-6"), ("note", "col-12")])]  # fmt: skip
    SERVICE_FIELDS = ("transferred_on", "amount", "reference", "proof", "note")

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if not proof:
            return None
        return safe_upload(proof, allowed=PROOF_KINDS)
