"""Keeping the figures of `shiraka.portfolio.models` true.

Every save or removal of an agreement, partnership, schedule line, transfer, project, contract or
payment recomputes the figures of the agreement it belongs to (and of the agreement an amendment
changes), in the same transaction, from that agreement's rows only: a write costs a handful of small
queries and invalidates nothing else. Bulk paths (synth, imports) that write without saving row by row
call `refresh_figures()` for what they wrote. Readers call `ensure_current(today)` first: it computes
again only the rows whose amounts due changed with the day, and those of agreements without figures
(written before the figures existed, or by a bulk path that did not refresh them).

`computed_figures()` is the proof: the same figures computed from the money rows alone, which
`shiraka figures --verify` compares with the kept ones."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import Signal

from shiraka.agreements.models import Agreement, Partnership, ScheduledContribution, Transfer
from shiraka.agreements.selectors import effective_total, partnerships_with_figures
from shiraka.core.bulk import Row, insert_rows
from shiraka.core.cache import bump_data_version, memo_forget, memoised
from shiraka.core.money import ZERO
from shiraka.core.querying import QuarterStart, prepared_rows
from shiraka.core.rules import today as local_today
from shiraka.projects.models import Contract, Payment, ProgressUpdate, Project

from .models import AgreementFigures, PartnershipFigures, ProjectGroup, QuarterProgress

CHUNK = 400
# Sent with `agreement_ids`, `today` and `cause` (see `refresh_figures`) once their figures are
# written, in the same transaction, their rows locked: what layers above keep from the same rows (the
# alerts) is written again there.
figures_refreshed = Signal()
MONEY = ("committed", "unallocated", "scheduled", "due", "transferred", "arrears", "budget", "paid")
COUNTS = ("total", "unspecified_partners", "projects")
PROGRESS = ("progress_weighted_sum", "progress_weight", "progress_plain_sum")
DATES = ("due_as_of", "next_due_on")
AGREEMENT_FIELDS = MONEY + COUNTS + PROGRESS + DATES
PARTNERSHIP_FIELDS = ("committed", "scheduled", "due", "transferred", "arrears", "due_as_of", "next_due_on")
# A save or removal of these rows changes partners' sums only: an agreement's project figures (count,
# budget, paid, progress, its quarters and groups) stay as kept, and are neither computed nor written.
MONEY_CAUSES = (Partnership, ScheduledContribution, Transfer)
PARTNERS_FIELDS = ("total", "committed", "unallocated", "unspecified_partners", "scheduled", "due")
PARTNERS_FIELDS += ("transferred", "arrears", "due_as_of", "next_due_on")


def project_aggregates() -> dict:
    """Count, budget and what a budget-weighted mean of physical progress needs, for `aggregate()`
    or a GROUP BY `annotate()`."""
    budget_as_float = Cast("budget", FloatField())
    return {
        "weighted_sum": Sum(
            F("physical_progress") * budget_as_float, filter=Q(budget__gt=0), output_field=FloatField()
        ),
        "weight": Sum(budget_as_float, filter=Q(budget__gt=0), output_field=FloatField()),
        "plain_sum": Sum(Cast("physical_progress", FloatField())),
        "count": Count("pk"),
        "budget_sum": Sum("budget"),
    }


@dataclass
class Computed:
    """Figures of a set of agreements computed from their rows: {pk: {field: value}}."""

    agreements: dict[int, dict]
    partnerships: dict[int, dict]
    quarters: dict[tuple[int, date], tuple[float, int]]
    groups: dict[tuple[int, str, str], tuple]


def _rows_of(name: str, build: Callable[[list[int]], QuerySet], agreement_ids: list[int]) -> list:
    """`build(agreement_ids)`'s rows: for one agreement, a write's usual case, compiled once (10 of a
    transfer's 30 ms went to building and compiling its figures' queries)."""
    if len(agreement_ids) == 1:
        return prepared_rows(name, lambda pk: build([pk]), agreement_ids[0])
    return list(build(agreement_ids))


def _partnership_query(agreement_ids: list[int], today: date) -> QuerySet:
    next_due = (
        ScheduledContribution.objects.filter(partnership=OuterRef("pk"), due_on__gt=today)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    return (
        partnerships_with_figures(Partnership.objects.filter(agreement_id__in=agreement_ids), today=today)
        .annotate(next_due=Subquery(next_due))
        .values_list(
            "pk",
            "agreement_id",
            "committed",
            "scheduled",
            "due_to_date",
            "transferred",
            "arrears",
            "next_due",
        )
    )


def _partnership_rows(agreement_ids: list[int], today: date) -> dict[int, dict]:
    rows = _rows_of(
        f"partnership-figures:{today.isoformat()}", lambda ids: _partnership_query(ids, today), agreement_ids
    )
    return {
        pk: {
            "agreement_id": agreement_id,
            "committed": committed,
            "scheduled": scheduled,
            "due": due,
            "transferred": transferred,
            "arrears": arrears,
            "due_as_of": today,
            "next_due_on": next_due,
        }
        for pk, agreement_id, committed, scheduled, due, transferred, arrears, next_due in rows
    }


def _empty_agreement(total, today: date) -> dict:
    figures = dict.fromkeys(MONEY, ZERO)
    figures.update(total=total, unspecified_partners=0, projects=0, due_as_of=today, next_due_on=None)
    figures.update(dict.fromkeys(PROGRESS))
    return figures


def computed_figures(agreement_ids: list[int], today: date, *, projects: bool = True) -> Computed:
    """The figures of these agreements from their money and project rows. Five queries; two when
    not `projects` (partners' sums only: the project figures, quarters and groups left empty)."""
    partnerships = _partnership_rows(agreement_ids, today)
    totals = _rows_of(
        "agreement-totals",
        lambda ids: (
            Agreement.objects.filter(pk__in=ids)
            .annotate(effective=effective_total())
            .values_list("pk", "effective")
        ),
        agreement_ids,
    )
    agreements = {pk: _empty_agreement(total, today) for pk, total in totals}
    for row in partnerships.values():
        figures = agreements.get(row["agreement_id"])
        if figures is None:
            continue
        if row["committed"] is None:
            figures["unspecified_partners"] += 1
        else:
            figures["committed"] += row["committed"]
        for name in ("scheduled", "due", "transferred", "arrears"):
            figures[name] += row[name]
        if row["next_due_on"] and (
            figures["next_due_on"] is None or row["next_due_on"] < figures["next_due_on"]
        ):
            figures["next_due_on"] = row["next_due_on"]
    for figures in agreements.values():
        figures["unallocated"] = max((figures["total"] or ZERO) - figures["committed"], ZERO)
    if not projects:
        return Computed(agreements, partnerships, {}, {})
    rows = Project.objects.filter(agreement_id__in=agreement_ids).order_by().values("agreement_id")
    for item in rows.annotate(**project_aggregates()):
        figures = agreements[item["agreement_id"]]
        figures["projects"], figures["budget"] = item["count"], item["budget_sum"] or ZERO
        figures["progress_weighted_sum"] = item["weighted_sum"]
        figures["progress_weight"] = item["weight"]
        figures["progress_plain_sum"] = item["plain_sum"]
    paid = (
        Payment.objects.standing()
        .filter(contract__project__agreement_id__in=agreement_ids)
        .order_by()
        .values_list("contract__project__agreement_id")
        .annotate(total=Sum("amount"))
    )
    for agreement_id, total in paid:
        agreements[agreement_id]["paid"] = total or ZERO
    return Computed(agreements, partnerships, _quarters(agreement_ids), _project_groups(agreement_ids))


GROUP_FIELDS = ("projects", "budget", "progress_weighted_sum", "progress_weight", "progress_plain_sum")


def _project_groups(agreement_ids: list[int]) -> dict[tuple[int, str, str], tuple]:
    groups = {}
    for dimension in ProjectGroup.Dimension.values:
        rows = (
            Project.objects.filter(agreement_id__in=agreement_ids)
            .order_by()
            .values_list("agreement_id", dimension)
            .annotate(**project_aggregates())
        )
        for agreement_id, key, weighted_sum, weight, plain_sum, count, budget in rows:
            groups[(agreement_id, dimension, key)] = (count, budget or ZERO, weighted_sum, weight, plain_sum)
    return groups


def _quarters(agreement_ids: list[int]) -> dict[tuple[int, date], tuple[float, int]]:
    rows = (
        ProgressUpdate.objects.filter(project__agreement_id__in=agreement_ids)
        .annotate(quarter=QuarterStart("reported_on"))
        .order_by()
        .values_list("project__agreement_id", "quarter")
        .annotate(total=Sum(Cast("physical_progress", FloatField())), updates=Count("pk"))
    )
    return {(agreement_id, quarter): (total, updates) for agreement_id, quarter, total, updates in rows}


# Agreements and partners being deleted: their rows go one by one first, and their figures must not
# be written again behind the deletion.
_deleting = threading.local()


def _deleted_ids(kind: str = "agreements") -> set:
    if not hasattr(_deleting, kind):
        setattr(_deleting, kind, set())
    return getattr(_deleting, kind)


@transaction.atomic
def refresh_figures(agreement_ids=None, *, today: date | None = None, cause=None) -> int:
    """Compute again and keep the figures of these agreements (all when None). Returns how many.
    `cause`: the model whose save or removal changed them (None: anything may have changed), passed
    on to `figures_refreshed`."""
    today = today or local_today()
    if agreement_ids is None:
        ids = list(Agreement.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(agreement_ids) - _deleted_ids() - {None})
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(ids[start : start + CHUNK], today, cause)
    return len(ids)


def _refresh_chunk(ids: list[int], today: date, cause=None) -> None:
    # Locked first (PostgreSQL): two writers of one agreement compute its sums one after the other,
    # each seeing what the other committed, so no sum is lost.
    kept = set(AgreementFigures.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    # Partners' sums alone where a money row changed and every agreement has its kept row to update.
    partners_only = cause in MONEY_CAUSES and kept >= set(ids)
    computed = computed_figures(ids, today, projects=not partners_only)
    # A partner's schedule lines go before the partner when it is deleted: its figures must not be
    # written again in between (they would point at a removed partner).
    for pk in _deleted_ids("partnerships") & set(computed.partnerships):
        del computed.partnerships[pk]
    # Rows are updated in place, never deleted and inserted again: an insert would lock the
    # partnership it points to, which another writer of the agreement may hold (a deadlock).
    _write(PartnershipFigures, "partnership_id", computed.partnerships, PARTNERSHIP_FIELDS)
    _write(
        AgreementFigures,
        "agreement_id",
        computed.agreements,
        PARTNERS_FIELDS if partners_only else AGREEMENT_FIELDS,
        kept,
    )
    if not partners_only:
        _write_project_rows(ids, computed)
    figures_refreshed.send(
        sender=AgreementFigures, agreement_ids=sorted(computed.agreements), today=today, cause=cause
    )


def _write_project_rows(ids: list[int], computed: Computed) -> None:
    QuarterProgress.objects.filter(agreement_id__in=ids).delete()
    # Written as plain rows (`core.bulk`): Django's bulk_create prepared each value of each row
    # through its field, a third of a synth's time in keeping figures.
    insert_rows(
        QuarterProgress,
        [
            Row(agreement_id=agreement_id, quarter=quarter, progress_sum=total, updates=updates)
            for (agreement_id, quarter), (total, updates) in computed.quarters.items()
            if agreement_id in computed.agreements
        ],
    )
    ProjectGroup.objects.filter(agreement_id__in=ids).delete()
    insert_rows(
        ProjectGroup,
        [
            Row(
                agreement_id=agreement_id,
                dimension=dimension,
                key=key,
                **dict(zip(GROUP_FIELDS, values, strict=True)),
            )
            for (agreement_id, dimension, key), values in computed.groups.items()
            if agreement_id in computed.agreements
        ],
    )


def _write(model, key: str, computed: dict, fields, existing: set | None = None) -> None:
    """Update the kept rows in place with one prepared statement run for every row (Django's
    `bulk_update` builds a CASE per field: fifty times slower here), insert the missing ones."""
    if existing is None:
        existing = set(model.objects.filter(pk__in=list(computed)).values_list("pk", flat=True))
    existing &= set(computed)
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    statement = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    updates = [
        [field.get_db_prep_save(computed[pk][field.name], connection) for field in columns] + [pk]
        for pk in existing
    ]
    if updates:
        with connection.cursor() as cursor:
            cursor.executemany(statement, updates)
    insert_rows(
        model,
        [
            Row(**{key: pk}, **{name: values[name] for name in fields})
            for pk, values in computed.items()
            if pk not in existing
        ],
    )


# Saves keep the figures current; what can leave them behind is the day changing, a bulk writer in
# another process that did not refresh, or data older than the figures. Each process looks once in a
# while, not on every read: the query counts of a page stay the same after a write.
CHECK_EVERY = 300
MEMO_KEY = "figures-current:"


def ensure_current(today: date | None = None) -> int:
    """Make the kept figures true for `today` before they are summed: the agreements whose amounts
    due changed since they were computed (a contribution fell due), those computed for a later day,
    and those without figures. Three small queries when there is nothing to do, none when this process looked
    for the same day less than `CHECK_EVERY` seconds ago."""
    today = today or local_today()
    return memoised(f"{MEMO_KEY}{today.isoformat()}", lambda: _make_current(today), timeout=CHECK_EVERY)


def _anything_stale(today: date) -> bool:
    """Two indexed lookups and two counts: the same question asked as one OR across a join to
    every agreement read all of them (23 ms at 20,000 agreements, against under 1)."""
    outdated = AgreementFigures.objects.filter(Q(next_due_on__lte=today) | Q(due_as_of__gt=today))
    # Figures belong to an agreement (a cascading key): fewer rows than agreements means some lack them.
    return outdated.exists() or AgreementFigures.objects.count() < Agreement.objects.count()


def _make_current(today: date) -> int:
    if not _anything_stale(today):
        return 0
    stale_q = Q(figures__next_due_on__lte=today) | Q(figures__due_as_of__gt=today) | Q(figures__isnull=True)
    stale = list(Agreement.objects.filter(stale_q).values_list("pk", flat=True))
    count = refresh_figures(stale, today=today)
    # Figures changed without a save: what was cached from them, and what processes remember of
    # having checked other days, are outdated.
    bump_data_version()
    memo_forget(MEMO_KEY)
    return count


@dataclass
class Difference:
    what: str  # "agreement" or "partnership"
    pk: int
    field: str
    kept: object
    computed: object

    def __str__(self) -> str:
        if self.field == "row":
            missing = self.kept == "none"
            return f"{self.what} {self.pk}: " + (
                "no kept figures" if missing else "kept figures of a removed row"
            )
        return f"{self.what} {self.pk}: {self.field} kept {self.kept}, computed from the rows {self.computed}"


def same_figure(kept, computed) -> bool:
    if isinstance(kept, float) or isinstance(computed, float):
        return (
            kept is not None and computed is not None and abs(kept - computed) < 1e-6 * max(1, abs(computed))
        )
    return kept == computed


# Checks of what layers above keep from the same rows (the alerts), added by their apps: each takes
# the day and returns its differences.
KEPT_CHECKS: list = []
# What layers above keep for a day (the alerts, whose ages move with it), added by their apps as
# (name, keeper): each keeper takes the day, makes its rows current for it and says whether it had to.
DAY_KEEPERS: list = []


def start_day(today: date | None = None) -> tuple[int, list[str]]:
    """Everything kept made current for `today` at once, before a reader asks (`shiraka figures
    --today`, run by cron after midnight): the first reader of a day would otherwise compute the
    day's figures and alerts itself (seconds at national scale, with every worker that asks waiting).
    The number of agreements whose figures were computed again, and the names of what was renewed."""
    today = today or local_today()
    count = _make_current(today)
    return count, [name for name, keep in DAY_KEEPERS if keep(today)]


def verify_figures(*, today: date | None = None) -> list[Difference]:
    """Every kept figure next to the same figure computed from the rows; the list of differences
    (missing or extra rows included). Reads the whole portfolio in chunks."""
    today = today or local_today()
    differences: list[Difference] = []
    ids = list(Agreement.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        computed = computed_figures(chunk, today)
        kept = {
            row["pk"]: row
            for row in AgreementFigures.objects.filter(pk__in=chunk).values("pk", *AGREEMENT_FIELDS)
        }
        differences += _compare("agreement", kept, computed.agreements, AGREEMENT_FIELDS, today)
        kept = {
            row["pk"]: row
            for row in PartnershipFigures.objects.filter(partnership__agreement_id__in=chunk).values(
                "pk", *PARTNERSHIP_FIELDS
            )
        }
        differences += _compare("partnership", kept, computed.partnerships, PARTNERSHIP_FIELDS, today)
        differences += _compare_rows(chunk, computed)
    extra = PartnershipFigures.objects.exclude(partnership__in=Partnership.objects.all()).values_list(
        "pk", flat=True
    )
    differences += [Difference("partnership", pk, "row", "kept", "none") for pk in extra]
    for check in KEPT_CHECKS:
        differences += check(today)
    return differences


def _compare_rows(chunk: list[int], computed: Computed) -> list[Difference]:
    """The progress by quarter and the project groups kept for `chunk` against the computed ones."""
    quarters = QuarterProgress.objects.filter(agreement_id__in=chunk).values_list(
        "agreement_id", "quarter", "progress_sum", "updates"
    )
    groups = ProjectGroup.objects.filter(agreement_id__in=chunk).values_list(
        "agreement_id", "dimension", "key", *GROUP_FIELDS
    )
    pairs = [
        ({(row[0], row[1]): row[2:] for row in quarters}, computed.quarters),
        ({(row[0], row[1], row[2]): row[3:] for row in groups}, computed.groups),
    ]
    differences = []
    for kept, expected in pairs:
        for key in sorted(set(kept) | set(expected), key=str):
            held, wanted = kept.get(key), expected.get(key)
            if held is None or wanted is None or not all(map(same_figure, held, wanted)):
                what = " ".join(str(part) for part in key[1:])
                differences.append(Difference("agreement", key[0], what, held, wanted))
    return differences


def _compare(what: str, kept: dict, computed: dict, fields, today: date) -> list[Difference]:
    differences = []
    for pk, values in computed.items():
        row = kept.get(pk)
        if row is None:
            differences.append(Difference(what, pk, "row", "none", "computed"))
            continue
        for name in fields:
            # A row computed for another day than `today` is still true if no contribution fell
            # due in between: that is what `ensure_current` checks, so compare the day's amounts only.
            if name in DATES:
                continue
            if not same_figure(row[name], values[name]):
                differences.append(Difference(what, pk, name, row[name], values[name]))
    return differences


# --- what a save changes ------------------------------------------------------------------------


def _agreements_changed_by(agreement_id: int | None) -> set[int]:
    """The agreement and, for an amendment, the agreement it changes (its total and commitments)."""
    if agreement_id is None:
        return set()
    row = Agreement.objects.filter(pk=agreement_id).values_list("kind", "parent_id").first()
    if row is None:
        return set()
    kind, parent_id = row
    return {agreement_id, parent_id} if kind == Agreement.Kind.AMENDMENT and parent_id else {agreement_id}


def _on_agreement_saved(sender, instance: Agreement, **kwargs) -> None:
    changed = {instance.pk}
    if instance.parent_id:
        changed.add(instance.parent_id)
    before = getattr(instance, "_figures_parent_before", None)
    if before:
        changed.add(before)
    refresh_figures(changed)


def _on_agreement_deleting(sender, instance: Agreement, **kwargs) -> None:
    _deleted_ids().add(instance.pk)


def _on_partnership_deleting(sender, instance: Partnership, **kwargs) -> None:
    _deleted_ids("partnerships").add(instance.pk)


def _on_partnership_deleted(sender, instance: Partnership, **kwargs) -> None:
    _deleted_ids("partnerships").discard(instance.pk)


def _on_agreement_deleted(sender, instance: Agreement, **kwargs) -> None:
    _deleted_ids().discard(instance.pk)
    if instance.parent_id:
        refresh_figures([instance.parent_id])


def _on_row_changed(path: str):
    def handler(sender, instance, **kwargs) -> None:
        agreement_id = instance
        for step in path.split("."):
            agreement_id = getattr(agreement_id, step, None) if agreement_id is not None else None
        refresh_figures(_agreements_changed_by(agreement_id), cause=sender)

    return handler


def _remember_parent(sender, instance: Agreement, **kwargs) -> None:
    # A specific agreement or an amendment moved to another parent changes the former parent too.
    if instance.pk:
        instance._figures_parent_before = (
            Agreement.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
        )


ROW_PATHS = {
    Partnership: "agreement_id",
    ScheduledContribution: "partnership.agreement_id",
    Transfer: "partnership.agreement_id",
    Project: "agreement_id",
    Contract: "project.agreement_id",
    Payment: "contract.project.agreement_id",
    ProgressUpdate: "project.agreement_id",
}


def connect() -> None:
    from django.db.models.signals import pre_save

    pre_save.connect(_remember_parent, sender=Agreement, dispatch_uid="figures-agreement-parent")
    post_save.connect(_on_agreement_saved, sender=Agreement, dispatch_uid="figures-agreement-saved")
    pre_delete.connect(_on_agreement_deleting, sender=Agreement, dispatch_uid="figures-agreement-deleting")
    post_delete.connect(_on_agreement_deleted, sender=Agreement, dispatch_uid="figures-agreement-deleted")
    pre_delete.connect(
        _on_partnership_deleting, sender=Partnership, dispatch_uid="figures-partnership-deleting"
    )
    post_delete.connect(
        _on_partnership_deleted, sender=Partnership, dispatch_uid="figures-partnership-deleted"
    )
    for model, path in ROW_PATHS.items():
        handler = _on_row_changed(path)
        post_save.connect(
            handler, sender=model, weak=False, dispatch_uid=f"figures-saved-{model._meta.label}"
        )
        post_delete.connect(
            handler, sender=model, weak=False, dispatch_uid=f"figures-deleted-{model._meta.label}"
        )
