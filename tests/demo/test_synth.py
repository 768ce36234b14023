from decimal import Decimal

import pytest
from django.db.models import F, Max, Sum

from shiraka.agreements.models import Agreement, Partnership, ScheduledContribution, Transfer
from shiraka.demo.synth import synth_delete, synth_generate
from shiraka.portfolio.selectors import portfolio_summary
from shiraka.projects.models import Milestone, Payment, Project

pytestmark = pytest.mark.django_db


def fingerprint():
    summary = portfolio_summary(Agreement.objects.all())
    return (
        summary.agreements,
        summary.total_amount,
        summary.committed,
        summary.transferred,
        summary.projects,
        summary.paid,
        Milestone.objects.count(),
    )


def test_same_seed_gives_the_same_portfolio(reference):
    synth_generate(agreements=12, seed=3, show_progress=False)
    first = fingerprint()
    synth_delete(3)
    assert Agreement.objects.count() == 0
    synth_generate(agreements=12, seed=3, show_progress=False)
    assert fingerprint() == first
    assert first[0] == 12 and first[4] >= 36


def test_synthetic_data_keeps_the_rules(reference):
    synth_generate(agreements=15, seed=11, show_progress=False)
    over_committed = (
        Agreement.objects.annotate(committed=Sum("partnerships__committed_amount"))
        .filter(committed__gt=F("total_amount"))
        .count()
    )
    assert over_committed == 0
    for partnership in Partnership.objects.exclude(committed_amount=None):
        transferred = Transfer.objects.filter(partnership=partnership).aggregate(t=Sum("amount"))["t"] or 0
        scheduled = (
            ScheduledContribution.objects.filter(partnership=partnership).aggregate(t=Sum("amount"))["t"] or 0
        )
        assert transferred <= partnership.committed_amount
        assert scheduled <= partnership.committed_amount
    assert not Project.objects.filter(physical_progress__gt=100).exists()
    assert not Project.objects.filter(status="in_service", opened_on=None).exists()
    assert not Project.objects.filter(planned_end__lt=F("planned_start")).exists()
    for _contract, paid, amount in (
        Payment.objects.values("contract")
        .annotate(paid=Sum("amount"), amount=Max("contract__amount"))
        .values_list("contract", "paid", "amount")
    ):
        assert paid <= amount
    assert Agreement.history.filter(history_type="+").count() == Agreement.objects.count()
    assert all(isinstance(a.total_amount, Decimal) for a in Agreement.objects.all())


def test_synthetic_transfers_and_payments_count_in_the_figures(reference):
    """Bulk-inserted money rows are standing, not cancelled: the demo's dashboard shows transfers."""
    synth_generate(agreements=10, seed=5, show_progress=False)
    assert Transfer.objects.exists() and Payment.objects.exists()
    assert not Transfer.objects.filter(cancelled_at__isnull=False).exists()
    assert not Payment.objects.filter(cancelled_at__isnull=False).exists()
    summary = portfolio_summary(Agreement.objects.all())
    assert summary.transferred > 0 and summary.paid > 0


def test_fictional_portfolio_is_marked_in_its_data_and_on_every_page(reference, client, settings, tmp_path):
    from django.core.management import call_command

    from shiraka.reporting.fictional import FICTIONAL_AR, FICTIONAL_FR, FICTIONAL_NOTE, fictional_marker

    settings.DATA_DIR = tmp_path
    call_command("synth", "--agreements", "6", "--seed", "77", "--fictional", "--quiet")
    synthetic = Agreement.objects.filter(reference__startswith="SYN77-")
    assert synthetic.count() == 6
    assert all(a.title_fr.startswith(FICTIONAL_FR) and a.title_ar.startswith(FICTIONAL_AR) for a in synthetic)
    assert all(a.source_text == FICTIONAL_NOTE for a in synthetic)
    assert (
        not Project.objects.filter(agreement__in=synthetic)
        .exclude(title_fr__startswith=FICTIONAL_FR)
        .exists()
    )
    # Points for the map, inside Morocco's bounds.
    located = Project.objects.filter(agreement__in=synthetic, latitude__isnull=False)
    assert located.exists() and all(20 < p.latitude < 36 and -18 < p.longitude < -1 for p in located)
    assert fictional_marker().exists()
    for page in ("/fr/", "/ar/portal/", "/fr/projects/"):
        assert "data-fictional" in client.get(page).content.decode(), page
    # Loading it again (make run twice) changes nothing; deleting it takes the banner away.
    call_command("synth", "--agreements", "6", "--seed", "77", "--fictional", "--quiet")
    assert Agreement.objects.filter(reference__startswith="SYN77-").count() == 6
    synth_delete(77)
    assert not fictional_marker().exists()
    assert "data-fictional" not in client.get("/fr/").content.decode()
