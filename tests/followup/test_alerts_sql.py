"""The alerts computed in SQL (one UNION ALL, ordered, filtered, counted and paginated by the database)
give exactly what the rules gave when they built one Python `Alert` per row and sorted them in Python
(tests/followup/reference_alerts.py keeps that implementation as the oracle), on generated data, and
a page of them costs a fixed number of queries whatever the data size."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from shiraka.accounts.access import followed_agreements, followed_scope_key
from shiraka.accounts.models import Membership
from shiraka.agreements.models import Agreement, Partnership
from shiraka.core import kept
from shiraka.demo.synth import synth_generate
from shiraka.followup import services as followup
from shiraka.followup.alerts import KINDS, AlertList, Order, Severity
from shiraka.followup.kept_alerts import ensure_kept_alerts
from shiraka.followup.models import Decision
from shiraka.followup.selectors import agreements_in_territory, alert_list, sorted_alerts
from shiraka.portfolio.figures import ensure_current, refresh_figures
from shiraka.projects.models import Project
from shiraka.territory.models import Province, Region
from tests.factories import committee, user_with_role

from . import reference_alerts as oracle

pytestmark = pytest.mark.django_db

DAYS = (date(2025, 6, 30), date(2026, 1, 1), date(2027, 3, 15))


def everything(alert) -> tuple:
    """What a reader can see of an alert, in both languages: a difference anywhere fails."""
    seen = [
        alert.kind, alert.severity, alert.object_type, alert.object_id, alert.label_ar, alert.label_fr,
        alert.agreement_id, alert.agreement_reference, alert.region_id, alert.province_id, alert.since,
        alert.amount, sorted(alert.figures.items()), alert.link_name, alert.link_arg, alert.link_fragment,
    ]  # fmt: skip
    for language in ("ar", "fr"):
        with translation.override(language):
            seen += [alert.reason, alert.url, alert.label, alert.kind_label, alert.severity_label]
    return tuple(seen)


def generated(seed: int, agreements: int = 12):
    """Generated agreements plus what the services refuse but imports can leave (commitments and budgets
    above the total), and decisions on an agreement, on a project and on a committee only."""
    synth_generate(agreements=agreements, seed=seed, show_progress=False)
    counted = Agreement.objects.exclude(status__in=["draft", "cancelled"]).order_by("pk")
    for number, agreement in enumerate(counted[:6]):
        partnership = Partnership.objects.filter(agreement=agreement).order_by("pk").first()
        if partnership and agreement.total_amount and number % 2:
            Partnership.objects.filter(pk=partnership.pk).update(
                committed_amount=agreement.total_amount + Decimal("1000.00")
            )
        first = Project.objects.filter(agreement=agreement).order_by("pk").first()
        if first and agreement.total_amount and not number % 2:
            Project.objects.filter(pk=first.pk).update(budget=agreement.total_amount + Decimal("5.00"))
    # An import refreshes the kept figures of what it wrote; an update does not.
    refresh_figures(list(counted.values_list("pk", flat=True)))
    a, b = counted[0], counted[1]
    c = committee([a, b])
    on_project = Project.objects.filter(agreement=b).order_by("pk").first()
    for days, extra in (
        (5, {"agreement": a}),
        (45, {"project": on_project}),
        (200, {}),
        (400, {"agreement": b}),
    ):
        if "project" in extra and extra["project"] is None:
            continue
        followup.decision_create(
            committee=c,
            text=f"Décision  à\n{days} jours " + "x" * days,
            due_on=DAYS[1] - timedelta(days=days),
            **extra,
        )
    return counted


def scopes() -> list[dict]:
    """A national reader's, a region's, a province's and a provincial secretariat's alerts."""
    viewer = user_with_role("viewer", Membership.Role.VIEWER)
    region = Region.objects.filter(agreements__isnull=False).order_by("pk").first()
    province = Province.objects.filter(agreements__isnull=False).order_by("pk").first()
    secretariat = user_with_role("sec", Membership.Role.SECRETARIAT, province=province)
    return [
        {"agreements": followed_agreements(viewer)},
        {"agreements": Agreement.objects.all(), "region": region},
        {"agreements": Agreement.objects.all(), "province": province},
        {"agreements": followed_agreements(secretariat)},
    ]


def expected(today, *, agreements, region=None, province=None, kinds=None, key=oracle.severity_key):
    scoped = agreements_in_territory(agreements, region=region, province=province)
    return oracle.compute(scoped, today=today, kinds=kinds, key=key)


@pytest.mark.parametrize("seed", [3, 11])
def test_every_alert_and_its_order_equal_the_python_rules(reference, seed):
    generated(seed)
    readers = scopes()
    for today in DAYS:
        for scope in readers:
            old = expected(today, **scope)
            new = alert_list(today=today, **scope)
            assert [everything(a) for a in new] == [everything(a) for a in old]
        old = expected(
            today, agreements=Agreement.objects.all(), kinds={"decision_overdue", "milestone_late"}
        )
        new = alert_list(today=today, kinds={"decision_overdue", "milestone_late"})
        assert [everything(a) for a in new] == [everything(a) for a in old]
    assert {a.kind for a in expected(DAYS[1], agreements=Agreement.objects.all())} == set(KINDS)


def test_pages_counts_and_filters_equal_the_python_rules(reference):
    generated(5, agreements=20)
    today = DAYS[1]
    assert len(expected(today, agreements=Agreement.objects.all())) > 14
    for scope in [{"agreements": Agreement.objects.all()}, *scopes()]:
        old = expected(today, key=oracle.kind_key, **scope)
        territory = {k: v for k, v in scope.items() if k != "agreements"}
        scoped = agreements_in_territory(scope["agreements"], **territory)
        found = AlertList(scoped, today=today, order=Order.BY_KIND)
        page = found.page(2, 7)
        shown = old[(page.number - 1) * 7 : page.number * 7]
        assert [everything(a) for a in page.object_list] == [everything(a) for a in shown]
        assert page.number == (2 if len(old) > 7 else 1)
        assert found.count() == len(old) == page.paginator.count
        counts = {(k, s): n for (k, s), n in found.counts().items() if n}
        assert counts == {
            (k, s): n
            for k in KINDS
            for s in (Severity.HIGH, Severity.MEDIUM, Severity.LOW)
            if (n := sum(1 for a in old if a.kind == k and a.severity == s))
        }
        for kind in KINDS:
            only = [a for a in old if a.kind == kind]
            narrowed = AlertList(scoped, today=today, kind=kind)
            assert [everything(a) for a in narrowed.page(1, 5).object_list] == [
                everything(a) for a in only[:5]
            ]
            assert narrowed.count() == len(only) and narrowed.total() == len(old)
        high = [a for a in old if a.severity == Severity.HIGH]
        by_severity = AlertList(scoped, today=today, severity=Severity.HIGH)
        assert [everything(a) for a in by_severity] == [everything(a) for a in high]


def test_a_page_past_the_end_shows_the_last_one_and_bad_numbers_the_first(reference):
    generated(7)
    today = DAYS[1]
    old = expected(today, agreements=Agreement.objects.all(), key=oracle.kind_key)
    assert len(old) > 10
    last = AlertList(Agreement.objects.all(), today=today).page(999, 10)
    assert [a.object_id for a in last.object_list] == [a.object_id for a in old[(len(old) - 1) // 10 * 10 :]]
    for bad in ("x", "-3", "0", None, "1e9"):
        first = AlertList(Agreement.objects.all(), today=today).page(bad, 10)
        assert first.number in (1, last.number)
        assert len(first.object_list) == min(10, len(old)) or first.number == last.number


def test_the_memoised_page_list_equals_the_python_rules(reference, settings):
    generated(13)
    viewer = user_with_role("viewer2", Membership.Role.VIEWER)
    found = sorted_alerts(followed_agreements(viewer), scope=followed_scope_key(viewer))
    from shiraka.core.rules import today

    old = expected(today(), agreements=followed_agreements(viewer), key=oracle.kind_key)
    assert [everything(a) for a in found] == [everything(a) for a in old]
    assert [everything(a) for a in found[3:9]] == [everything(a) for a in old[3:9]]


def page_queries(agreements, number: int) -> tuple[int, int]:
    ensure_current(DAYS[1])
    ensure_kept_alerts(DAYS[1])
    with CaptureQueriesContext(connection) as context:
        found = AlertList(agreements, today=DAYS[1])
        page = found.page(number, 10)
        assert page.number == number
        for alert in page.object_list:  # the sentences and links do not query either
            alert.reason, alert.url  # noqa: B018
        found.counts()
    # Reads only: PostgreSQL adds a savepoint and a SET LOCAL (no JIT) around the one query.
    reads = [q for q in context.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    return len(reads), found.count()


def test_a_page_of_alerts_costs_one_query_whatever_the_data(reference):
    synth_generate(agreements=3, seed=31, show_progress=False)
    kept.versions([])  # the database's versions started: once per database, not per page
    small, small_count = page_queries(Agreement.objects.all(), 1)
    synth_generate(agreements=30, seed=32, show_progress=False)
    large, large_count = page_queries(Agreement.objects.all(), 2)
    assert large_count > 20 and large_count > small_count > 0
    # The day the kept alerts are for, the page; the counts: the regions, their versions, the counts
    # kept in the database (none yet: summed), their kept counts, the overdue decisions.
    assert small == large == 7


def test_no_scope_no_alert_and_no_query(reference):
    generated(17, agreements=4)
    ensure_current(DAYS[1])
    with CaptureQueriesContext(connection) as context:
        found = AlertList(Agreement.objects.none(), today=DAYS[1])
        assert found.count() == 0 and list(found) == [] and found.page(1, 50).object_list == []
    assert len(context.captured_queries) == 0
    assert Decision.objects.exists()


def test_the_reports_kinds_by_frequency_equal_a_counter_over_the_list(reference):
    from collections import Counter

    generated(19)
    for today in DAYS:
        old = expected(today, agreements=Agreement.objects.all())
        found = AlertList(Agreement.objects.all(), today=today, order=Order.BY_SEVERITY)
        with translation.override("fr"):
            assert found.most_common_kinds() == Counter(a.kind_label for a in old).most_common()
        assert [everything(a) for a in found.fetch(0, 30)] == [everything(a) for a in old[:30]]
        assert found.total() == len(old)
