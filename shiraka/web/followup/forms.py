"""Forms of the follow-up pages: the alert and committee filters, and the committee, member, meeting,
decision and minutes forms. They check the shape of the input; shiraka.followup.services decides."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shiraka.agreements.models import Agreement
from shiraka.core.uploads import JPEG, PDF, PNG, safe_upload
from shiraka.followup.alerts import KIND_LABELS, KINDS
from shiraka.followup.models import Committee, Decision, Meeting
from shiraka.followup.selectors import organisations_for, province_choices, region_choices
from shiraka.organisations.models import Person
from shiraka.projects.models import Project
from shiraka.web.kit.forms import (
    TEXT_LIMIT,
    DateInput,
    ShirakaForm,
    TextDirection,
    VersionedForm,
    date_field,
    label,
)
from shiraka.web.kit.forms import text as text_field

SCAN_KINDS = {PDF, JPEG, PNG}


def region_select(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(region_choices(), required=False, label=_("Region"), **kwargs)


def province_select(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        province_choices(), required=False, label=_("Province or prefecture"), **kwargs
    )


def committee_organisations(committee: Committee):
    return organisations_for(committee).order_by("kind", "name_fr", "name_ar")


# --- filters ---------------------------------------------------------------------------------------


class AlertFilterForm(ShirakaForm):
    region = region_select(empty_label=_("All regions"))
    province = province_select(empty_label=_("All provinces"))
    kind = forms.ChoiceField(required=False, label=_("Kind of alert"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *((kind, KIND_LABELS[kind]) for kind in KINDS)]


class CommitteeFilterForm(ShirakaForm):
    region = region_select(empty_label=_("All regions"))
    kind = forms.ChoiceField(
        required=False, label=_("Kind"), choices=[("", _("All kinds")), *Committee.Kind.choices]
    )


# --- committees and members ------------------------------------------------------------------------


class CommitteeForm(ShirakaForm):
    words = {"title": _("New committee"), "submit_label": _("Create the committee")}
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Committee.Kind.choices, initial=Committee.Kind.SUPERVISION
    )
    name_ar = text_field(Committee, "name_ar", attrs=TextDirection.AR)
    name_fr = text_field(Committee, "name_fr", attrs=TextDirection.FR)
    region = region_select()
    province = province_select()
    chair = forms.ModelChoiceField(
        Person.objects.order_by("full_name_fr", "full_name_ar"), required=False, label=_("Chair")
    )
    chair_role = text_field(Committee, "chair_role")
    mandate = text_field(Committee, "mandate", rows=3)
    agreement_references = forms.CharField(
        label=_("Agreements followed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
        help_text=_("Agreement references, separated by commas or new lines."),
    )
    partners_as_members = forms.BooleanField(
        label=_("The partners of these agreements are members"), required=False, initial=True
    )

    def clean_agreement_references(self):
        typed = self.cleaned_data["agreement_references"]
        references = [r for r in (part.strip() for part in typed.replace(",", "\n").splitlines()) if r]
        found = {a.reference: a for a in Agreement.objects.filter(reference__in=references)}
        missing = [r for r in references if r not in found]
        if missing:
            raise ValidationError(
                _("No agreement has the reference %(references)s."),
                params={"references": ", ".join(missing)},
                code="unknown_reference",
            )
        return list(dict.fromkeys(found[r] for r in references))

    def partner_members(self) -> list[tuple]:
        """Each partner organisation of the agreements followed, once, as (organisation, person, role)."""
        if not self.cleaned_data["partners_as_members"]:
            return []
        members = {}
        for agreement in self.cleaned_data["agreement_references"]:
            for partnership in agreement.partnerships.select_related("organisation").order_by("pk"):
                members.setdefault(partnership.organisation_id, (partnership.organisation, None, ""))
        return list(members.values())

    def committee_arguments(self) -> dict:
        """What shiraka.followup.services.committee_create takes."""
        return {
            **self.values(
                "kind", "name_ar", "name_fr", "region", "province", "chair", "chair_role", "mandate"
            ),
            "agreements": self.cleaned_data["agreement_references"],
            "members": self.partner_members(),
        }


class MemberForm(ShirakaForm):
    words = {
        "title": _("New member"),
        "submit_label": _("Add the member"),
        "intro": _("A member is an organisation, a person, or a person on behalf of an organisation."),
    }
    organisation = forms.ModelChoiceField(None, required=False, label=_("Organisation"))
    full_name_ar = forms.CharField(
        label=_("Person's name (Arabic)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(TextDirection.AR),
    )
    full_name_fr = forms.CharField(
        label=_("Person's name (French)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(TextDirection.FR),
    )
    role = forms.CharField(label=_("Role in the committee"), max_length=255, required=False)

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = committee_organisations(committee)


# --- meetings --------------------------------------------------------------------------------------


def member_label(member) -> str:
    parts = [str(part) for part in (member.person, member.organisation) if part is not None]
    name = " — ".join(parts)
    role = getattr(member, "role", "")  # an attendance row has none
    return f"{name} ({role})" if role else name


class MeetingForm(ShirakaForm):
    words = {"title": _("New meeting"), "submit_label": _("Record the meeting")}
    held_on = date_field(Meeting, "held_on", required=True)
    place = text_field(Meeting, "place")
    attendees = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple
    )
    agenda = text_field(
        Meeting, "agenda", rows=12, help_text=_("Proposed from the committee's open alerts; edit it freely.")
    )
    minutes = text_field(Meeting, "minutes", rows=8)
    layout = [(None, [("held_on", "col-md-4"), ("place", "col-md-8"), "attendees", "agenda", "minutes"])]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["attendees"].choices = [(str(m.pk), member_label(m)) for m in members]

    def attendance(self) -> list[tuple]:
        """Every member, ticked or not, as (organisation, person, present)."""
        present = set(self.cleaned_data["attendees"])
        return [(m.organisation, m.person, str(m.pk) in present) for m in self.members]


class MinutesForm(VersionedForm):
    place = text_field(Meeting, "place")
    agenda = text_field(Meeting, "agenda", rows=8)
    minutes = text_field(Meeting, "minutes", rows=12)
    minutes_scan = forms.FileField(
        label=label(Meeting, "minutes_scan"), required=False, help_text=_("PDF, JPEG or PNG, 20 MB at most.")
    )

    def clean_minutes_scan(self):
        scan = self.cleaned_data["minutes_scan"]
        return safe_upload(scan, allowed=SCAN_KINDS) if scan else None


# --- decisions -------------------------------------------------------------------------------------


class DecisionForm(ShirakaForm):
    words = {
        "title": _("New decision"),
        "submit_label": _("Record the decision"),
        "intro": _("A decision is a tracked action: who does what, by when, on which agreement or project."),
    }
    text = forms.CharField(
        label=_("Decision"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.ModelChoiceField(None, required=False, label=_("Responsible organisation"))
    due_on = date_field(Decision, "due_on")
    meeting = forms.ModelChoiceField(None, required=False, label=_("Meeting"))
    agreement = forms.ModelChoiceField(None, required=False, label=_("Agreement"))
    project = forms.ModelChoiceField(None, required=False, label=_("Project"))

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["responsible"].queryset = committee_organisations(committee)
        fields["meeting"].queryset = committee.meetings.order_by("-held_on")
        fields["agreement"].queryset = committee.agreements.order_by("reference")
        fields["project"].queryset = Project.objects.filter(agreement__committees=committee).order_by(
            "reference"
        )
        fields["meeting"].label_from_instance = lambda m: m.held_on.isoformat()
        fields["agreement"].label_from_instance = lambda a: a.reference
        fields["project"].label_from_instance = lambda p: f"{p.reference} — {p.title}"


class DecisionStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("New status"), choices=Decision.Status.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput())


# --- corrections -----------------------------------------------------------------------------------


class MemberRoleForm(VersionedForm):
    words = {"title": _("Edit the member"), "success": _("The member's role was corrected.")}
    role = forms.CharField(label=_("Role in the committee"), max_length=255, required=False)


def attendee_key(organisation_id, person_id) -> str:
    return f"{organisation_id or 0}-{person_id or 0}"


class MeetingEditForm(VersionedForm):
    """The date, the place and who was present: everyone on the attendance list, then the members
    who joined the committee since (ticked, they are added to the list)."""

    words = {"title": _("Edit the meeting"), "success": _("The meeting was corrected.")}

    held_on = date_field(Meeting, "held_on", required=True)
    place = text_field(Meeting, "place")
    attendees = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple
    )
    layout = [(None, [("held_on", "col-md-4"), ("place", "col-md-8"), "attendees"])]

    def __init__(self, *args, meeting: Meeting, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.listed = {}  # key → (organisation, person, already on the attendance list)
        choices = []
        for row in meeting.attendance.select_related("organisation", "person").order_by("pk"):
            key = attendee_key(row.organisation_id, row.person_id)
            self.listed[key] = (row.organisation, row.person, True)
            choices.append((key, member_label(row)))
        for member in members:
            key = attendee_key(member.organisation_id, member.person_id)
            if key not in self.listed:
                self.listed[key] = (member.organisation, member.person, False)
                choices.append((key, member_label(member)))
        self.fields["attendees"].choices = choices
        if not self.is_bound:
            self.initial.setdefault(
                "attendees",
                [
                    attendee_key(r.organisation_id, r.person_id)
                    for r in meeting.attendance.filter(present=True)
                ],
            )

    def attendance(self) -> list[tuple]:
        """(organisation, person, present) for everyone listed, and for the new members ticked."""
        present = set(self.cleaned_data["attendees"])
        return [
            (organisation, person, key in present)
            for key, (organisation, person, listed) in self.listed.items()
            if listed or key in present
        ]


class DecisionEditForm(VersionedForm, DecisionForm):
    """The decision form without its meeting (a decision stays with the meeting that took it)."""

    words = {"title": _("Edit the decision"), "success": _("The decision was corrected.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["meeting"]
