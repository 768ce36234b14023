"""Query helpers shared by the selectors: reading list pages' query strings (whole numbers, an
ordering chosen from a fixed table), text search, the money subqueries the figures are made of, and
queries compiled once (`prepared_row`, `prepared_rows`, `prepared_sql`)."""

import copy
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.sql import Query

from shiraka.core.money import ZERO, MoneyField, money_value
from shiraka.core.text import search_terms

# Every identifier and whole number a request carries is read here (the list filters through
# `int_param`, the views and the web kit through `whole_number`): beyond a 64-bit integer SQLite
# raises OverflowError, and a year past 9999 is no date at all.
MAX_ID = 2**63 - 1
MAX_YEAR = 9999


def whole_number(value, low: int = 1, high: int = MAX_ID) -> int | None:
    """`value` as a whole number within [low, high] written in ASCII digits (an optional minus sign
    only when `low` is negative), else None: never an exception, whatever the text."""
    text = str(value if value is not None else "").strip()
    digits = text[1:] if text.startswith("-") and low < 0 else text
    if not digits or len(digits) > 19 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if low <= number <= high else None


def int_param(params, name: str, high: int = MAX_ID) -> int | None:
    return whole_number(params.get(name), high=high)


def year_param(params, name: str) -> int | None:
    return whole_number(params.get(name), high=MAX_YEAR)


def choice_param(params, name: str, allowed, default: str = "") -> str:
    value = params.get(name) or default
    return value if value in allowed else default


def filter_given(queryset: QuerySet, **lookups) -> QuerySet:
    """`queryset` filtered on each lookup whose value the reader gave (empty, None and 0 are skipped)."""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return queryset.filter(**given) if given else queryset


def text_search(queryset, query: str):
    """Rows whose normalised `search_text` holds every term (diacritics and hamza forms ignored)."""
    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    return queryset


# Columns that are never NULL: a NULLS FIRST/LAST clause on them changes nothing but stops PostgreSQL
# from reading their index in order (a sort of every row for a page of 50). The kept figures are never
# NULL where a list joins them (`portfolio.selectors.agreement_page_rows`).
NEVER_NULL = frozenset({"pk", "reference", "physical_progress", "figures__arrears", "figures__committed"})


def both_ways(key: str, column: str = "", *, unique: bool = False) -> dict[str, tuple[str, ...]]:
    """A list's sort `key` and its reverse `-key`: by `column` (the key's own name unless given), then
    by pk so that rows of equal value keep one order, unless the column is unique."""
    column = column or key
    if unique:
        return {key: (column,), f"-{key}": (f"-{column}",)}
    return {key: (column, "pk"), f"-{key}": (f"-{column}", "-pk")}


def ordering_expressions(sorts: dict[str, tuple[str, ...]], sort: str, default: str) -> list:
    """NULLs last when descending, first when ascending, on every database."""
    expressions = []
    for name in sorts.get(sort, sorts[default]):
        descending, column = name.startswith("-"), name.lstrip("-")
        if column in NEVER_NULL:
            expressions.append(F(column).desc() if descending else F(column).asc())
        else:
            expressions.append(
                F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_first=True)
            )
    return expressions


def sum_subquery(queryset: QuerySet, key: str, amount: str = "amount"):
    """SUM(amount) of `queryset` rows whose `key` equals the outer row's pk, 0 when none."""
    summed = (
        queryset.filter(**{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(total=Sum(amount))
        .values("total")[:1]
    )
    return Coalesce(Subquery(summed, output_field=MoneyField()), money_value(ZERO), output_field=MoneyField())


def count_subquery(queryset: QuerySet, key: str):
    """COUNT(*) of `queryset` rows whose `key` equals the outer row's pk, 0 when none: one indexed
    count per outer row, where COUNT(DISTINCT) over joins multiplies every row first (PostgreSQL
    makes it only for the rows left after ORDER BY and LIMIT)."""
    counted = (
        queryset.filter(**{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0), output_field=IntegerField())


def as_money(expression):
    return ExpressionWrapper(expression, output_field=MoneyField())


def within(queryset: QuerySet, path: str, scope: QuerySet) -> QuerySet:
    """Rows of `queryset` whose record reached by `path` is in `scope`: for a whole, unfiltered table,
    all of them (an IN (subquery) costs a lookup per row for nothing); for plain conditions on the
    scope's own table, those conditions on the record joined (`_joined_scope`); else IN (subquery)."""
    if not scope.query.where:
        return queryset
    joined = _joined_scope(queryset, path, scope)
    if joined is not None:
        return joined
    return queryset.filter(**{f"{path}__in": scope.order_by().values("pk")})


def _joined_scope(queryset: QuerySet, path: str, scope: QuerySet) -> QuerySet | None:
    """`scope`'s own conditions put on the record `path` reaches, joined, instead of an IN (subquery):
    PostgreSQL read the subquery's table whole to hash it (every agreement for one region's 400),
    and a region's or a province's figures grew with the whole portfolio. Only for a scope of plain
    conditions on its own table and a path of forward links (one record per row); None otherwise."""
    inner = scope.query
    other_tables = [
        alias for alias in inner.alias_map if inner.alias_refcount[alias] and alias != inner.base_table
    ]
    if (
        other_tables
        or inner.is_sliced
        or inner.distinct
        or inner.combinator
        or inner.annotations
        or inner.extra
        or inner.extra_tables
    ):
        return None
    rows = queryset._chain()
    query = rows.query
    start = query.get_initial_alias()
    if path == "pk":
        model, alias = query.model, start
    else:
        found = query.setup_joins(path.split("__"), query.get_meta(), start)
        if not all(step.direct and not step.m2m for step in found.path):
            return None
        # The record must exist, as it must be in the subquery's rows: inner joins all the way.
        query.demote_joins(found.joins[1:])
        model, alias = found.opts.model, found.joins[-1]
    if model is not inner.model:
        return None
    same = alias == inner.base_table  # (Django refuses to relabel an alias as itself)
    query.where.add(
        inner.where.clone() if same else inner.where.relabeled_clone({inner.base_table: alias}), "AND"
    )
    return rows


class KeysFirst:
    """The rows of `queryset` (ordered) a slice at a time (a paginator's object list), each slice read with what
    `complete(queryset)` adds to a row (joined records, counted subqueries) and chosen on the keys
    alone: `pk IN (SELECT pk … ORDER BY … LIMIT n)`. Sorted with every column and every count, the
    whole list is carried through the sort (PostgreSQL joined and sorted 12,000 committees of 600
    bytes each for a page of 50; SQLite counts each row's decisions before sorting them)."""

    # What a paginator asks of an object list before reading it (a queryset would answer by reading
    # every row).
    ordered = True

    def __init__(self, queryset: QuerySet, complete: Callable[[QuerySet], QuerySet]):
        self.queryset, self.complete = queryset, complete

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        keys = self.queryset.values("pk")[index]
        rows = self.complete(self.queryset.model._base_manager.filter(pk__in=keys))
        return list(rows.order_by(*self.queryset.query.order_by))


class QuarterStart(Func):
    """The first day of the quarter of a date, computed by the database itself: Django's
    `TruncQuarter` calls back into Python for every row on SQLite (2 s over 90,000 progress updates)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="CAST(DATE_TRUNC('quarter', %(expressions)s) AS date)"
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        months_back = f"((CAST(strftime('%%m', {sql}) AS integer) - 1) %% 3)"
        return f"date({sql}, 'start of month', '-' || {months_back} || ' months')", [*params, *params]


# A key no record has: it stands for the record's key while a query is compiled once (`prepared_row`).
KEY_MARKER = -2_147_483_629
# What a compiler keeps of compiling a query, that reading its rows needs (`ModelIterable`, `results_iter`).
_COMPILED_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")


@dataclass(frozen=True)
class _Prepared:
    template: QuerySet | None  # built with KEY_MARKER, never evaluated (None: raw SQL)
    sql: str
    params: tuple
    marked: tuple[bool, ...]
    state: dict

    def bound(self, key: int) -> list:
        # The key keeps the type its marker had (psycopg's Int8 for a key PostgreSQL compares as bigint).
        return [
            type(value)(key) if is_key else value
            for value, is_key in zip(self.params, self.marked, strict=True)
        ]

    def executed(self, key: int, using: str) -> tuple[str, list]:
        """What to run for `key`: on PostgreSQL the statement the server keeps planned for this
        connection (`EXECUTE`), which it prepares the first time; elsewhere the SQL itself."""
        params = self.bound(key)
        connection = connections[using]
        if (
            connection.vendor != "postgresql"
            or not getattr(settings, "SHIRAKA_PG_PREPARE", True)
            or self.statement in _UNPREPARABLE
        ):
            return self.sql, params
        connection.ensure_connection()
        raw = connection.connection
        kept = getattr(raw, "_shiraka_statements", None)
        if kept is None:
            kept = raw._shiraka_statements = set()
        if self.statement not in kept:
            if not _prepare_on_server(connection, raw, self.statement, self.sql):
                _UNPREPARABLE.add(self.statement)
                return self.sql, params
            kept.add(self.statement)
        return f"EXECUTE {self.statement}({', '.join(['%s'] * len(params))})", params

    @property
    def statement(self) -> str:
        return "shiraka_" + hashlib.sha1(self.sql.encode(), usedforsecurity=False).hexdigest()[:20]


# Statements PostgreSQL refused to prepare (a parameter whose type it cannot tell): run as SQL.
_UNPREPARABLE: set[str] = set()


def _prepare_on_server(connection, raw, name: str, sql: str) -> bool:
    """PREPARE `sql` as `name` on the psycopg connection `raw`, beside Django's cursors (a page's
    query count stays what it reads). Planning was a third of each of a page's queries' time on
    PostgreSQL (0.15-0.4 ms of 0.4-0.9). In a transaction a savepoint keeps a refusal harmless;
    a statement prepared there outlives a rollback, as PostgreSQL keeps it for the session."""
    in_transaction = connection.in_atomic_block
    numbers = iter(range(1, sql.count("%s") + 1))
    server_sql = re.sub(r"%%|%s", lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql)
    try:
        if in_transaction:
            raw.execute("SAVEPOINT shiraka_prepare")
        raw.execute(f"PREPARE {name} AS {server_sql}", prepare=False)
    except connection.Database.Error:
        if in_transaction:
            raw.execute("ROLLBACK TO SAVEPOINT shiraka_prepare")
        return False
    finally:
        if in_transaction:
            raw.execute("RELEASE SAVEPOINT shiraka_prepare")
    return True


_PREPARED: dict[tuple[str, str], _Prepared] = {}
# Some names carry the day (a write's queries): the oldest go past this many, a worker running for
# months keeps no more.
PREPARED_KEPT = 256


def _compiled_queryset(build: Callable[[int], QuerySet], using: str):
    def compile_(key: int) -> tuple[str, list, QuerySet, dict]:
        queryset = build(key)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        return (
            sql,
            list(params),
            queryset,
            {attribute: getattr(compiler, attribute) for attribute in _COMPILED_STATE},
        )

    return compile_


def _prepared(name: str, compile_: Callable[[int], tuple], key: int, using: str) -> _Prepared:
    """The SQL `compile_(key)` gives (with the queryset and compiler state it came from, if any),
    compiled once with a marker for the key, the key put back in its parameters at each call."""
    found = _PREPARED.get((name, using))
    if found is None:
        sql, params, template, state = compile_(KEY_MARKER)
        marked = tuple(
            isinstance(value, int) and not isinstance(value, bool) and value == KEY_MARKER for value in params
        )
        if not any(marked):
            raise ValueError(f"{name}: the query does not use its key")
        found = _PREPARED[(name, using)] = _Prepared(template, sql, tuple(params), marked, state)
        while len(_PREPARED) > PREPARED_KEPT:
            del _PREPARED[next(iter(_PREPARED))]
    if getattr(settings, "SHIRAKA_CHECK_PREPARED", False):
        # The tests build the query for every call too: a `build` whose SQL depends on anything but
        # its key (the language, the day, the reader) would read the wrong rows once compiled.
        sql, params, _template, _state = compile_(key)
        if (sql, list(params)) != (found.sql, found.bound(key)):
            raise AssertionError(f"{name}: the query built for {key!r} is not the one compiled once")
    return found


def prepared_sql(
    name: str, build: Callable[[int], tuple[str, list]], key: int, *, using: str = DEFAULT_DB_ALIAS
) -> tuple[str, list]:
    """`build(key)`'s (sql, params), written once per process and database under `name` (raw SQL
    assembled from querysets, e.g. an INSERT … SELECT): `prepared_row`'s rule, only the key varies."""
    prepared = _prepared(name, lambda key: (*build(key), None, {}), key, using)
    return prepared.executed(key, using)


def prepared_row(name: str, build: Callable[[int], QuerySet], key: int, *, using: str = DEFAULT_DB_ALIAS):
    """The first row of `build(key)`, a `values_list` queryset whose SQL is compiled once per process
    and database under `name`: Django builds and compiles a queryset at each call (7 ms for a page's
    history stamp and its six subqueries) where only the record's key changes. `build` uses its
    argument as that key and nothing else varies in what it builds."""
    prepared = _prepared(name, _compiled_queryset(build, using), key, using)
    with connections[using].cursor() as cursor:
        cursor.execute(*prepared.executed(key, using))
        return cursor.fetchone()


def prepared_rows(
    name: str, build: Callable[[int], QuerySet], key: int, *, using: str = DEFAULT_DB_ALIAS, **known
) -> list:
    """The rows of `build(key)` as a list (model instances with their `select_related` and
    `prefetch_related`, or values), built and compiled once per process and database under `name`
    (`prepared_row`'s rule: only the key varies). A record's page reads a dozen such queries, and
    Django spent more time building and compiling them than the database answering them. `known`:
    links every row has to a record already in hand (`agreement=agreement`), set without a query as
    a related manager would."""
    prepared = _prepared(name, _compiled_queryset(build, using), key, using)
    (sql, params), state = prepared.executed(key, using), prepared.state
    # A shallow copy of the compiled template whose compiler answers with the SQL compiled once.
    query = copy.copy(prepared.template.query)

    def get_compiler(using=None, connection=None, elide_empty=True):
        compiler = Query.get_compiler(query, using, connection, elide_empty)
        compiler.__dict__.update(state)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler

    query.get_compiler = get_compiler
    rows = prepared.template._chain()
    iterable = rows._iterable_class  # setting `query` makes a values_list's rows dicts
    rows.query, rows._db, rows._known_related_objects = query, using, {}
    rows._iterable_class = iterable
    rows = list(rows)
    for row in rows:
        for link, record in known.items():
            setattr(row, link, record)
    return rows
