"""Keeping the alerts of `followup.models.KeptAlert` true.

The alert kinds read from one agreement's rows only (late milestones, contributions overdue, progress
not updated, projects past their end) are written as rows: for an agreement, again in the transaction
of each write that changes its figures or its milestones (its rows locked, as its figures are), and for
every agreement once a day, since ages and so severities move with the date. A page of alerts then
orders, counts and pages kept rows instead of evaluating every rule over the whole portfolio.

The rows are the same SQL the live rules give (`alerts.rule_sql`), inserted as they are: what a page
shows from kept rows is by construction what it would compute. `verify_kept_alerts` proves it against
a computation from scratch (`shiraka figures --verify` runs it)."""

from datetime import date

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from shiraka.agreements.models import Agreement
from shiraka.core.rules import today as local_today
from shiraka.organisations.models import Organisation
from shiraka.portfolio import figures
from shiraka.portfolio.models import AgreementFigures
from shiraka.projects.models import Milestone, Project

from . import alerts
from .models import KeptAlert, KeptAlertsDay

MARKER = 1  # the primary key of the one KeptAlertsDay row


def _insert(agreements: QuerySet, today: date) -> None:
    """The alerts of the kept kinds of `agreements`, computed by the rules' own SQL, inserted as rows."""
    parts = [
        part
        for kind in alerts.KEPT_KINDS
        if (part := alerts.rule_sql(kind, agreements, today, {"ensure": False})) is not None
    ]
    if not parts:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in alerts.COLUMNS)
    sql = f"INSERT INTO {quote(KeptAlert._meta.db_table)} ({columns}) " + " UNION ALL ".join(
        part_sql for part_sql, _params in parts
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")  # see alerts.AlertList._query
        cursor.execute(sql, [param for _sql, params in parts for param in params])


def kept_day() -> date | None:
    return KeptAlertsDay.objects.filter(pk=MARKER).values_list("day", flat=True).first()


@transaction.atomic
def refresh_kept_alerts(agreement_ids, today: date | None = None) -> None:
    """Write again the kept alerts of these agreements, after a write to their rows."""
    ids = sorted(set(agreement_ids) - {None})
    if not ids:
        return
    today = today or local_today()
    # The same lock as the figures' (held already when called from them): two writers of one
    # agreement, or a writer and the daily rebuild, take their turns.
    list(AgreementFigures.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    if kept_day() != today:
        # The other agreements' rows are for another day: all are computed again at the next read,
        # unless a rebuild for today committed meanwhile (then these rows are written as usual).
        KeptAlertsDay.objects.exclude(day=today).delete()
        if kept_day() != today:
            return
    KeptAlert.objects.filter(agreement_id__in=ids).delete()
    _insert(Agreement.objects.filter(pk__in=ids), today)


@transaction.atomic
def rebuild_kept_alerts(today: date | None = None) -> bool:
    """Every kept alert computed again for `today`, unless another process just did. True when done."""
    today = today or local_today()
    figures.ensure_current(today)
    # Writers first lock their agreement's figures, then this marker: taken in the same order here.
    list(AgreementFigures.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    if KeptAlertsDay.objects.select_for_update().filter(pk=MARKER, day=today).exists():
        return False
    KeptAlert.objects.all().delete()
    _insert(Agreement.objects.all(), today)
    KeptAlertsDay.objects.update_or_create(pk=MARKER, defaults={"day": today})
    return True


def ensure_kept_alerts(today: date) -> None:
    """The kept alerts made true for `today` before they are read: one small query when they are."""
    if kept_day() != today:
        rebuild_kept_alerts(today)


def _live_rows(today: date) -> dict:
    rows = alerts.AlertList(Agreement.objects.all(), today=today, kinds=alerts.KEPT_KINDS, kept=False).rows()
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
    return differences


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
    refresh_kept_alerts(agreement_ids, today)


def _on_milestone_changed(sender, instance: Milestone, **kwargs) -> None:
    project = Project.objects.filter(pk=instance.project_id)
    refresh_kept_alerts(project.values_list("agreement_id", flat=True))


def _on_organisation_saved(sender, instance: Organisation, **kwargs) -> None:
    # A partner's name is the label of its overdue-contribution alerts.
    ids = KeptAlert.objects.filter(
        kind=alerts.Kind.CONTRIBUTION_OVERDUE,
        object_id__in=instance.partnerships.values("pk"),
    ).values_list("agreement_id", flat=True)
    refresh_kept_alerts(set(ids))


def connect() -> None:
    figures.figures_refreshed.connect(_on_figures_refreshed, dispatch_uid="kept-alerts-figures")
    for signal in (post_save, post_delete):
        signal.connect(
            _on_milestone_changed, sender=Milestone, dispatch_uid=f"kept-alerts-milestone-{signal}"
        )
    post_save.connect(_on_organisation_saved, sender=Organisation, dispatch_uid="kept-alerts-organisation")
    figures.KEPT_CHECKS.append(verify_kept_alerts)
