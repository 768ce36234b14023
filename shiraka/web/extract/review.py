"""The review of one extracted agreement on the page: the intake's proposal as forms (pre-filled, or
bound to what was posted), a few empty rows to add what the text missed, and the confirmation,
whose refusals are put back next to the inputs they concern."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shiraka.core.text import fold
from shiraka.intake.proposal import AgreementProposal, DraftReading, RowProposal
from shiraka.intake.services import ReviewedDraft, reviewed_draft_create
from shiraka.web.kit.forms import ShirakaForm, attach_errors

from .forms import (
    DraftAgreementForm,
    DraftAttendeeForm,
    DraftPartnerForm,
    DraftProjectForm,
    DraftSignatoryForm,
)

# Empty rows offered after those read in the text, for what the extraction missed.
EXTRA_ROWS = {"partners": 1, "signatories": 1, "attendees": 1, "projects": 2}
SECTIONS = (  # (section, form, letter of its rows in the field prefixes)
    ("partners", DraftPartnerForm, "p"),
    ("signatories", DraftSignatoryForm, "s"),
    ("attendees", DraftAttendeeForm, "t"),
    ("projects", DraftProjectForm, "x"),
)


@dataclass
class ReviewRow:
    form: ShirakaForm
    read: str = ""  # the value as read in the text
    note: str = ""


@dataclass
class AgreementReview:
    proposal: AgreementProposal
    form: DraftAgreementForm
    rows: dict[str, list[ReviewRow]] = field(default_factory=dict)
    created: str | None = None
    error: str = ""

    @property
    def forms(self) -> list[ShirakaForm]:
        return [self.form, *(row.form for rows in self.rows.values() for row in rows)]

    def reviewed(self) -> ReviewedDraft:
        """What was confirmed, once every form is valid."""
        return ReviewedDraft(
            agreement=self.form.agreement_values(),
            **{section: [row.form.cleaned_data for row in rows] for section, rows in self.rows.items()},
        )


def organisation_choices(reading: DraftReading) -> list[tuple[int, str]]:
    return sorted(((o.pk, str(o)) for o in reading.organisations.organisations), key=lambda c: fold(c[1]))


def _partner_choices(proposal: AgreementProposal) -> list[tuple[int, str]]:
    read = len(proposal.partners)
    extra = [
        (read + j, _("another partner (row %(n)s)") % {"n": read + j + 1})
        for j in range(EXTRA_ROWS["partners"])
    ]
    return [*enumerate(row.read for row in proposal.partners), *extra]


def review_of(reading: DraftReading, proposal: AgreementProposal, *, user, organisations, data=None):
    """The forms of one agreement: bound to `data` when it was the one posted, pre-filled otherwise."""
    prefix = f"a{proposal.index}"

    def form(form_class, form_prefix, initial, **kwargs):
        if data is not None:
            return form_class(data=data, prefix=form_prefix, **kwargs)
        return form_class(prefix=form_prefix, initial=initial, **kwargs)

    choices = {
        "partners": {"organisation": organisations},
        "signatories": {"partner": _partner_choices(proposal)},
        "attendees": {"organisation": organisations},
        "projects": {"communes": proposal.communes},
    }
    review = AgreementReview(proposal, form(DraftAgreementForm, prefix, proposal.agreement, user=user))
    for section, form_class, letter in SECTIONS:
        proposed = [*getattr(proposal, section), *[RowProposal("", {})] * EXTRA_ROWS[section]]
        review.rows[section] = [
            ReviewRow(
                form(form_class, f"{prefix}-{letter}{j}", row.initial, choices=choices[section]),
                row.read,
                row.note,
            )
            for j, row in enumerate(proposed)
        ]
    return review


def confirm(reading: DraftReading, review: AgreementReview, user):
    """Create the reviewed agreement; None when refused, the reasons then being on the forms."""
    if not all(form.is_valid() for form in review.forms):
        return None
    try:
        return reviewed_draft_create(reading, review.reviewed(), by=user)
    except ValidationError as error:
        _attach(review, error)
        return None


def _attach(review: AgreementReview, error: ValidationError) -> None:
    """`partners.1.new_name` goes to the field new_name of the second partner row; a refusal of
    something no input shows goes on top of its row, and is announced above the whole form."""
    by_form: dict[int, tuple[ShirakaForm, dict]] = {}
    for key, errors in error.error_dict.items():
        section, _dot, rest = key.partition(".")
        if section == "agreement":
            target, name = review.form, rest
        else:
            row, _dot, name = rest.partition(".")
            target = review.rows[section][int(row)].form
        by_form.setdefault(id(target), (target, {}))[1][name] = errors
    for target, errors in by_form.values():
        attach_errors(target, ValidationError(errors))
    if any(form.non_field_errors() for form in review.forms):
        review.error = _("The agreement could not be created; see the messages below.")
