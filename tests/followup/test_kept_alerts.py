"""Alerts kept as rows stay what the rules compute: a write changes its agreement's kept alerts in its
own transaction (the portfolio is not computed again), the day changing computes them all again, and
`shiraka figures --verify` finds a kept alert that the rows no longer give, which `--refresh` repairs."""

import pickle
import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shiraka.agreements.models import Agreement, Partnership
from shiraka.agreements.services import AGREEMENT_TRANSITIONS, agreement_set_status, transfer_record
from shiraka.core.kept import slot_of
from shiraka.core.models import KeptPart
from shiraka.core.rules import today as local_today
from shiraka.demo.synth import synth_generate
from shiraka.followup import kept_alerts
from shiraka.followup.alerts import KINDS, AlertList, Kind, Severity
from shiraka.followup.kept_alerts import ensure_kept_alerts, kept_day, verify_kept_alerts
from shiraka.followup.models import KeptAlert, KeptAlertCount
from shiraka.organisations.services import organisation_update
from shiraka.portfolio import figures
from shiraka.portfolio.figures import ensure_current
from shiraka.portfolio.models import AgreementFigures
from shiraka.projects.models import Milestone
from shiraka.projects.services import milestone_achieve

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(reference, monkeypatch):
    synth_generate(agreements=8, seed=41, show_progress=False)
    day = local_today()
    ensure_current(day)
    ensure_kept_alerts(day)

    def refuse(*args, **kwargs):
        raise AssertionError("a write computed every agreement's alerts again")

    # From here on, a write must change its own agreement's kept alerts only.
    monkeypatch.setattr(kept_alerts, "rebuild_kept_alerts", refuse)
    return day


def keys(kind: str) -> set[int]:
    return set(KeptAlert.objects.filter(kind=kind).values_list("object_id", flat=True))


def shown(kind: str, day) -> set[int]:
    return {alert.object_id for alert in AlertList(Agreement.objects.all(), today=day, kind=kind)}


def live(day) -> set[tuple]:
    rows = AlertList(Agreement.objects.all(), today=day, kinds=KINDS, kept=False).rows()
    return {(row["kind"], row["object_id"], row["severity"]) for row in rows}


def test_every_kept_kind_is_kept_and_matches_the_rules(today):
    held = set(KeptAlert.objects.values_list("kind", "object_id", "severity"))
    # Generated data breaks no rule the services enforce (commitments or budgets above the total).
    refused = {Kind.COMMITMENTS_OVER_TOTAL, Kind.BUDGETS_OVER_TOTAL}
    assert {kind for kind, _pk, _severity in held} == set(KINDS) - refused
    assert held == live(today)
    assert verify_kept_alerts(today) == []


def test_achieving_a_projects_late_milestones_removes_its_alert_at_once(today):
    project_id = sorted(keys(Kind.MILESTONE_LATE))[0]
    assert project_id in shown(Kind.MILESTONE_LATE, today)
    for milestone in Milestone.objects.filter(project_id=project_id, achieved_on=None, planned_on__lt=today):
        milestone_achieve(milestone, achieved_on=today, expected_version=milestone.version)
    assert project_id not in keys(Kind.MILESTONE_LATE)
    assert project_id not in shown(Kind.MILESTONE_LATE, today)
    assert kept_day() == today and verify_kept_alerts(today) == []


def test_a_transfer_covering_the_arrears_removes_the_overdue_alert(today):
    alert = KeptAlert.objects.filter(kind=Kind.CONTRIBUTION_OVERDUE).order_by("object_id").first()
    partnership = Partnership.objects.get(pk=alert.object_id)
    transfer_record(
        partnership=partnership, transferred_on=today, amount=Decimal(alert.amount) / 100, reference="COVER"
    )
    assert alert.object_id not in keys(Kind.CONTRIBUTION_OVERDUE)
    assert alert.object_id not in shown(Kind.CONTRIBUTION_OVERDUE, today)
    assert verify_kept_alerts(today) == []


def test_renaming_a_partner_renames_its_overdue_alerts(today):
    alert = KeptAlert.objects.filter(kind=Kind.CONTRIBUTION_OVERDUE).order_by("object_id").first()
    organisation = Partnership.objects.get(pk=alert.object_id).organisation
    organisation_update(organisation, expected_version=organisation.version, name_fr="Partenaire renommé")
    labels = {
        a.label_fr
        for a in AlertList(Agreement.objects.all(), today=today, kind=Kind.CONTRIBUTION_OVERDUE)
        if a.object_id == alert.object_id
    }
    assert labels == {"Partenaire renommé"}
    assert verify_kept_alerts(today) == []


def test_another_day_computes_every_kept_alert_again(today, monkeypatch):
    monkeypatch.undo()
    later = today + timedelta(days=400)
    before = KeptAlert.objects.filter(severity=Severity.HIGH).count()
    ensure_kept_alerts(later)
    assert kept_day() == later
    assert KeptAlert.objects.filter(severity=Severity.HIGH).count() > before
    assert set(KeptAlert.objects.values_list("kind", "object_id", "severity")) == live(later)


def test_figures_today_computes_the_days_figures_and_alerts_before_any_reader(today, monkeypatch):
    monkeypatch.undo()
    later = today + timedelta(days=400)
    monkeypatch.setattr(figures, "local_today", lambda: later)
    out = StringIO()
    call_command("figures", "--today", stdout=out)
    renewed = int(re.search(r"Figures of (\d+) agreements", out.getvalue()).group(1))
    assert renewed > 0  # contributions fell due in 400 days
    assert "alerts, region figures computed again" in out.getvalue()
    assert kept_day() == later
    assert set(KeptAlert.objects.values_list("kind", "object_id", "severity")) == live(later)
    # No agreement is left with a contribution fallen due since its figures were computed.
    assert not AgreementFigures.objects.filter(next_due_on__lte=later).exists()

    out = StringIO()
    call_command("figures", "--today", stdout=out)
    assert "Figures of 0 agreements made current for today; nothing else computed again" in out.getvalue()


def test_verify_finds_an_edit_the_kept_alerts_did_not_see_and_refresh_repairs_it(today):
    project_id = sorted(keys(Kind.MILESTONE_LATE))[0]
    Milestone.objects.filter(project_id=project_id).update(achieved_on=today)  # no save, no signal
    differences = verify_kept_alerts(today)
    assert [(d.what, d.pk, d.field, d.computed) for d in differences] == [
        ("alert", project_id, Kind.MILESTONE_LATE, "none")
    ]
    with pytest.raises(CommandError) as refused:
        call_command("figures", "--verify", stdout=StringIO(), stderr=StringIO())
    assert refused.value.returncode == 1
    call_command("figures", "--refresh", stdout=StringIO())
    assert project_id not in keys(Kind.MILESTONE_LATE)
    out = StringIO()
    call_command("figures", "--verify", stdout=out)
    assert "exact" in out.getvalue()


def test_decisions_on_a_committee_alone_are_kept_and_leave_when_done(today):
    from shiraka.followup import services as followup
    from tests.factories import committee

    followed = Agreement.objects.exclude(status__in=["draft", "cancelled"]).order_by("pk")[:2]
    board = committee(list(followed))
    decision = followup.decision_create(
        committee=board, text="Relancer les partenaires", due_on=today - timedelta(days=40)
    )
    assert decision.pk in keys(Kind.DECISION_OVERDUE)
    in_scope = AlertList(Agreement.objects.filter(pk=followed[0].pk), today=today, kind=Kind.DECISION_OVERDUE)
    elsewhere = AlertList(
        Agreement.objects.exclude(pk__in=[a.pk for a in followed]), today=today, kind=Kind.DECISION_OVERDUE
    )
    assert decision.pk in {a.object_id for a in in_scope}
    assert decision.pk not in {a.object_id for a in elsewhere}
    followup.decision_set_status(decision, status="done", on=today, expected_version=decision.version)
    assert decision.pk not in keys(Kind.DECISION_OVERDUE)
    assert verify_kept_alerts(today) == []


def test_a_committee_that_starts_following_an_agreement_shows_its_decisions_there(today):
    from shiraka.followup import services as followup
    from tests.factories import committee

    first, second = Agreement.objects.exclude(status__in=["draft", "cancelled"]).order_by("pk")[:2]
    board = committee([first])
    decision = followup.decision_create(
        committee=board, text="Visiter le chantier", due_on=today - timedelta(days=10)
    )

    def seen_from(agreement) -> bool:
        found = AlertList(Agreement.objects.filter(pk=agreement.pk), today=today, kind=Kind.DECISION_OVERDUE)
        return decision.pk in {a.object_id for a in found}

    assert seen_from(first) and not seen_from(second)
    board.agreements.add(second)
    assert seen_from(second)
    board.agreements.remove(second)
    assert not seen_from(second)
    assert verify_kept_alerts(today) == []


def test_the_whole_portfolio_reads_its_alerts_off_the_kept_rows_alone(today):
    """Every kept row is an alert of the whole portfolio (what verify proves): its page and counts ask
    no question of the agreements, and a secretariat's scope still does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agreements_table = Agreement._meta.db_table
    whole = AlertList(Agreement.objects.all(), today=today)
    with CaptureQueriesContext(connection) as queries:
        counts = whole.counts()
        whole.page(1, 50)
    read = [query["sql"] for query in queries if KeptAlert._meta.db_table in query["sql"]]
    assert read and not any(agreements_table in sql for sql in read)
    # The counts are a sum of the counts kept per agreement, the decisions counted from their rows.
    assert any(KeptAlertCount._meta.db_table in sql for sql in read)
    assert counts == Counter((kind, severity) for kind, _pk, severity in live(today))
    one = Agreement.objects.filter(pk=KeptAlert.objects.exclude(agreement=None).values("agreement_id")[:1])
    with CaptureQueriesContext(connection) as queries:
        AlertList(one, today=today).counts()
    assert any(agreements_table in query["sql"] for query in queries)


def test_an_agreement_cancelled_leaves_the_whole_portfolios_alerts_at_once(today):
    # An agreement with an alert that may still be cancelled (a completed one may not), whatever order
    # the database returns rows in.
    cancellable = [status for status, targets in AGREEMENT_TRANSITIONS.items() if "cancelled" in targets]
    agreement = (
        Agreement.objects.filter(status__in=cancellable, pk__in=KeptAlert.objects.values("agreement_id"))
        .order_by("pk")
        .first()
    )
    assert agreement is not None, "the generated data gives no cancellable agreement with an alert"
    assert agreement.pk in {alert.agreement_id for alert in AlertList(Agreement.objects.all(), today=today)}
    agreement_set_status(
        agreement, status="cancelled", reason="Signée en double", expected_version=agreement.version
    )
    whole = AlertList(Agreement.objects.all(), today=today)
    assert agreement.pk not in {alert.agreement_id for alert in whole}
    assert sum(whole.counts().values()) == len(live(today))
    assert verify_kept_alerts(today) == []


def counted(day) -> dict:
    """The whole portfolio's alerts counted by agreement, kind and severity, decisions aside."""
    rows = AlertList(Agreement.objects.all(), today=day, kinds=KINDS, kept=False).rows()
    return Counter(
        (row["agreement_id"], row["kind"], row["severity"])
        for row in rows
        if row["kind"] != Kind.DECISION_OVERDUE
    )


def kept_counts() -> dict:
    return {
        (pk, kind, severity): n
        for pk, kind, severity, n in KeptAlertCount.objects.values_list(
            "agreement_id", "kind", "severity", "count"
        )
    }


def test_the_counts_kept_per_agreement_follow_each_write(today):
    """A transfer, a milestone achieved and an agreement cancelled each write their agreement's
    counts again, in their transaction: the kept counts stay those of the alerts."""
    assert kept_counts() == counted(today) and kept_counts()
    alert = KeptAlert.objects.filter(kind=Kind.CONTRIBUTION_OVERDUE).order_by("object_id").first()
    partnership = Partnership.objects.get(pk=alert.object_id)
    transfer_record(
        partnership=partnership, transferred_on=today, amount=Decimal(alert.amount) / 100, reference="COUNT-1"
    )
    project_id = sorted(keys(Kind.MILESTONE_LATE))[0]
    for milestone in Milestone.objects.filter(project_id=project_id, achieved_on=None):
        milestone_achieve(milestone, achieved_on=today, expected_version=milestone.version)
    cancellable = [status for status, targets in AGREEMENT_TRANSITIONS.items() if "cancelled" in targets]
    agreement = (
        Agreement.objects.filter(status__in=cancellable, pk__in=KeptAlert.objects.values("agreement_id"))
        .order_by("pk")
        .last()
    )
    agreement_set_status(agreement, status="cancelled", reason="Doublon", expected_version=agreement.version)
    assert kept_counts() == counted(today)
    assert not any(pk == agreement.pk for pk, _kind, _severity in kept_counts())
    assert verify_kept_alerts(today) == []


def test_verify_finds_a_count_that_differs_and_refresh_repairs_it(today):
    count = KeptAlertCount.objects.order_by("pk").first()
    KeptAlertCount.objects.filter(pk=count.pk).update(count=count.count + 2)
    differences = verify_kept_alerts(today)
    assert [(d.what, d.pk, d.field, d.kept, d.computed) for d in differences] == [
        (
            "agreement",
            count.agreement_id,
            f"alerts {count.kind} {count.severity} (region {count.region_id})",
            count.count + 2,
            count.count,
        )
    ]
    call_command("figures", "--refresh", stdout=StringIO())
    assert verify_kept_alerts(today) == [] and kept_counts() == counted(today)


def test_a_count_kept_under_another_region_is_found_and_repaired(today):
    count = KeptAlertCount.objects.exclude(region_id=None).order_by("pk").first()
    assert count.region_id == Agreement.objects.get(pk=count.agreement_id).region_id
    KeptAlertCount.objects.filter(pk=count.pk).update(region_id=None)
    assert [d.pk for d in verify_kept_alerts(today)] == [count.agreement_id] * 2  # gone here, found there
    call_command("figures", "--refresh", stdout=StringIO())
    assert verify_kept_alerts(today) == []


def whole_counts(day, *, kept: bool = True) -> dict:
    found = AlertList(Agreement.objects.all(), today=day, kept=kept).counts()
    return {key: n for key, n in found.items() if n}


def test_the_whole_portfolios_counts_are_kept_by_region_and_summed_again_where_written(today, monkeypatch):
    assert KeptAlertCount.objects.values("region_id").distinct().count() > 1  # alerts in several regions
    summed = []  # the regions whose counts each reading summed
    set_many = kept_alerts.cache.set_many

    def recording(values, *args, **kwargs):
        summed.append(
            {slot_of(key).split(":")[-1] for key in values if key.startswith("shiraka:alert-counts:")}
        )
        return set_many(values, *args, **kwargs)

    monkeypatch.setattr(kept_alerts.cache, "set_many", recording)
    assert whole_counts(today) == whole_counts(today, kept=False)
    assert len(summed) == 1 and len(summed[0]) > 1  # every region, at once
    assert whole_counts(today) == whole_counts(today, kept=False) and len(summed) == 1  # read
    alert = KeptAlert.objects.filter(kind=Kind.CONTRIBUTION_OVERDUE).exclude(region_id=None).first()
    partnership = Partnership.objects.select_related("agreement").get(pk=alert.object_id)
    transfer_record(
        partnership=partnership, transferred_on=today, amount=Decimal(alert.amount) / 100, reference="RGN-1"
    )
    assert whole_counts(today) == whole_counts(today, kept=False)
    assert summed[1:] == [{str(partnership.agreement.region_id)}]


def test_verify_finds_a_regions_counts_kept_in_the_database_that_the_kept_alerts_do_not_give(today):
    whole_counts(today)
    assert verify_kept_alerts(today) == []
    rows = KeptPart.objects.filter(slot__startswith="shiraka:alert-counts:").order_by("slot")
    row = next(row for row in rows if pickle.loads(row.value))
    counts = pickle.loads(row.value)
    kind, severity, n = counts[0]
    row.value = pickle.dumps([(kind, severity, n + 1), *counts[1:]])
    row.save()
    region = slot_of(row.key).split(":")[-1]
    assert [(d.what, str(d.pk)) for d in verify_kept_alerts(today)] == [("region alert counts", region)]
