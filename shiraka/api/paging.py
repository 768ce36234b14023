"""Bounded pages for every list: at most MAX_LIMIT items, an offset no deeper than MAX_OFFSET (past it,
narrow the filters or use the exports)."""

from collections.abc import Callable
from typing import Literal

from ninja import Schema
from pydantic import Field

from shiraka.core.querying import MAX_ID

MAX_LIMIT = 200
MAX_OFFSET = 100_000


class Paging(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


def record_id(**kwargs):
    """An optional id of a record (a filter, or a reference in a written record)."""
    return Field(None, ge=1, le=MAX_ID, **kwargs)


def words(description: str):
    """The `q` of a list: words the records are searched for."""
    return Field("", max_length=200, description=description)


def one_of_names(names, default=None):
    """A string that is one of `names` (a list's sorts, the kinds of alert)."""
    return Field(default, pattern="^(" + "|".join(sorted(names)) + ")$")


class PlaceFilter(Paging):
    """A page of the records of a region or of a province (their ids)."""

    region: int | None = record_id()
    province: int | None = record_id()


def paginate(queryset, paging: Paging, convert: Callable = lambda row: row, *, counted=None) -> dict:
    """A page of `queryset`; `counted`: as many rows, cheaper to count (see `web.kit.views.page_of`)."""
    rows = queryset[paging.offset : paging.offset + paging.limit]
    if counted is None:
        counted = queryset
    return {
        "count": len(counted) if isinstance(counted, list) else counted.count(),
        "limit": paging.limit,
        "offset": paging.offset,
        "items": [convert(row) for row in rows],
    }


def list_filters(query: Paging, filters_class, *, choices=()):
    """The filters of a list page (`filters_class`, from the selectors) read from an API list query: its
    paging left out, NUL characters dropped from its texts, and "" for each of `choices` not given."""
    values = query.dict(exclude={"limit", "offset"})
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.replace("\x00", "")
    for name in choices:
        values[name] = values[name] or ""
    return filters_class(**values)


def choice(choices):
    """The values of a model's choices as a literal: the schema lists them under the field's own name
    (several models have a `Kind`; as enums they would share one name in the schema)."""
    return Literal[tuple(choices.values)]
