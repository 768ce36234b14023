"""Reading list pages' query strings: whole numbers, and an ordering chosen from a fixed table."""

from django.db.models import F


def int_param(params, name: str) -> int | None:
    value = (params.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def ordering_expressions(sorts: dict[str, tuple[str, ...]], sort: str, default: str) -> list:
    """NULLs last when descending, first when ascending, on every database."""
    return [F(o[1:]).desc(nulls_last=True) if o.startswith("-") else F(o).asc(nulls_first=True)
            for o in sorts.get(sort, sorts[default])]
