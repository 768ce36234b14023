"""Forms that correct a project's rows: a funding line's amount, a milestone, a progress update's
note, a contract, and the confirmation that removes one of them (or a site photo). Each carries the
version the user read; the services check the rules."""

from django.utils.translation import gettext_lazy as _

from shiraka.projects import models
from shiraka.web.kit.forms import AmountField, VersionedForm, amount_input_value, label

from .common import FormPage, RecordForm
from .projects import ContractForm, MilestoneForm, ProgressForm


def row_page(title, saved, kind: str, submit_label=None) -> FormPage:
    """The words of a row's form; its ids carry the row's kind and pk (`{pk}`), so that several rows'
    forms live on one page."""
    return FormPage(title, saved, f"{kind}-edit-{{pk}}", f"id_{kind}{{pk}}_%s", submit_label)


class FundingEditForm(VersionedForm, RecordForm):
    page = row_page(_("Change the funding of %(record)s"), _("The funding was saved."), "funding")
    amount = AmountField(
        label=label(models.ProjectFunding, "amount"),
        help_text=_("In dirhams, e.g. 1500000.00. Leave empty when not specified."),
    )
    SERVICE_FIELDS = ("amount",)

    @staticmethod
    def name_of(funding: models.ProjectFunding) -> str:
        return str(funding.organisation)

    @staticmethod
    def initial_for(funding: models.ProjectFunding) -> dict:
        return {"amount": amount_input_value(funding.amount), "version": funding.version}


class MilestoneEditForm(VersionedForm, MilestoneForm):
    page = row_page(_("Change the milestone “%(record)s”"), _("The milestone was saved."), "milestone")

    @staticmethod
    def name_of(milestone: models.Milestone) -> str:
        return milestone.get_kind_display()

    @staticmethod
    def initial_for(milestone: models.Milestone) -> dict:
        names = ("kind", "planned_on", "achieved_on", "note")
        return {**{name: getattr(milestone, name) for name in names}, "version": milestone.version}


class ProgressEditForm(VersionedForm, RecordForm):
    """The note only: the date and the figure of an update are corrected by recording a new one."""

    page = row_page(
        _("Change the note of the progress update of %(record)s"), _("The note was saved."), "progress"
    )
    note = ProgressForm.base_fields["note"]
    SERVICE_FIELDS = ("note",)
    TEXT_FIELDS = ("note",)

    @staticmethod
    def name_of(update: models.ProgressUpdate) -> str:
        return f"{update.reported_on:%Y-%m-%d} ({update.physical_progress} %)"

    @staticmethod
    def initial_for(update: models.ProgressUpdate) -> dict:
        return {"note": update.note, "version": update.version}


class ContractEditForm(VersionedForm, ContractForm):
    page = row_page(_("Change the contract %(record)s"), _("The contract was saved."), "contract")

    @staticmethod
    def name_of(contract: models.Contract) -> str:
        return " ".join(str(part) for part in (contract.get_kind_display(), contract.reference) if part)

    @staticmethod
    def initial_for(contract: models.Contract) -> dict:
        initial = {name: getattr(contract, name) for name in ContractForm.SERVICE_FIELDS}
        return {**initial, "amount": amount_input_value(contract.amount), "version": contract.version}
