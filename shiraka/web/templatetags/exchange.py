"""Template helpers of the exchange pages: may the reader import, and the export links of a list."""

from django import template

from shiraka.exchange.jobs import may_import as _may_import

register = template.Library()


@register.filter
def may_import(user) -> bool:
    return _may_import(user)
