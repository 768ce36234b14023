from django import template
from django.utils.translation import gettext as _

from shiraka.core.formatting import format_amount, format_millions
from shiraka.core.text import reader_language

register = template.Library()


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
