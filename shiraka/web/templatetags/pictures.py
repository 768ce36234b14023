"""Numbers written the page's way (the marks of `core.formatting`) and the fictional-data banner."""

from decimal import Decimal

from django import template

from shiraka.reporting.fictional import fictional_marker

from ..pages.charts import number_marks

register = template.Library()


@register.filter
def number(value, places: int = 0):
    """12345.6 → «12 345,60» (fr), «12.345,60» (ar), «12,345.60» (en); "—" for nothing."""
    if value is None or value == "":
        return "—"
    marks = number_marks()
    whole, _, fraction = f"{abs(Decimal(value)):.{int(places)}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = marks["group"].join(groups) + (marks["decimal"] + fraction if fraction else "")
    return ("-" if Decimal(value) < 0 else "") + text


@register.simple_tag
def has_fictional_data() -> bool:
    """Whether the demo's fictional portfolio was loaded here (`synth --fictional` leaves a marker in the
    data folder): read from a file, not the database, so that no page's query count depends on it."""
    return fictional_marker().exists()
