"""Forms correcting the rows of an agreement page: a signatory, a signing attendee, a schedule line
(edited, each carrying the version the user read), and the confirmation that removes one of them or
a partner."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shiraka.agreements.models import ScheduledContribution, Signatory, SigningAttendee
from shiraka.organisations.models import Person
from shiraka.web.kit import forms as kit
from shiraka.web.kit import pickers
from shiraka.web.kit.forms import VersionedForm, initial_of, label, text

from .agreements import ContributionForm, SignatoryForm
from .common import FormPage, RecordForm


def row_page(title, saved, kind: str) -> FormPage:
    """The words of a row's form; its ids carry the row's kind and pk (`{pk}`), unique on the agreement
    page, where each row may open its own form."""
    return FormPage(title, saved, f"edit-{kind}-{{pk}}", f"id_{kind}{{pk}}_%s")


class RowEditForm(VersionedForm):
    """A row of the agreement page corrected where it stands; the title names it as it prints."""

    name_of = staticmethod(str)


class SignatoryEditForm(RowEditForm, SignatoryForm):
    """The signatory's person (one already known: a new person is added as a new signatory), role,
    organisation and whether they presided."""

    page = row_page(_("Edit the signatory %(row)s"), _("The signatory was saved."), "signatory")

    SERVICE_FIELDS = ("person", "role", "organisation", "presided")
    TEXT_FIELDS = ("role",)

    def __init__(self, *args, row: Signatory, **kwargs):
        super().__init__(*args, agreement=row.agreement, **kwargs)
        del self.fields["full_name_ar"], self.fields["full_name_fr"]
        person = self.fields["person"]
        person.queryset = Person.objects.filter(Q(pk__in=person.queryset.values("pk")) | Q(pk=row.person_id))
        person.required = True
        person.label = label(Signatory, "person")
        person.help_text = ""

    def clean(self):
        # SignatoryForm.clean asks for a person or a new name; here the person is a required field.
        return RecordForm.clean(self)

    @staticmethod
    def initial_for(row: Signatory) -> dict:
        return initial_of(row, "person", "role", "organisation", "presided", "version")


class AttendeeEditForm(RowEditForm, RecordForm):
    page = row_page(_("Edit the attendee %(row)s"), _("The attendee was saved."), "attendee")
    description = text(
        SigningAttendee,
        "description",
        attrs={"dir": "auto"},
        help_text=_("As the text writes it, e.g. «بحضور السيد والي جهة سوس ماسة»."),
    )
    layout = [(None, [("description", "col-12"), ("organisation", "col-12")])]
    SERVICE_FIELDS = ("description", "organisation")
    TEXT_FIELDS = ("description",)

    def __init__(self, *args, row: SigningAttendee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = pickers.organisation_field(
            label_text=label(SigningAttendee, "organisation"),
            required=False,
            first=pickers.agreement_territory(row.agreement),
            first_label=_("Partners and bodies of this territory"),
        )

    @staticmethod
    def initial_for(row: SigningAttendee) -> dict:
        return initial_of(row, "description", "organisation", "version")


class ContributionEditForm(RowEditForm, ContributionForm):
    page = row_page(_("Edit the schedule line: %(row)s"), _("The schedule line was saved."), "contribution")

    def __init__(self, *args, row: ScheduledContribution, **kwargs):
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(row: ScheduledContribution) -> dict:
        return {
            "due_on": row.due_on,
            "amount": kit.amount_input_value(row.amount),
            "note": row.note,
            "version": row.version,
        }
