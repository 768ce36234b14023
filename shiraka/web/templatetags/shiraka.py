from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from shiraka.core.formatting import (
    format_amount,
    format_date,
    format_datetime,
    format_millions,
    format_number,
    left_to_right,
    machine_datetime,
)
from shiraka.core.text import reader_language, script_language

from ..kit import figure_cards as cards
from ..kit import history

register = template.Library()


@register.simple_tag
def figure_cards(summary, links):
    """A page's eight key figures (`web.kit.figure_cards`), linked to the lists when `links`."""
    return cards.figure_cards(summary, links=bool(links))


@register.simple_tag
def history_rows(entries):
    """The rows of a record's history of changes (`web.kit.history`)."""
    return history.history_rows(entries)


@register.simple_tag
def options(choices, selected):
    """A list filter's `<option>`s (`web.pages.choices`), the `selected` key marked."""
    return choices.render(selected)


@register.simple_tag
def choice_options(choices, selected):
    """The `<option>`s of a list's filter on a field's choices ((value, label) pairs), the `selected`
    value marked: written here, not by a template loop over each choice (0.6 M of the project list's
    75 M instructions a request, valgrind's count)."""
    return mark_safe(
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(label)}</option>'
            for value, label in choices
        )
    )


@register.simple_tag
def progress_bar(value):
    """A project's physical progress (a whole percent) as a bar and its figure: written here, not by
    an included template, as a list shows fifty."""
    return format_html(
        '<div class="progress" role="progressbar" aria-label="{}" aria-valuenow="{}" aria-valuemin="0"'
        ' aria-valuemax="100"><div class="progress-bar bg-success" style="width: {}%"></div></div>'
        '<span class="small">{}&nbsp;%</span>',
        _("Physical progress"),
        value,
        value,
        value,
    )


@register.filter
def mad(value):
    """Full amount in the page's language; "not specified" when there is none."""
    return format_amount(value) if value is not None else _("not specified")


@register.filter
def mad_m(value):
    """Amount in millions: 443,00 M DH / 443,00 مليون درهم."""
    return format_millions(value) if value is not None else _("not specified")


@register.filter
def percent(value):
    if value is None:
        return "—"
    text = f"{value:.1f}\u00a0%"
    return text if reader_language() == "en" else text.replace(".", ",")


@register.filter
def names(values):
    """A list of names joined with the comma of the page's language («،» in Arabic)."""
    separator = "، " if reader_language() == "ar" else ", "
    return separator.join(str(value) for value in values)


@register.filter
def days_after(later, earlier) -> int:
    """Whole days from `earlier` to `later` (0 when either is missing): said with the catalogue's
    plural forms, not as «2 weeks, 1 day» that no Arabic reader writes."""
    if not later or not earlier:
        return 0
    return (later - earlier).days


@register.filter
def day(value) -> str:
    """A date in the one format of the page's language (`core.formatting.DATE_STYLES`), isolated left
    to right on a right-to-left page (`core.formatting.left_to_right`)."""
    return left_to_right(format_date(value), get_language_bidi())


@register.filter
def moment(value) -> str:
    """A date and time of day, local time, in the page's language's format."""
    return format_datetime(value)


@register.filter
def machine_time(value) -> str:
    """The `datetime` attribute of a `<time>` element (ISO 8601, whole seconds)."""
    return machine_datetime(value)


@register.filter
def number(value, places: int = 0) -> str:
    """A count with grouped thousands: «379 079» (fr), «379.079» (ar), «379,079» (en); "—" for nothing."""
    return format_number(value, places)


@register.simple_tag
def arrow() -> str:
    """«from → to» pointing the way the page reads: ← on right-to-left pages."""
    return "←" if get_language_bidi() else "→"


@register.filter
def in_page_language(text) -> bool:
    """Whether a free text (a source note, a name typed once) is written in the page's script: Arabic
    letters on an Arabic page, Latin ones elsewhere. A text that is not gets said so beside it."""
    if not text:
        return True
    return (script_language(str(text)) == "ar") == (reader_language() == "ar")


@register.filter
def script_lang(text) -> str:
    """The `lang` of a free text written in Arabic or French, by its letters ("ar" or "fr")."""
    return script_language(str(text or ""))
