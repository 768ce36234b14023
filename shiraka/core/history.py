"""The history of a record as people read it (DESIGN.md §2 "history").

django-simple-history keeps a row for every create, change and delete: who, when, and every
tracked value. `history_entries()` turns those rows into entries for a page, in the reader's
language: the date, who made the change (or "system"), what happened, which record it concerns
and, for a change, each field's label with its value before and after, displayed as people
read them (choices by their label, yes/no, ISO dates, amounts in dirhams, related records by
name, "—" when empty).

A page also shows the history of the records that belong to it (`related`): an agreement's
partnerships, signatories, schedule and transfers, a project's milestones, contracts, payments…
The records concerned may have been deleted since, so they are found through the history tables
themselves, never through the live ones.

Queries are bounded whatever the number of rows shown: per source (the record and each related
model), one for the rows shown with the id of the row before each (its SQL compiled once per
process), and one more for those earlier rows that are not among them, when there are any; and one
per model whose records are named in the entries shown.

A page's entries are kept in the cache under the newest historical row of each source, found by one
query: any save or removal adds a row, so a change shows at once in every process, and a page read
again without a change costs that query alone.
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shiraka.core.formatting import format_amount
from shiraka.core.money import MoneyField
from shiraka.core.querying import prepared_row, prepared_rows

EMPTY = "—"
TEXT_LIMIT = 120
TECHNICAL_FIELDS = {"id", "version", "created_at", "updated_at", "search_text"}
ORDER = ("-history_date", "-history_id")
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}

# Each app says, on its models, what its pages show and how its records are named, so this
# module names no app:
# - `history_related`: on a page's model, the records shown besides its own, as
#   (model label, path from that model to the page's record);
# - `history_label_fields`: the fields that name a record in the "record" column, read from its
#   historical row (so a deleted record is still named).


@dataclass
class FieldChange:
    field: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    date: datetime
    who: str
    by_system: bool
    action: str  # created / changed / deleted
    action_label: str
    record_kind: str  # the model's name, e.g. "Partnership"
    record: str  # which one, e.g. the partner's name ("" for the page's own record)
    is_own: bool  # the page's own record rather than a related one
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class _Row:
    """A historical row to show, with its predecessor and the raw values that changed."""

    row: models.Model
    previous: models.Model | None
    model: type[models.Model]
    is_own: bool
    changed: list[models.Field]


def _model(spec) -> type[models.Model]:
    return apps.get_model(spec) if isinstance(spec, str) else spec


def _key(model: type[models.Model]) -> str:
    return model._meta.label_lower


@functools.cache
def _historical(model: type[models.Model]) -> type[models.Model]:
    # `model.history` builds a manager class at each access (django-simple-history): once per model.
    return model.history.model


def _rows(model: type[models.Model]) -> models.QuerySet:
    """Every historical row of `model`."""
    return _historical(model)._default_manager.all()


def _linked_history(model: type[models.Model], path: str, pk):
    """Historical rows of `model` linked to the record `pk` by `path` (e.g. "partnership__agreement"),
    following the historical tables so that records deleted since are found too."""
    first, _sep, rest = path.partition("__")
    link = model._meta.get_field(first)
    if not rest:
        return _rows(model).filter(**{link.attname: pk})
    target = link.related_model
    parents = _linked_history(target, rest, pk).values(target._meta.pk.attname)
    return _rows(model).filter(**{f"{link.attname}__in": parents})


@dataclass(frozen=True)
class _Source:
    model: type[models.Model]
    rows_of: Callable[[object], models.QuerySet]  # the source's historical rows for a record's key
    is_own: bool
    name: str  # its queries compiled once under this name; "" when it cannot be (a queryset given)


def _sources(model: type[models.Model], related) -> list[_Source]:
    own = model._meta.pk.attname
    sources = [_Source(model, lambda pk: _rows(model).filter(**{own: pk}), True, _key(model))]
    for spec in related:
        if isinstance(spec, models.QuerySet):
            sources.append(_Source(spec.model.instance_type, lambda _pk, spec=spec: spec, False, ""))
            continue
        related_model, path = _model(spec[0]), spec[1]
        sources.append(
            _Source(
                related_model,
                lambda pk, related_model=related_model, path=path: _linked_history(related_model, path, pk),
                False,
                f"{_key(model)}<{_key(related_model)}.{path}",
            )
        )
    return sources


def _latest_with_previous(model: type[models.Model], base, limit: int):
    """The `limit` latest historical rows of `base`, newest first, each with the id of the row before
    it (`_previous`, the same record's), its user joined."""
    historical = _historical(model)
    pk_name = model._meta.pk.attname
    before = (
        historical.objects.filter(**{pk_name: OuterRef(pk_name)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by(*ORDER)
        .values("history_id")[:1]
    )
    return base.annotate(_previous=Subquery(before)).select_related("history_user").order_by(*ORDER)[:limit]


def _rows_with_predecessors(
    model: type[models.Model], source: Callable[[object], models.QuerySet], pk, limit: int, prepared: str
) -> list[models.Model]:
    """The `limit` latest historical rows of `source(pk)` and the row before each of them, newest
    first. The latest rows come with their predecessors' ids in one query, compiled once per process
    when `prepared` names it (Django spent 8 ms building and compiling a record page's half-dozen of
    them, the database under 1); the predecessors not among them (a record's oldest row in the window,
    when it is not its creation) in a second query by primary key, only when there are any. (Asked as
    one query with an OR of the two id lists, PostgreSQL walked the whole history table by date.)"""
    if prepared:
        latest = prepared_rows(prepared, lambda key: _latest_with_previous(model, source(key), limit), pk)
    else:
        latest = list(_latest_with_previous(model, source(pk), limit))
    held = {row.history_id for row in latest}
    missing = {row._previous for row in latest if row._previous is not None and row._previous not in held}
    if not missing:
        return latest
    earlier = _historical(model).objects.filter(history_id__in=missing).select_related("history_user")
    return sorted([*latest, *earlier], key=lambda row: (row.history_date, row.history_id), reverse=True)


def _tracked_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in _historical(model).tracked_fields
        if f.concrete and not f.many_to_many and f.name not in TECHNICAL_FIELDS and f.editable
    ]


def _raw(row, model_field: models.Field):
    return getattr(row, model_field.attname, None)


def _collect(sources: list[_Source], pk, limit: int, latest: tuple | None = None) -> list[_Row]:
    """The rows to show from each source; a source whose newest row `latest` (the stamp's ids, in
    the order of `sources`) says is missing is not asked (a project without photos, an agreement
    without attendees: one query fewer each)."""
    collected: list[_Row] = []
    for number, source in enumerate(sources):
        if latest is not None and latest[number] is None:
            continue
        model = source.model
        prepared = f"history-rows:{source.name}:{limit}" if source.name else ""
        rows = _rows_with_predecessors(model, source.rows_of, pk, limit, prepared)
        fields = _tracked_fields(model)
        by_id = {row.history_id: row for row in rows}
        # The first `limit` rows are the newest; the others are only there as predecessors.
        for row in rows[:limit]:
            previous = by_id.get(row._previous)
            changed = []
            if row.history_type == "~" and previous is not None:
                changed = [f for f in fields if _raw(previous, f) != _raw(row, f)]
                if not changed:
                    continue  # saved without a visible change
            collected.append(_Row(row, previous, model, source.is_own, changed))
    collected.sort(key=lambda r: (r.row.history_date, r.is_own, r.row.history_id), reverse=True)
    return collected[:limit]


def _label_fields(model: type[models.Model]) -> list[models.Field]:
    names = getattr(model, "history_label_fields", ())
    return [model._meta.get_field(name) for name in names]


def _user_name(user) -> str:
    if user is None:
        return ""
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full_name or user.get_username()


def _resolve(rows: list[_Row]) -> dict[type[models.Model], dict]:
    """Names of every related record the entries mention: one query per model."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for item in rows:
        for model_field in [*item.changed, *(_label_fields(item.model) if not item.is_own else [])]:
            if model_field.is_relation and model_field.many_to_one:
                for row in (item.row, item.previous):
                    value = _raw(row, model_field) if row is not None else None
                    if value is not None:
                        wanted[model_field.related_model].add(value)
    user_model = get_user_model()
    names: dict[type[models.Model], dict] = {}
    for model, ids in wanted.items():
        if model is user_model:
            names[model] = {u.pk: _user_name(u) for u in model._default_manager.filter(pk__in=ids)}
        else:
            # select_related() follows the non-null links that a __str__ may read (a partnership
            # names its agreement, a meeting its committee).
            names[model] = {
                obj.pk: str(obj) for obj in model._default_manager.select_related().filter(pk__in=ids)
            }
    return names


def display_value(model_field: models.Field, value, names: dict | None = None) -> str:
    """A stored value as people read it, in the active language."""
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        found = (names or {}).get(model_field.related_model, {}).get(value)
        if found is None:
            return _("#%(id)s (deleted)") % {"id": value}
        return found or EMPTY
    if model_field.choices:
        choices = dict(model_field.flatchoices)
        return str(choices.get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(model_field, MoneyField):
        return format_amount(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(model_field, models.FileField):
        return os.path.basename(str(value)) or EMPTY
    if isinstance(value, Decimal):
        return format(value, "f")
    text = " ".join(str(value).split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _record_label(item: _Row, names) -> str:
    if item.is_own:
        return ""
    row = item.row
    parts = []
    for model_field in _label_fields(item.model):
        value = _raw(row, model_field)
        if value is None or value == "":
            continue
        parts.append(display_value(model_field, value, names))
    if len(parts) > 1:
        # Each part in its own direction isolate (FSI … PDI; the template isolates the whole): a
        # reference «12/2025/DPS-CHI» beside an amount reads as written on an Arabic page.
        parts = [f"\u2068{part}\u2069" for part in parts]
    return " — ".join(parts) or f"#{getattr(row, item.model._meta.pk.attname)}"


def _action_label(action: str) -> str:
    return {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}[action]


def history_entries(
    instance: models.Model, *, related=(), limit: int = 50, latest: tuple | None = None
) -> list[HistoryEntry]:
    """The latest `limit` changes of `instance` and of its `related` records, newest first.

    `related` holds `(model or "app.Model", path to instance)` pairs, e.g.
    `(Transfer, "partnership__agreement")`, or querysets of historical rows. `latest`, when given,
    is each source's newest historical id (`_latest_rows`): the sources without any are skipped."""
    if instance.pk is None or limit <= 0:
        return []
    rows = _collect(_sources(type(instance), related), instance.pk, limit, latest)
    names = _resolve(rows)
    entries = []
    for item in rows:
        row = item.row
        action = ACTIONS.get(row.history_type, "changed")
        user = row.history_user
        entries.append(
            HistoryEntry(
                date=row.history_date,
                who=_user_name(user) or _("system"),
                by_system=user is None,
                action=action,
                action_label=_action_label(action),
                record_kind=capfirst(str(item.model._meta.verbose_name)),
                record=_record_label(item, names),
                is_own=item.is_own,
                changes=[
                    FieldChange(
                        field=capfirst(str(f.verbose_name)),
                        before=display_value(f, _raw(item.previous, f), names),
                        after=display_value(f, _raw(row, f), names),
                    )
                    for f in item.changed
                ],
            )
        )
    return entries


def page_history(instance: models.Model, *, shown: bool, limit: int = 50) -> list[HistoryEntry]:
    """The history a record's page shows, with the records that belong to it (its model's
    `history_related`), when `shown` (the access rules say who reads histories: members of an
    organisation, not the public); otherwise nothing, at no query."""
    if not shown:
        return []
    related = getattr(type(instance), "history_related", ())
    if instance.pk is None or limit <= 0:
        return []
    latest = _latest_rows(instance, related)
    stamp = "-".join(str(value or 0) for value in latest)
    key = f"shiraka:history:{_key(type(instance))}:{instance.pk}:{limit}:{get_language()}:{stamp}"
    entries = cache.get(key)
    if entries is None:
        entries = history_entries(instance, related=related, limit=limit, latest=latest)
        cache.set(key, entries, HISTORY_TIMEOUT)
    return entries


# Entries name related records and users as they are now: a rename shows within this many seconds.
HISTORY_TIMEOUT = 60


def _latest_rows(instance: models.Model, related) -> tuple:
    """The newest historical row of each source, in one query: every save or removal of the record or
    of a record that belongs to it adds one, so the page's entries are those kept under these ids,
    whichever process kept them. Its SQL is compiled once per model (the record's key changes)."""

    def latest(pk):
        subqueries = {
            f"latest_{number}": Subquery(base.order_by("-history_id").values("history_id")[:1])
            for number, base in enumerate(source.rows_of(pk) for source in _sources(type(instance), related))
        }
        return type(instance)._base_manager.filter(pk=pk).annotate(**subqueries).values_list(*subqueries)[:1]

    if any(isinstance(spec, models.QuerySet) for spec in related):  # sources of their own: not compiled once
        row = latest(instance.pk).first()
    else:
        row = prepared_row(f"history-stamp:{_key(type(instance))}", latest, instance.pk)
    if row is None:  # the record is gone: each source is asked
        return (0,) * (1 + len(related))
    return tuple(row)
