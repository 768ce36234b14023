"""The forms of the two extract pages: the text (pasted or uploaded), then, for each agreement the
text reports, its fields and one row form per partner, signatory, attendee and project.

The forms check types and sizes; which rows are kept and what they become is decided by
`shiraka.intake.services.reviewed_draft_create`."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from shiraka.accounts.access import editable_agreements
from shiraka.agreements.models import Agreement, Programme
from shiraka.extraction.documents import Refusal, document_text
from shiraka.organisations.models import Organisation
from shiraka.projects.models import Category
from shiraka.territory.models import Province, Region
from shiraka.web.kit.forms import AmountField, DateInput, ShirakaForm, amount_input_value

# The refusals of shiraka.extraction.documents, as the page says them in its reader's language.
REFUSAL_MESSAGES = {
    "empty": _("The text is empty: paste a press release or choose a file."),
    "binary": _("This looks like a binary file (it contains NUL bytes), not text."),
    "encoding": _("This file is not UTF-8 text."),
    "too_large": _(
        "The text is larger than 1 MB (1,048,576 bytes): it is not a press release, nothing was read."
    ),
    "file_too_large": _("The file is larger than 10 MB; nothing was read."),
    "too_long": _(
        "The text is longer than 50,000 characters, far more than a press release: paste only the "
        "article. Nothing was read."
    ),
    "language": _("The text is neither Arabic nor French; nothing was extracted."),
    "both": _("Paste a text or choose a file, not both."),
    "type": _("Only .txt, .docx and .pdf files can be read."),
    "docx": _("This .docx file cannot be read (damaged, or not a Word document)."),
    "pdf_unavailable": _(
        "PDF files cannot be read on this server yet: copy the text from the PDF and paste it here."
    ),
    "pdf": _("This PDF has no readable text layer (scanned, encrypted or damaged): paste its text instead."),
}


class DraftSourceForm(ShirakaForm):
    text = forms.CharField(
        label=_("Press release text"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 14})
    )
    file = forms.FileField(
        label=_("Or a file (.txt, .docx, .pdf)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators = []  # a NUL is refused by document_text, with its own message

    def clean(self):
        data = super().clean()
        try:
            data["source"] = document_text(data.get("text") or "", data.get("file"))
        except Refusal as refusal:
            raise ValidationError(REFUSAL_MESSAGES[refusal.key], code=refusal.key) from None
        return data


class ReviewSelect(forms.Select):
    """A select written out directly. The review repeats the list of every recorded organisation
    in each partner and attendee row; Django's per-option templates made one view of a single
    article take over a second."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            mark = " selected" if key in chosen else ""
            options.append(f'<option value="{escape(key)}"{mark}>{escape(label)}</option>')
        final = self.build_attrs(self.attrs, attrs)
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final)}>{"".join(options)}</select>')


class DraftForm(ShirakaForm):
    """A form of the review: small controls, amounts pre-filled as people write them, and the
    choices read once per page (`choices={"organisation": [(pk, label), ...]}`)."""

    compact = True

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = ReviewSelect(attrs=field.widget.attrs)
                field.widget.choices = field.choices
        self.initial = {
            name: amount_input_value(value) if isinstance(self.fields.get(name), AmountField) else value
            for name, value in self.initial.items()
        }
        for name, options in (choices or {}).items():
            field = self.fields[name]
            empty = [] if isinstance(field, forms.MultipleChoiceField) else [("", "—")]
            field.choices = [*empty, *options]


class DraftIncludedRowForm(DraftForm):
    """A row added only when ticked (signatories, attendees, projects)."""

    include = forms.BooleanField(required=False)  # labelled by each row: include_label
    include_label = ""
    # The values a ticked row needs, each with the message asking for it.
    needed_when_included: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["include"].label = self.include_label

    def clean(self):
        data = super().clean()
        if data.get("include"):
            for name, message in self.needed_when_included.items():
                if not (data.get(name) or "").strip():
                    self.add_error(name, message)
        return data


def _one_row(**columns: str) -> list:
    """The layout of a review row: its fields in this order, each in its Bootstrap column."""
    return [(None, list(columns.items()))]


def _pick(label):
    """A choice of a recorded organisation or of a partner row; its choices are given per page."""
    return forms.TypedChoiceField(label=label, coerce=int, empty_value=None, required=False)


class DraftAgreementForm(DraftForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput())
    signed_place = forms.CharField(label=_("Place of signing"), max_length=255, required=False)
    total_amount = AmountField(label=_("Total amount (MAD)"), help_text="")
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all(), required=False)
    new_programme = forms.CharField(
        label=_("Or a new programme"),
        max_length=255,
        required=False,
        help_text=_(
            "A programme not recorded yet: it is created with the agreement, in its region or province."
        ),
    )
    new_programme_kind = forms.ChoiceField(
        label=_("Kind of the new programme"),
        choices=Programme.Kind.choices,
        initial=Programme.Kind.OTHER,
        required=False,
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    province = forms.ModelChoiceField(
        label=_("Province or prefecture"), queryset=Province.objects.all(), required=False
    )
    # Named as on the other agreement forms, so a service's refusal of `parent` lands here.
    parent_reference = forms.CharField(
        label=_("Parent agreement (reference)"),
        max_length=60,
        required=False,
        help_text=_("For a specific agreement or an amendment: the agreement it belongs to."),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_parent_reference(self):
        reference = self.cleaned_data.get("parent_reference", "").strip()
        if not reference:
            return None
        parent = editable_agreements(self.user, Agreement.objects.all()).filter(reference=reference).first()
        if parent is None:
            raise ValidationError(_("No agreement you may edit has this reference."), code="parent_unknown")
        return parent

    def clean(self):
        data = super().clean()
        if data.get("programme") and (data.get("new_programme") or "").strip():
            self.add_error("new_programme", _("Choose a recorded programme or name a new one, not both."))
        return data

    def agreement_values(self) -> dict:
        values = dict(self.cleaned_data)
        values["parent"] = values.pop("parent_reference")
        name = values.pop("new_programme", "").strip()
        kind = values.pop("new_programme_kind", "") or Programme.Kind.OTHER
        values["new_programme"] = {"name": name, "kind": kind} if name else None
        return values


class DraftPartnerForm(DraftForm):
    layout = _one_row(
        organisation="col-md-7",
        committed_amount="col-md-5",
        is_funder="col-auto",
        is_project_owner="col-auto",
        is_delegated_owner="col-auto",
        is_technical_partner="col-auto",
        create="col-12 ms-2",
        new_name="col-md-7",
        new_kind="col-md-5",
    )
    organisation = _pick(_("Existing organisation"))
    create = forms.BooleanField(label=_("Create a new organisation"), required=False)
    new_name = forms.CharField(label=_("Name of the new organisation"), max_length=255, required=False)
    new_kind = forms.ChoiceField(
        label=_("Kind of the new organisation"), choices=Organisation.Kind.choices, required=False
    )
    committed_amount = AmountField(
        label=_("Committed amount (MAD)"),
        help_text=_("Leave empty when the text does not give this partner's share."),
    )
    is_funder = forms.BooleanField(label=_("funder"), required=False)
    is_project_owner = forms.BooleanField(label=_("project owner"), required=False)
    is_delegated_owner = forms.BooleanField(label=_("delegated project owner"), required=False)
    is_technical_partner = forms.BooleanField(label=_("technical partner"), required=False)

    def clean(self):
        data = super().clean()
        create = data.get("create")
        if create and data.get("organisation"):
            self.add_error("create", _("Choose an existing organisation or create a new one, not both."))
        if create and not (data.get("new_name") or "").strip():
            self.add_error("new_name", _("Give the new organisation's name."))
        if create and not data.get("new_kind"):
            self.add_error("new_kind", _("Choose the kind of the new organisation."))
        if not create and not data.get("organisation") and data.get("committed_amount") is not None:
            self.add_error(
                "organisation", _("Choose the organisation that commits this amount, or create it.")
            )
        return data


class DraftSignatoryForm(DraftIncludedRowForm):
    layout = _one_row(
        include="col-12 ms-2", name="col-md-4", role="col-md-4", partner="col-md-4", presided="col-12 ms-2"
    )
    include_label = _("Add this signatory")
    needed_when_included = {"name": _("Give the signatory's name, or untick the row.")}
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.CharField(label=_("Role as written"), max_length=255, required=False)
    partner = _pick(_("On behalf of"))
    presided = forms.BooleanField(label=_("presided over the signing"), required=False)


class DraftAttendeeForm(DraftIncludedRowForm):
    layout = _one_row(include="col-12 ms-2", description="col-md-6", organisation="col-md-6")
    include_label = _("Add this attendee")
    needed_when_included = {"description": _("Describe the attendee, or untick the row.")}
    description = forms.CharField(label=_("Attendee as written"), max_length=255, required=False)
    organisation = _pick(_("Organisation"))


class DraftProjectForm(DraftIncludedRowForm):
    layout = _one_row(
        include="col-12 ms-2", title="col-12", category="col-md-6", budget="col-md-6", communes="col-12"
    )
    include_label = _("Add this project")
    needed_when_included = {
        "title": _("Give the project's title, or untick the row."),
        "category": _("Choose the project's category."),
    }
    title = forms.CharField(label=_("Project title"), max_length=500, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices], required=False)
    budget = AmountField(label=_("Budget (MAD)"), help_text="")
    communes = forms.TypedMultipleChoiceField(
        label=_("Communes"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
