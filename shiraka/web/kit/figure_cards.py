"""A page's key figures (agreements, amounts, arrears, projects and progress) as cards, written in
Python: the dashboard, the lists, the territory, programme, agreement and portal pages show the same
eight, and Django's template engine spent a millisecond a page including a card eight times.
`web/_figures.html` holds the group around them; tests/web/pages/test_figure_cards.py compares these
cards with the template markup they replace."""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from shiraka.core.formatting import format_millions, format_number

from ..templatetags.kept_urls import KeptAddresses


def _millions(value) -> str:
    return format_millions(value) if value is not None else _("not specified")


def _percent(value) -> str:
    from ..templatetags.shiraka import percent

    return percent(value)


def _card(label: str, figure: str, value: str, *, href: str, sort: str = "", amount: bool = False,
          alert=False, detail: str = "", links: bool) -> str:  # fmt: skip
    classes = (" amount" if amount else "") + (" text-danger" if alert else "")
    shown = conditional_escape(value) + (f" · {conditional_escape(detail)}" if detail else "")
    if links:
        target = conditional_escape(f"{href}?sort={sort}" if sort else href)
        shown = f'<a class="stretched-link text-reset text-decoration-none" href="{target}">{shown}</a>'
    return (
        f'<div class="col"><div class="card figure-card h-100{" border-danger" if alert else ""}">'
        f'<div class="card-body p-2"><div class="label">{conditional_escape(label)}</div>'
        f'<div class="value{classes}" data-figure="{figure}">{shown}</div></div></div></div>'
    )


# The money cards: label, name (data-figure), the summary's field, the list's sort its link asks for.
MONEY = (
    (_lazy("Total amount"), "total", "total_amount", "-total"),
    (_lazy("Committed"), "committed", "committed", "-committed"),
    (_lazy("Not yet allocated"), "unallocated", "unallocated", "-total"),
    (_lazy("Due to date"), "due", "due_to_date", "-arrears"),
    (_lazy("Transferred"), "transferred", "transferred", "-committed"),
    (_lazy("Arrears"), "arrears", "arrears", "-arrears"),
)


def figure_cards(summary, *, links: bool) -> SafeString:
    """The eight cards of `summary` (`portfolio.selectors.Summary`), each linked to its list (sorted
    by the figure) when `links`; arrears drawn in red."""
    address = KeptAddresses()
    agreements, projects = address("web:agreements"), address("web:projects")
    count = format_number(summary.agreements, 0)
    cards = [_card(_("Agreements"), "agreements", count, href=agreements, links=links)]
    for label, figure, field, sort in MONEY:
        value = getattr(summary, field)
        alert = value if figure == "arrears" else False
        cards.append(
            _card(str(label), figure, _millions(value), href=agreements, sort=sort, amount=True, alert=alert,
                  links=links)
        )  # fmt: skip
    progress = _percent(summary.progress)
    label = _("Projects · physical progress")
    count = format_number(summary.projects, 0)
    cards.append(_card(label, "projects", count, detail=progress, href=projects, links=links))
    return mark_safe("".join(cards))
