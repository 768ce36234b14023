"""The rows of the agreement, project and committee lists, of the agreement page's partners, schedule
and projects, and of the dashboard's and territory pages' breakdowns (regions, provinces, programmes,
partners, categories, latest agreements), written in Python.

A list page shows fifty rows of ten cells, and Django's template engine spent a third of the page's
time on them: each variable, filter and address is looked up through several layers (8 of the
agreement list's 25 ms), and each amount, date, name and label asked again for the reader's language.
These functions write the same cells from the same rows (the list selectors' annotations), with the
language read once, escaping every text as the templates did; tests/web/pages/test_rows.py compares
them with the template markup they replace."""

import unicodedata
from html import escape

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from shiraka.agreements.models import Agreement
from shiraka.core.formatting import format_amount, format_date, format_millions, format_number, left_to_right
from shiraka.core.text import localised, reader_language
from shiraka.followup.models import Committee
from shiraka.projects.models import Project

from ..templatetags.kept_urls import KeptAddresses
from ..templatetags.shiraka import in_page_language, names, percent, progress_bar

_PLACE = ("code", "name_ar", "name_fr")
AGREEMENT_FIELDS = ("reference", "title_ar", "title_fr", "status", "signed_on")
PROJECT_FIELDS = ("reference", "title_ar", "title_fr", "category", "status", "budget", "physical_progress")


def shown_fields(rows, fields: tuple[str, ...]):
    """`rows` (a list selector's queryset) reading only what a row shows, with its province and region:
    a list's rows are instantiated with every field of four models otherwise (2 of its 4 ms). A region
    has an English name (`name_in`): left out, each region named on an English page was read alone."""
    places = [f"{link}__{name}" for link in ("province", "region") for name in _PLACE] + ["region__name_en"]
    return rows.select_related(None).select_related("province", "region").only(*fields, *places)


class _Cells:
    """What a list's rows write, for one reader's language."""

    def __init__(self, choices):
        self.language = reader_language()
        self.rtl = get_language_bidi()
        self.address = KeptAddresses()
        self.labels = {value: escape(str(label)) for value, label in choices}
        self.not_specified = escape(_("not specified"))

    def title(self, record, length: int) -> str:
        text = unicodedata.normalize("NFC", localised(record.title_ar, record.title_fr, self.language))
        # Truncator reads every character; a title that fits is the same text.
        return escape(text if len(text) <= length else Truncator(text).chars(length))

    def day(self, value) -> str:
        return left_to_right(format_date(value, self.language), self.rtl)

    def millions(self, value) -> str:
        return self.not_specified if value is None else escape(format_millions(value, self.language))

    def amount(self, value) -> str:
        return self.not_specified if value is None else escape(format_amount(value, self.language))

    def link(self, view_name: str, key, label: str) -> str:
        return f'<a href="{escape(self.address(view_name, key))}">{escape(label)}</a>'

    def place(self, record) -> str:
        return escape(record.name_in(self.language))


def _agreement_territory(cells: _Cells, agreement) -> str:
    if agreement.province_id:
        province = agreement.province
        return cells.link("web:province", province.code, province.name_in(cells.language))
    if agreement.region_id:
        region = agreement.region
        return cells.link("web:region", region.code, region.name_in(cells.language))
    return "—"


def agreement_rows(agreements) -> SafeString:
    """The `<tr>` of each agreement of a list page (`portfolio.selectors.agreement_page_rows`)."""
    cells = _Cells(Agreement.Status.choices)
    rows = []
    for a in agreements:
        arrears = " text-danger" if a.arrears else ""
        rows.append(
            "<tr>"
            f'<td class="text-nowrap">{cells.link("web:agreement", a.reference, a.reference)}</td>'
            f'<td class="wide-text">{cells.title(a, 80)}</td>'
            f'<td class="small">{_agreement_territory(cells, a)}</td>'
            f'<td class="text-nowrap">{escape(cells.day(a.signed_on) or "—")}</td>'
            f'<td class="small">{cells.labels[a.status]}</td>'
            f'<td class="num amount">{cells.millions(a.total)}</td>'
            f'<td class="num amount">{cells.millions(a.committed)}</td>'
            f'<td class="num amount">{cells.millions(a.transferred)}</td>'
            f'<td class="num amount{arrears}">{cells.millions(a.arrears)}</td>'
            f'<td class="num">{escape(format_number(a.project_count, language=cells.language))}</td>'
            "</tr>"
        )
    return mark_safe("".join(rows))


def project_rows(projects) -> SafeString:
    """The `<tr>` of each project of a list page (`projects.selectors.project_page_rows`)."""
    cells = _Cells(Project.Status.choices)
    categories = {value: escape(str(label)) for value, label in Project._meta.get_field("category").choices}
    rows = []
    for p in projects:
        place = p.province if p.province_id else p.region if p.region_id else None
        late = " text-danger fw-bold" if p.late_milestones else ""
        rows.append(
            "<tr>"
            f'<td class="text-nowrap">{cells.link("web:project", p.reference, p.reference)}</td>'
            f'<td class="wide-text">{cells.title(p, 70)}</td>'
            f'<td class="small">{categories[p.category]}</td>'
            f'<td class="small">{cells.place(place) if place else "—"}</td>'
            f'<td class="small">{cells.labels[p.status]}</td>'
            f'<td class="num amount">{cells.millions(p.budget)}</td>'
            f'<td class="num amount">{cells.millions(p.paid)}</td>'
            f"<td>{progress_bar(p.physical_progress)}</td>"
            f'<td class="num{late}">{p.late_milestones}</td>'
            "</tr>"
        )
    return mark_safe("".join(rows))


def committee_rows(committees) -> SafeString:
    """The `<tr>` of each committee of the list page (`followup.selectors.committee_page_rows`)."""
    cells = _Cells(Committee.Kind.choices)
    rows = []
    for c in committees:
        place = c.province if c.province_id else c.region if c.region_id else None
        chair = c.chair
        chair = (
            f"{escape(localised(chair.full_name_ar, chair.full_name_fr, cells.language))} — " if chair else ""
        )
        overdue = " text-danger fw-bold" if c.overdue_decisions else ""
        rows.append(
            "<tr>"
            f"<td>{cells.link('web:committee', c.pk, c.name_in(cells.language))}</td>"
            f'<td class="small">{cells.labels.get(c.kind) or escape(c.kind)}</td>'
            f'<td class="small">{cells.place(place) if place else cells.not_specified}</td>'
            f'<td class="small">{chair}{escape(c.chair_role or "—")}</td>'
            f'<td class="num">{c.agreement_count}</td><td class="num">{c.meeting_count}</td>'
            f'<td class="num">{c.open_decisions}</td>'
            f'<td class="num{overdue}">{c.overdue_decisions}</td>'
            "</tr>"
        )
    return mark_safe("".join(rows))


def row_actions(cells: _Cells, kind: str, pk: int, *, edit_inline: bool) -> str:
    """`web/edit/agreement_row_actions.html` (Edit and Remove on a row of the agreement page, through
    the views `web:<kind>_edit` and `web:<kind>_remove`), for rows written in Python."""
    slot = f"row-slot-{kind}-{pk}"
    edit, remove = (escape(cells.address(f"web:{kind}_{action}", pk)) for action in ("edit", "remove"))
    inline = f' data-hx-get="{edit}" data-hx-target="#{slot}"' if edit_inline else ""
    return (
        f'<span class="no-print small ms-1 text-nowrap" data-row-actions="{kind}-{pk}">'
        f'<a href="{edit}"{inline}>{escape(_("Edit"))}</a> · '
        f'<a class="link-danger" href="{remove}" data-hx-get="{remove}" data-hx-target="#{slot}">'
        f"{escape(_('Remove'))}</a></span>\n"
        f'<div id="{slot}" class="no-print"></div>'
    )


def partnership_rows(partnerships, *, row_keeper: bool) -> SafeString:
    """The `<tr>` of each partner on its agreement's page (`portfolio.selectors.agreement_partnerships`:
    each with its kept figures), with Edit and Remove for `row_keeper`."""
    cells = _Cells(())
    source_words = escape(_("Source:")), escape(_("Source, as written (not in this page's language):"))
    rows = []
    for p in partnerships:
        source = ""
        if p.commitment_source:
            text = escape(p.commitment_source)
            if in_page_language(p.commitment_source):
                source = f'{source_words[0]} <span dir="auto">{text}</span>'
            else:
                source = f'{source_words[1]}<div dir="auto">{text}</div>'
            source = f'<div class="small text-muted source-note">{source}</div>'
        actions = row_actions(cells, "partnership", p.pk, edit_inline=False) if row_keeper else ""
        unknown = p.committed is None
        remaining = (
            f'<span class="not-specified">{cells.not_specified}</span>'
            if unknown
            else cells.amount(p.remaining)
        )
        organisation = p.organisation
        rows.append(
            f'<tr data-partnership="{p.pk}">'
            f'<td class="wide-text">{cells.link("web:organisation", organisation.pk, str(organisation))}{source}'
            f"\n      {actions}</td>"
            f'<td class="small">{escape(names(p.roles)) or "—"}</td>'
            f'<td class="num amount{" not-specified" if unknown else ""}">{cells.amount(p.committed)}</td>'
            f'<td class="num amount">{cells.amount(p.due_to_date)}</td>'
            f'<td class="num amount">{cells.amount(p.transferred)}</td>'
            f'<td class="num amount">{remaining}</td></tr>'
        )
    return mark_safe("".join(rows))


def schedule_rows(schedule, *, row_keeper: bool, show_notes: bool) -> SafeString:
    """The `<tr>` of each scheduled contribution on its agreement's page
    (`agreements.selectors.agreement_schedule`), with Edit and Remove for `row_keeper`."""
    cells = _Cells(())
    rows = []
    for c in schedule:
        note = (
            f' <span class="small text-muted" dir="auto">{escape(c.note)}</span>'
            if c.note and show_notes
            else ""
        )
        actions = row_actions(cells, "contribution", c.pk, edit_inline=True) if row_keeper else ""
        rows.append(
            f'<tr data-contribution="{c.pk}"><td class="text-nowrap">{escape(cells.day(c.due_on))}</td>'
            f"<td>{cells.place(c.partnership.organisation)}{note}\n  {actions}</td>"
            f'<td class="num amount">{cells.amount(c.amount)}</td></tr>'
        )
    return mark_safe("".join(rows))


def agreement_project_rows(projects) -> SafeString:
    """The `<tr>` of each project on its agreement's page (`projects.selectors.agreement_projects`:
    communes prefetched, province and region joined)."""
    cells = _Cells(Project.Status.choices)
    categories = {value: escape(str(label)) for value, label in Project._meta.get_field("category").choices}
    rows = []
    for p in projects:
        communes = p.communes.all()
        if communes:
            place = escape(names(commune.name_in(cells.language) for commune in communes))
        elif p.province_id or p.region_id:
            place = cells.place(p.province if p.province_id else p.region)
        else:
            place = cells.not_specified
        unknown = " not-specified" if p.budget is None else ""
        title = localised(p.title_ar, p.title_fr, cells.language)
        rows.append(
            f'<tr id="project-{escape(p.reference)}">'
            f'<td class="wide-text">{cells.link("web:project", p.reference, title)}</td>'
            f'<td class="small">{categories.get(p.category) or escape(p.category)}</td>'
            f'<td class="small">{place}</td>'
            f'<td class="num amount{unknown}">{cells.amount(p.budget)}</td>'
            f"<td>{cells.labels.get(p.status) or escape(p.status)}</td>"
            f"<td>{progress_bar(p.physical_progress)}</td></tr>"
        )
    return mark_safe("".join(rows))


def _breakdown_rows(rows, view_name: str, key: str, unnamed: str, amounts: tuple, *, progress: bool):
    """The `<tr>` of each row of a breakdown (`portfolio.selectors.breakdown`): its name linked to
    `view_name` by its `key` (`unnamed` where it has none), its count of agreements, its `amounts` in
    millions, and its progress when asked."""
    cells = _Cells(())
    unnamed = escape(unnamed)
    written = []
    for row in rows:
        value = getattr(row, key)
        name = cells.link(view_name, value, row.label) if value else unnamed
        figures = "".join(
            f'<td class="num amount">{cells.millions(getattr(row, field))}</td>' for field in amounts
        )
        end = f'<td class="num">{escape(percent(row.progress))}</td>' if progress else ""
        written.append(
            f'<tr><td>{name}</td><td class="num">{escape(localize(row.agreements))}</td>{figures}{end}</tr>'
        )
    return mark_safe("".join(written))


def region_breakdown_rows(regions) -> SafeString:
    """The `<tr>` of each region of the dashboard (`portfolio.selectors.breakdown(…, "region")`)."""
    amounts = ("total_amount", "transferred", "arrears")
    return _breakdown_rows(regions, "web:region", "code", _("no region"), amounts, progress=True)


def programme_breakdown_rows(programmes) -> SafeString:
    """The `<tr>` of each programme of the dashboard (`portfolio.selectors.breakdown(…, "programme")`)."""
    amounts = ("total_amount", "committed", "transferred", "arrears")
    return _breakdown_rows(programmes, "web:programme", "key", _("no programme"), amounts, progress=False)


def province_breakdown_rows(provinces) -> SafeString:
    """The `<tr>` of each province of a region's page (`breakdown(…, "province")`; none: the whole
    region's own agreements)."""
    amounts = ("total_amount", "transferred", "arrears")
    return _breakdown_rows(provinces, "web:province", "code", _("Whole region"), amounts, progress=True)


def partner_rows(partners) -> SafeString:
    """The `<tr>` of each partner most in arrears (`portfolio.selectors.breakdown_by_partner` rows)."""
    cells = _Cells(())
    written = []
    for row in partners:
        name = localised(row["organisation__name_ar"], row["organisation__name_fr"], cells.language)
        late = " text-danger" if row["arrears_sum"] else ""
        figures = "".join(
            f'<td class="num amount">{cells.millions(row[field])}</td>'
            for field in ("committed_sum", "due_sum", "transferred_sum")
        )
        written.append(
            f"<tr><td>{cells.link('web:organisation', row['organisation'], name)}</td>{figures}"
            f'<td class="num amount{late}">{cells.millions(row["arrears_sum"])}</td></tr>'
        )
    return mark_safe("".join(written))


def category_rows(categories, *, linked: str | None) -> SafeString:
    """The `<tr>` of each category of projects (`portfolio.selectors.breakdown_by_category`), its name
    linked to the project list filtered by it and by the query `linked` ("region=4&", "" for none);
    not linked when `linked` is None."""
    cells = _Cells(())
    projects = cells.address("web:projects") if linked is not None else ""
    written = []
    for row in categories:
        label = escape(row["label"])
        if linked is not None:
            href = escape(f"{projects}?{linked}category={row['category']}")
            label = f'<a href="{href}">{label}</a>'
        written.append(
            f'<tr><td>{label}</td><td class="num">{escape(localize(row["projects"]))}</td>'
            f'<td class="num amount">{cells.millions(row["budget"])}</td>'
            f'<td class="num">{escape(percent(row["progress"]))}</td></tr>'
        )
    return mark_safe("".join(written))


def latest_agreement_items(agreements) -> SafeString:
    """The `<li>` of each latest agreement of a territory's page (`views._latest`)."""
    cells = _Cells(())
    return mark_safe(
        "".join(
            f"<li>{cells.link('web:agreement', a.reference, a.reference)} — {cells.title(a, 90)}"
            f' — <span class="amount">{cells.millions(a.total)}</span></li>'
            for a in agreements
        )
    )
