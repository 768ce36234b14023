"""Keeping the alerts of `followup.models.KeptAlert` true.

Alerts are written as rows: an agreement's, again in the transaction of each write that changes its
figures or its milestones (its figures' row locked, as the figures do); a decision's, in the transaction
that changes it, its committee or the organisation responsible; and all of them once a day, since ages
and so severities move with the date. A page of alerts then orders, counts and pages kept rows instead
of evaluating every rule over the whole portfolio.

A direct edit of the database (which bypasses the saves) shows in the kept alerts the next day, or
after `shiraka figures --refresh`, as in the kept figures; `--verify` finds it.

The rows are the same SQL the live rules give (`alerts.rule_sql`), inserted as they are: what a page
shows from kept rows is by construction what it would compute. `verify_kept_alerts` proves it against
a computation from scratch (`shiraka figures --verify` runs it)."""

from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.signals import m2m_changed, post_delete, post_save

from shiraka.agreements.models import Agreement, Partnership, ScheduledContribution, Transfer
from shiraka.core import cache
from shiraka.core import kept as kept_parts
from shiraka.core.querying import prepared_sql
from shiraka.core.rules import today as local_today
from shiraka.organisations.models import Organisation
from shiraka.portfolio import figures
from shiraka.portfolio.models import AgreementFigures
from shiraka.portfolio.regions import bump_regions_of, in_regions, part_name, region_parts
from shiraka.projects.models import Contract, Milestone, Payment, ProgressUpdate, Project

from . import alerts
from .models import Committee, Decision, KeptAlert, KeptAlertCount, KeptAlertsDay

MARKER = 1  # the primary key of the one KeptAlertsDay row
COUNTS_PART = "alert-counts"  # the kind of part (core.cache) the counts are kept under, by region


K = alerts.Kind
AGREEMENT_KINDS = tuple(alerts.KINDS)  # with the decisions on the agreement
# The kinds a save or removal of each kind of row can change in its agreement's alerts; an agreement's
# own save (or an unknown cause) changes them all.
KINDS_CHANGED_BY = {
    Partnership: (K.CONTRIBUTION_OVERDUE, K.COMMITMENTS_OVER_TOTAL),
    ScheduledContribution: (K.CONTRIBUTION_OVERDUE,),
    Transfer: (K.CONTRIBUTION_OVERDUE,),
    Project: (
        K.MILESTONE_LATE,
        K.PROGRESS_STALE,
        K.PROJECT_OVERDUE,
        K.BUDGETS_OVER_TOTAL,
        K.DECISION_OVERDUE,
    ),
    ProgressUpdate: (K.PROGRESS_STALE, K.PROJECT_OVERDUE),
    Contract: (),
    Payment: (),
    Milestone: (K.MILESTONE_LATE,),
}


def _insert_sql(agreements: QuerySet, today: date, kinds, **options) -> tuple[str, list] | None:
    """The INSERT of the alerts of `kinds` of `agreements`, computed by the rules' own SQL."""
    parts = [
        part
        for kind in kinds
        if (part := alerts.rule_sql(kind, agreements, today, {"ensure": False, **options})) is not None
    ]
    if not parts:
        return None
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in alerts.COLUMNS)
    sql = f"INSERT INTO {quote(KeptAlert._meta.db_table)} ({columns}) " + " UNION ALL ".join(
        part_sql for part_sql, _params in parts
    )
    return sql, [param for _sql, params in parts for param in params]


def _insert(agreements: QuerySet, today: date, kinds=alerts.KINDS, **options) -> None:
    """The alerts of `kinds` of `agreements` inserted as rows."""
    _execute_insert(_insert_sql(agreements, today, kinds, **options))


def _insert_for(agreement_ids: list[int], today: date, kinds) -> None:
    """`_insert` for these agreements: for one, a write's usual case, the rules' SQL is written once
    per day and kinds (building it took 8 of a transfer's 30 ms)."""
    if len(agreement_ids) != 1 or not kinds:
        _insert(Agreement.objects.filter(pk__in=agreement_ids), today, kinds)
        return
    _execute_insert(
        prepared_sql(
            f"kept-alerts:{today.isoformat()}:{','.join(kinds)}",
            lambda pk: _insert_sql(Agreement.objects.filter(pk__in=[pk]), today, kinds),
            agreement_ids[0],
        )
    )


def _execute_insert(insert: tuple[str, list] | None) -> None:
    if insert is None:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")  # see alerts.AlertList._query
        cursor.execute(*insert)


def _grouped(agreement_ids=None) -> QuerySet:
    """The kept alerts of these agreements (of all: None), decisions aside, counted by agreement
    (with its region), kind and severity."""
    rows = KeptAlert.objects.exclude(kind=K.DECISION_OVERDUE).filter(agreement__isnull=False)
    if agreement_ids is not None:
        rows = rows.filter(agreement_id__in=agreement_ids)
    grouped = rows.values("agreement_id", "agreement__region", "kind", "severity")
    return grouped.annotate(n=Count("pk")).order_by()


def _recount(agreement_ids=None) -> None:
    """The kept counts of these agreements (of all: None) written again from their kept alerts. The
    caller holds their figures' rows (or, for all, the kept alerts' table): the one writer of them."""
    ids = None if agreement_ids is None else list(agreement_ids)
    if ids is not None and len(ids) == 1:
        # A write's usual case: the two statements written once per process. The ORM took longer to
        # build them than the database to run them, with SQLite's write lock held all the while.
        statements = [
            prepared_sql(f"kept-counts:{part}", lambda pk, part=part: _count_statement(part, [pk]), ids[0])
            for part in ("delete", "insert")
        ]
    else:
        statements = [_count_statement("delete", ids), _count_statement("insert", ids)]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(*statement)
    _counts_changed(ids)


def _counts_changed(agreement_ids) -> None:
    """The regions whose kept counts changed: their counts are stale once the write commits. All of
    them (None): every one stale."""
    bump_regions_of((COUNTS_PART,), agreement_ids)


def portfolio_counts(today: date) -> dict[tuple[str, str], int]:
    """The whole portfolio's alerts by kind and severity: the kept counts summed by region, each
    region's sums kept under its version (`_counts_changed`), so that after a write in one region
    the others are read, not summed again; and the overdue decisions, counted off their index."""
    keys = _count_keys(today)
    kept = cache.kept_by_part(keys, lambda missing: _region_counts(missing, every=len(missing) == len(keys)))
    decisions = KeptAlert.objects.filter(kind=K.DECISION_OVERDUE).values("kind", "severity")
    rows = [row for region_rows in kept.values() for row in region_rows]
    rows += [(row["kind"], row["severity"], row["n"]) for row in decisions.annotate(n=Count("pk")).order_by()]
    totals: dict[tuple[str, str], int] = {}
    for kind, severity, n in rows:
        totals[(kind, severity)] = totals.get((kind, severity), 0) + n
    return totals


def _count_keys(today: date) -> dict:
    """The key of each region's counts: its slot, then the versions they are counted at (kept in the
    database too)."""
    epoch, versions = cache.figures_versions([COUNTS_PART])
    return {
        region: (
            f"shiraka:alert-counts:{part_name(region)}"
            f"@{epoch}:{today.isoformat()}:{versions[COUNTS_PART][part_name(region)]}"
        )
        for region in region_parts()
    }


def _counts_part_differences(today: date) -> list[figures.Difference]:
    """The regions' counts kept in the database at today's versions next to the kept counts summed
    again (parts not current are given to no reader)."""
    held = kept_parts.held_and_summed(
        _count_keys(today), lambda regions: _region_counts(regions, every=False)
    )
    return [
        figures.Difference(
            "region alert counts",
            part_name(region),
            "alerts",
            sum(n for _kind, _severity, n in stored),
            sum(n for _kind, _severity, n in counted),
        )
        for region, stored, counted in held
        if sorted(stored) != sorted(counted)
    ]


def _region_counts(regions: list, *, every: bool) -> dict:
    """The kept counts of `regions` (None: agreements without a region; `every`: all there are),
    summed by kind and severity, by region."""
    rows = KeptAlertCount.objects.all()
    if not every:
        rows = in_regions(rows, regions, "region_id")
    counted = {region: [] for region in regions}
    for row in rows.values("region_id", "kind", "severity").annotate(n=Sum("count")).order_by():
        counted[row["region_id"]].append((row["kind"], row["severity"], row["n"]))
    return counted


def _count_statement(part: str, agreement_ids) -> tuple[str, list]:
    """The DELETE of these agreements' kept counts (of all: None), or the INSERT … SELECT counting
    their kept alerts again."""
    quote = connection.ops.quote_name
    table = quote(KeptAlertCount._meta.db_table)
    if part == "delete":
        if agreement_ids is None:
            return f"DELETE FROM {table}", []
        marks = ", ".join(["%s"] * len(agreement_ids))
        return f"DELETE FROM {table} WHERE {quote('agreement_id')} IN ({marks})", list(agreement_ids)
    sql, params = _grouped(agreement_ids).query.sql_with_params()
    columns = ", ".join(quote(name) for name in ("agreement_id", "region_id", "kind", "severity", "count"))
    return f"INSERT INTO {table} ({columns}) {sql}", list(params)


def kept_day() -> date | None:
    return KeptAlertsDay.objects.filter(pk=MARKER).values_list("day", flat=True).first()


def _kept_for(today: date) -> bool:
    """Whether the kept rows are for `today`; when not, they are all computed again at the next read
    (the marker goes), unless a rebuild for today committed meanwhile."""
    if kept_day() == today:
        return True
    KeptAlertsDay.objects.exclude(day=today).delete()
    return kept_day() == today


@transaction.atomic
def refresh_kept_alerts(agreement_ids, today: date | None = None, kinds=None) -> None:
    """Write again the kept alerts of these agreements (of `kinds` only, when given; else of every
    kind, the decisions on them included), after a write to their rows."""
    ids = sorted(set(agreement_ids) - {None})
    kinds = AGREEMENT_KINDS if kinds is None else tuple(kinds)
    if not ids or not kinds:
        return
    today = today or local_today()
    # The same lock as the figures' (held already when called from them): two writers of one
    # agreement take their turns. Rows go first: that waits for a rebuild in progress (its table lock).
    list(AgreementFigures.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    KeptAlert.objects.filter(agreement_id__in=ids, kind__in=kinds).exclude(kind=K.DECISION_OVERDUE).delete()
    if not _kept_for(today):
        return
    # Decisions are written by decision (a committee's may be on none of its agreements in particular).
    _insert_for(ids, today, [kind for kind in kinds if kind != K.DECISION_OVERDUE])
    _recount(ids)
    if K.DECISION_OVERDUE not in kinds:
        return
    # A decision on a committee alone is shown where its committee follows a counted agreement: an
    # agreement's status changing can show or hide it.
    decisions = Decision.objects.filter(
        Q(agreement_id__in=ids)
        | Q(agreement=None, project__agreement_id__in=ids)
        | Q(agreement=None, project=None, committee__agreements__in=ids)
    )
    kept = KeptAlert.objects.filter(kind=K.DECISION_OVERDUE, agreement_id__in=ids)
    _refresh_decisions(
        {*decisions.values_list("pk", flat=True), *kept.values_list("object_id", flat=True)}, today
    )


@transaction.atomic
def refresh_kept_decisions(decision_ids, today: date | None = None) -> None:
    """Write again the kept alerts of these decisions, after a write to them."""
    today = today or local_today()
    ids = sorted(set(decision_ids) - {None})
    if ids:
        KeptAlert.objects.filter(kind=K.DECISION_OVERDUE, object_id__in=ids).delete()
        if _kept_for(today):
            _refresh_decisions(ids, today)


def _refresh_decisions(ids, today: date) -> None:
    ids = sorted(ids)
    if not ids:
        return
    # A decision being changed is locked by its writer: its rows are written after its change.
    list(Decision.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    KeptAlert.objects.filter(kind=K.DECISION_OVERDUE, object_id__in=ids).delete()
    _insert(Agreement.objects.all(), today, (K.DECISION_OVERDUE,), decision_ids=ids)


@transaction.atomic
def rebuild_kept_alerts(today: date | None = None) -> bool:
    """Every kept alert computed again for `today`, unless another process just did. True when done."""
    today = today or local_today()
    figures.ensure_current(today)
    if connection.vendor == "postgresql":
        # Writers of kept rows wait until this is committed, and this waits for those in progress:
        # no writer deletes a row this is about to insert again, or inserts one it just deleted.
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(KeptAlert._meta.db_table)} IN SHARE ROW EXCLUSIVE MODE"
            )
    if KeptAlertsDay.objects.select_for_update().filter(pk=MARKER, day=today).exists():
        return False
    KeptAlert.objects.all().delete()
    _insert(Agreement.objects.all(), today)
    _recount()
    KeptAlertsDay.objects.update_or_create(pk=MARKER, defaults={"day": today})
    if connection.vendor == "postgresql":
        # Every row is new: the planner's estimates of the table (a few rows before) would be far off.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(KeptAlert._meta.db_table)}")
    return True


def forget_kept_alerts() -> None:
    """The kept rows computed again at the next read: after rows were removed by SQL (demo.removal),
    which tells no receiver."""
    KeptAlertsDay.objects.filter(pk=MARKER).delete()


def ensure_kept_alerts(today: date) -> bool:
    """The kept alerts made true for `today` before they are read: one small query when they are.
    True when this computed them."""
    return kept_day() != today and rebuild_kept_alerts(today)


def _live_rows(today: date) -> dict:
    rows = alerts.AlertList(Agreement.objects.all(), today=today, kept=False).rows()
    return {(row["kind"], row["object_id"]): row for row in rows}


def verify_kept_alerts(today: date) -> list[figures.Difference]:
    """Every kept alert next to the same alert computed from the rows, for the day they were kept for."""
    day = kept_day()
    if day is None:
        return []  # none kept yet: the next read computes them
    figures.ensure_current(day)
    computed = _live_rows(day)
    kept = {
        (row["kind"], row["object_id"]): row for row in KeptAlert.objects.values(*alerts.COLUMNS).iterator()
    }
    differences = []
    for key in sorted(set(kept) | set(computed), key=str):
        held, wanted = kept.get(key), computed.get(key)
        if held is None or wanted is None or not _same_row(held, wanted):
            differences.append(figures.Difference("alert", key[1], key[0], _brief(held), _brief(wanted)))
    return differences + _count_differences() + _counts_part_differences(today)


def _count_differences() -> list[figures.Difference]:
    """The kept counts next to the kept alerts they count: the whole portfolio's counts by kind and
    severity are read from them."""
    held = {
        (pk, region, kind, severity): n
        for pk, region, kind, severity, n in KeptAlertCount.objects.values_list(
            "agreement_id", "region_id", "kind", "severity", "count"
        )
    }
    wanted = {
        (row["agreement_id"], row["agreement__region"], row["kind"], row["severity"]): row["n"]
        for row in _grouped()
    }
    return [
        figures.Difference(
            "agreement",
            key[0],
            f"alerts {key[2]} {key[3]} (region {key[1]})",
            held.get(key, 0),
            wanted.get(key, 0),
        )
        for key in sorted(set(held) | set(wanted), key=lambda k: (k[0], k[1] is None, k[1] or 0, *k[2:]))
        if held.get(key) != wanted.get(key)
    ]


DATE_COLUMNS = ("since", "d1")


def _same_row(kept: dict, computed: dict) -> bool:
    # SQLite gives dates in SQL as text, the kept columns read back as dates.
    return all(
        (alerts.as_date(kept[name]) == alerts.as_date(computed[name]))
        if name in DATE_COLUMNS
        else kept[name] == computed[name]
        for name in alerts.COLUMNS
    )


def _brief(row: dict | None) -> str:
    if row is None:
        return "none"
    return f"{row['severity']} since {alerts.as_date(row['since'])} ({row['agreement_reference']})"


# --- what a write changes beyond the figures -------------------------------------------------------


def _on_figures_refreshed(sender, agreement_ids, today, **kwargs) -> None:
    refresh_kept_alerts(agreement_ids, today, KINDS_CHANGED_BY.get(kwargs.get("cause")))


def _on_milestone_changed(sender, instance: Milestone, **kwargs) -> None:
    project = Project.objects.filter(pk=instance.project_id)
    refresh_kept_alerts(project.values_list("agreement_id", flat=True), kinds=KINDS_CHANGED_BY[Milestone])


def _on_organisation_saved(sender, instance: Organisation, **kwargs) -> None:
    # A partner's name is the label of its overdue-contribution alerts, and a decision names the
    # organisation responsible.
    ids = KeptAlert.objects.filter(
        kind=K.CONTRIBUTION_OVERDUE,
        object_id__in=instance.partnerships.values("pk"),
    ).values_list("agreement_id", flat=True)
    refresh_kept_alerts(set(ids), kinds=(K.CONTRIBUTION_OVERDUE,))
    refresh_kept_decisions(Decision.objects.filter(responsible=instance).values_list("pk", flat=True))


def _on_decision_changed(sender, instance: Decision, **kwargs) -> None:
    refresh_kept_decisions([instance.pk])


def _on_committee_saved(sender, instance: Committee, **kwargs) -> None:
    refresh_kept_decisions(instance.decisions.values_list("pk", flat=True))


def _on_committee_agreements_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    # The agreements a committee follows say where its own decisions are shown.
    if not action.startswith("post_"):
        return
    if reverse and action == "post_clear":  # which committees followed the agreement is gone
        decisions = Decision.objects.filter(agreement=None, project=None)
    else:
        decisions = Decision.objects.filter(committee_id__in=list(pk_set or ()) if reverse else [instance.pk])
    refresh_kept_decisions(decisions.values_list("pk", flat=True))


def connect() -> None:
    figures.figures_refreshed.connect(_on_figures_refreshed, dispatch_uid="kept-alerts-figures")
    for signal in (post_save, post_delete):
        signal.connect(
            _on_milestone_changed, sender=Milestone, dispatch_uid=f"kept-alerts-milestone-{signal}"
        )
    post_save.connect(_on_organisation_saved, sender=Organisation, dispatch_uid="kept-alerts-organisation")
    post_save.connect(_on_committee_saved, sender=Committee, dispatch_uid="kept-alerts-committee")
    m2m_changed.connect(
        _on_committee_agreements_changed,
        sender=Committee.agreements.through,
        dispatch_uid="kept-alerts-committee-agreements",
    )
    for signal in (post_save, post_delete):
        signal.connect(_on_decision_changed, sender=Decision, dispatch_uid=f"kept-alerts-decision-{signal}")
    figures.KEPT_CHECKS.append(verify_kept_alerts)
    figures.DAY_KEEPERS.append(("alerts", ensure_kept_alerts))
