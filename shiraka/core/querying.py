"""Reading list pages' query strings: whole numbers, and an ordering chosen from a fixed table."""

from django.db.models import F


def int_param(params, name: str) -> int | None:
    value = (params.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def choice_param(params, name: str, allowed, default: str = "") -> str:
    value = params.get(name) or default
    return value if value in allowed else default


def text_search(queryset, query: str):
    """Rows whose normalised `search_text` holds every term (diacritics and hamza forms ignored)."""
    from shiraka.core.text import search_terms

    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def ordering_expressions(sorts: dict[str, tuple[str, ...]], sort: str, default: str) -> list:
    """NULLs last when descending, first when ascending, on every database."""
    return [F(o[1:]).desc(nulls_last=True) if o.startswith("-") else F(o).asc(nulls_first=True)
            for o in sorts.get(sort, sorts[default])]
