"""Numbers written the page's way (the marks of `core.formatting`) and the fictional-data banner."""

from django import template

from shiraka.core.formatting import format_number
from shiraka.reporting.fictional import fictional_marker

register = template.Library()


@register.filter
def number(value, places: int = 0):
    """12345.6 → «12 345,60» (fr), «12.345,60» (ar), «12,345.60» (en); "—" for nothing."""
    return format_number(value, places)


@register.simple_tag
def has_fictional_data() -> bool:
    """Whether the demo's fictional portfolio was loaded here (`synth --fictional` leaves a marker in the
    data folder): read from a file, not the database, so that no page's query count depends on it."""
    return fictional_marker().exists()
