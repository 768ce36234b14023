"""The sheets of Shiraka's workbooks and their columns, shared by the templates, the import and the
export. A column's header is written in the reader's language and read in any of the three (or as its
key), so a workbook filled in French imports on an Arabic page and the reverse."""

from dataclasses import dataclass, field
from functools import cache

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shiraka.agreements.models import Agreement
from shiraka.core.text import LANGUAGES, fold
from shiraka.projects.models import Category, Milestone, Project

# Kinds of cell: how a value is read on import and typed on export.
TEXT, DATE, AMOUNT, INT, BOOL, CHOICE = "text", "date", "amount", "int", "bool", "choice"
ORGANISATION, REGION, PROVINCE, COMMUNES, PROGRAMME = (
    "organisation",
    "region",
    "province",
    "communes",
    "programme",
)


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation
    kind: str = TEXT
    required: bool = False
    export_only: bool = False  # a figure the export adds: read by nobody on import
    choices: tuple = ()  # (value, lazy label) pairs for CHOICE columns
    field: str = ""  # the service's field it feeds, for placing a refusal on its column

    @property
    def service_field(self) -> str:
        return self.field or self.key

    def header(self) -> str:
        return capfirst(str(self.label))


@dataclass(frozen=True)
class Sheet:
    key: str
    label: object
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def title(self) -> str:
        return str(self.label)[:31]

    def importable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.export_only)


def _c(key, label, kind=TEXT, **options) -> Column:
    return Column(key, label, kind, **options)


# What the templates' instructions say a column of each kind takes (a choice column lists its values).
KIND_HELP = {
    TEXT: _("Text."),
    DATE: _("A date: an Excel date or dd/mm/yyyy."),
    AMOUNT: _("An amount in dirhams: 1 500 000,50 or 1500000.50."),
    INT: _("A whole number."),
    BOOL: _("yes or no."),
    ORGANISATION: _("The organisation's name in Arabic or French, as Shiraka knows it."),
    REGION: _("The region's name in Arabic or French."),
    PROVINCE: _("The province's or prefecture's name in Arabic or French."),
    COMMUNES: _("Commune names in Arabic or French, separated by ;"),
}

AGREEMENT_KINDS = tuple(Agreement.Kind.choices)
AGREEMENT_STATUSES = tuple(Agreement.Status.choices)
FIGURES = (
    _c("committed", _("Committed"), AMOUNT, export_only=True),
    _c("due_to_date", _("Due to date"), AMOUNT, export_only=True),
    _c("transferred", _("Transferred"), AMOUNT, export_only=True),
    _c("arrears", _("Arrears"), AMOUNT, export_only=True),
)
# Columns several sheets hold alike.
TITLES = (_c("title_ar", _("title (Arabic)")), _c("title_fr", _("title (French)")))
PLACE = (_c("region", _("Region"), REGION), _c("province", _("province or prefecture"), PROVINCE))
# A partner of an agreement, as its partners, schedule and transfers sheets name it.
PARTNER_OF = (
    _c("agreement", _("Agreement"), required=True),
    _c("organisation", _("Partner"), ORGANISATION, required=True),
)


def _status(choices) -> tuple[Column, Column]:
    return _c("status", _("Status"), CHOICE, choices=choices), _c("status_reason", _("reason for the status"))


AGREEMENTS = Sheet(
    "agreements",
    _("Agreements"),
    (
        _c("reference", _("Reference"), required=True),
        _c("kind", _("Kind"), CHOICE, required=True, choices=AGREEMENT_KINDS),
        _c("parent", _("parent agreement")),
        *TITLES,
        _c("programme", _("programme"), PROGRAMME),
        _c("signed_on", _("signed on"), DATE),
        _c("signed_place", _("place of signing")),
        _c("start_on", _("start"), DATE),
        _c("end_on", _("end"), DATE),
        _c("total_amount", _("total amount (MAD)"), AMOUNT),
        *_status(AGREEMENT_STATUSES),
        *PLACE,
        _c("is_published", _("published"), BOOL),
        _c("effective_total", _("Total as amended (MAD)"), AMOUNT, export_only=True),
        *FIGURES,
        _c("unallocated", _("Not yet allocated"), AMOUNT, export_only=True),
        _c("project_count", _("Projects"), INT, export_only=True),
    ),
)
PARTNERS = Sheet(
    "partners",
    _("Partners"),
    (
        *PARTNER_OF,
        _c("committed_amount", _("Commitment (MAD)"), AMOUNT),
        _c("is_funder", _("funder"), BOOL),
        _c("is_project_owner", _("project owner"), BOOL),
        _c("is_delegated_owner", _("delegated project owner"), BOOL),
        _c("is_technical_partner", _("technical partner"), BOOL),
        *FIGURES,
    ),
)
SCHEDULE = Sheet(
    "schedule",
    _("Schedule"),
    (
        *PARTNER_OF,
        _c("due_on", _("due on"), DATE, required=True),
        _c("amount", _("amount (MAD)"), AMOUNT, required=True),
        _c("note", _("note")),
    ),
)
TRANSFERS = Sheet(
    "transfers",
    _("Transfers"),
    (
        *PARTNER_OF,
        _c("transferred_on", _("transferred on"), DATE, required=True),
        _c("amount", _("amount (MAD)"), AMOUNT, required=True),
        _c("reference", _("Reference")),
        _c("note", _("note")),
        _c("cancelled", _("Cancelled"), BOOL),
    ),
)
PROJECTS = Sheet(
    "projects",
    _("Projects"),
    (
        _c("reference", _("Reference"), required=True),
        _c("agreement", _("Agreement"), required=True),
        *TITLES,
        _c("category", _("category"), CHOICE, required=True, choices=tuple(Category.choices)),
        *PLACE,
        _c("communes", _("communes"), COMMUNES),
        _c("owner", _("project owner"), ORGANISATION),
        _c("delegated_owner", _("delegated project owner"), ORGANISATION),
        _c("budget", _("budget (MAD)"), AMOUNT),
        *_status(tuple(Project.Status.choices)),
        _c("planned_start", _("planned start"), DATE),
        _c("planned_end", _("planned end"), DATE),
        _c("actual_start", _("actual start"), DATE),
        _c("actual_end", _("actual end"), DATE),
        _c("opened_on", _("opened on"), DATE),
        _c("beds", _("beds"), INT),
        _c("beneficiaries", _("beneficiaries"), INT),
        _c("physical_progress", _("Physical progress"), INT, export_only=True),
        _c("paid", _("Paid"), AMOUNT, export_only=True),
        _c("late_milestones", _("Late milestones"), INT, export_only=True),
    ),
)
FUNDING = Sheet(
    "funding",
    _("Funding"),
    (
        _c("project", _("Project"), required=True),
        _c("organisation", _("Partner"), ORGANISATION, required=True),
        _c("amount", _("amount (MAD)"), AMOUNT),
    ),
)
MILESTONES = Sheet(
    "milestones",
    _("Milestones"),
    (
        _c("project", _("Project"), required=True),
        _c("kind", _("milestone"), CHOICE, required=True, choices=tuple(Milestone.Kind.choices)),
        _c("planned_on", _("planned on"), DATE),
        _c("achieved_on", _("achieved on"), DATE),
        _c("note", _("note")),
    ),
)
PROGRESS = Sheet(
    "progress",
    _("Progress"),
    (
        _c("project", _("Project"), required=True),
        _c("reported_on", _("date"), DATE, required=True),
        _c("physical_progress", _("physical progress (%)"), INT, required=True),
        _c("note", _("note")),
    ),
)

# Export-only sheets.
COMMITMENTS = Sheet(
    "commitments",
    _("Commitments"),
    (
        _c("agreement", _("Agreement")),
        _c("title", _("Title")),
        _c("signed_on", _("signed on"), DATE),
        _c("committed", _("Committed"), AMOUNT),
        _c("due_to_date", _("Due to date"), AMOUNT),
        _c("transferred", _("Transferred"), AMOUNT),
        _c("remaining", _("Remaining"), AMOUNT),
        _c("arrears", _("Arrears"), AMOUNT),
    ),
)
ALERTS = Sheet(
    "alerts",
    _("Alerts"),
    (
        _c("kind", _("Kind")),
        _c("severity", _("Severity")),
        _c("label", _("Concerns")),
        _c("agreement", _("Agreement")),
        _c("since", _("Since"), DATE),
        _c("amount", _("amount (MAD)"), AMOUNT),
        _c("reason", _("Reason")),
    ),
)

# The order rows are written in: what a row names must exist before it.
IMPORT_ORDER = (AGREEMENTS, PARTNERS, SCHEDULE, PROJECTS, FUNDING, MILESTONES, TRANSFERS, PROGRESS)
SHEETS = {sheet.key: sheet for sheet in (*IMPORT_ORDER, COMMITMENTS, ALERTS)}
# One template per kind of workbook (issue 11): the sheets each holds.
TEMPLATES = {
    "agreements": (AGREEMENTS, PARTNERS, SCHEDULE),
    "projects": (PROJECTS, FUNDING, MILESTONES),
    "transfers": (TRANSFERS,),
    "progress": (PROGRESS,),
}
TEMPLATE_LABELS = {
    "agreements": _("Agreements, partners and schedule"),
    "projects": _("Projects, funding and milestones"),
    "transfers": _("Transfers"),
    "progress": _("Progress updates"),
}


def _names(label) -> set[str]:
    names = set()
    for language in LANGUAGES:
        with translation.override(language):
            names.add(fold(str(label)))
    return names


@cache
def sheet_names() -> dict[str, Sheet]:
    """Folded sheet title (any language, or the key) → sheet."""
    found = {}
    for sheet in IMPORT_ORDER:
        for name in _names(sheet.label) | {fold(sheet.key)}:
            found[name[:31]] = sheet
    return found


@cache
def header_names(sheet_key: str) -> dict[str, Column]:
    """Folded header (any language, or the key) → column, export-only ones included (ignored)."""
    found = {}
    for column in SHEETS[sheet_key].columns:
        for name in _names(column.label) | {fold(column.key)}:
            found[name] = column
    return found


@cache
def choice_values(sheet_key: str, column_key: str) -> dict[str, str]:
    """Folded value or label (any language) → stored value."""
    column = next(c for c in SHEETS[sheet_key].columns if c.key == column_key)
    found = {}
    for value, label in column.choices:
        for name in _names(label) | {fold(value)}:
            found.setdefault(name, value)
    return found


def choice_label(column: Column, value: str) -> str:
    return str(dict(column.choices).get(value, value))
