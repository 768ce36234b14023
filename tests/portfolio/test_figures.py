"""The figures kept per agreement and per partnership: exact after every kind of write, true for the
day they are read, proven by `shiraka figures --verify` on generated data, repaired by --refresh."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement
from shiraka.core.rules import today as local_today
from shiraka.portfolio.figures import ensure_current, refresh_figures, verify_figures
from shiraka.portfolio.models import AgreementFigures, PartnershipFigures
from shiraka.portfolio.selectors import portfolio_summary
from shiraka.projects import services as projects
from tests import factories

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


def kept(agreement) -> AgreementFigures:
    return AgreementFigures.objects.get(pk=agreement.pk)


def test_every_write_keeps_the_agreement_figures_exact(reference):
    agreement = factories.agreement(total="1000000.00", signed_on=date(2024, 1, 1))
    share = agreements.partnership_commit(
        agreement=agreement, organisation=factories.organisation(), committed_amount="600000.00"
    )
    assert (kept(agreement).committed, kept(agreement).unallocated) == (
        Decimal("600000.00"),
        Decimal("400000.00"),
    )

    agreements.contribution_schedule(partnership=share, due_on=date(2024, 6, 30), amount="250000")
    transfer = agreements.transfer_record(partnership=share, transferred_on=date(2024, 7, 1), amount="100000")
    figures = kept(agreement)
    assert (figures.due, figures.transferred, figures.arrears) == (
        Decimal("250000.00"),
        Decimal("100000.00"),
        Decimal("150000.00"),
    )
    agreements.transfer_cancel(transfer, reason="saisie en double", expected_version=transfer.version)
    assert (kept(agreement).transferred, kept(agreement).arrears) == (ZERO, Decimal("250000.00"))

    project = projects.project_create(
        agreement=agreement, reference="P-KEPT-1", title_fr="CSU", category="health_centre", budget="300000"
    )
    contract = projects.contract_sign(
        project=project, kind="works", amount="200000", contractor_name="SARL", signed_on=date(2024, 6, 1)
    )
    payment = projects.payment_record(contract=contract, paid_on=date(2024, 9, 1), amount="75000.50")
    assert (kept(agreement).projects, kept(agreement).budget, kept(agreement).paid) == (
        1,
        Decimal("300000.00"),
        Decimal("75000.50"),
    )
    projects.payment_cancel(payment, reason="erreur", expected_version=payment.version)
    assert kept(agreement).paid == ZERO
    assert verify_figures() == []


def test_a_money_write_keeps_the_project_figures_without_computing_them(reference, monkeypatch):
    from shiraka.portfolio import figures as kept_figures
    from shiraka.portfolio.models import ProjectGroup, QuarterProgress

    agreement = factories.agreement(total="900000.00", signed_on=date(2024, 1, 1))
    project = projects.project_create(
        agreement=agreement, reference="P-MONEY-1", title_fr="CSU", category="health_centre", budget="300000"
    )
    projects.progress_record(project=project, reported_on=date(2024, 5, 2), physical_progress=40)
    share = agreements.partnership_commit(
        agreement=agreement, organisation=factories.organisation(), committed_amount="500000.00"
    )
    groups = list(ProjectGroup.objects.filter(agreement=agreement).values_list("pk", "key", "projects"))
    quarters = list(QuarterProgress.objects.filter(agreement=agreement).values_list("pk", "updates"))
    assert len(groups) == 2 and quarters[0][1] == 1
    asked = []
    compute = kept_figures.computed_figures
    monkeypatch.setattr(
        kept_figures,
        "computed_figures",
        lambda ids, today, **kw: asked.append(kw) or compute(ids, today, **kw),
    )
    agreements.contribution_schedule(partnership=share, due_on=date(2024, 6, 30), amount="200000")
    transfer = agreements.transfer_record(partnership=share, transferred_on=date(2024, 7, 1), amount="80000")
    agreements.transfer_cancel(transfer, reason="doublon", expected_version=transfer.version)
    agreements.transfer_record(partnership=share, transferred_on=date(2024, 7, 2), amount="50000")
    assert asked == [{"projects": False}] * 4
    figures = kept(agreement)
    assert (figures.due, figures.transferred, figures.arrears) == (
        Decimal("200000.00"),
        Decimal("50000.00"),
        Decimal("150000.00"),
    )
    assert (figures.projects, figures.budget, figures.committed) == (
        1,
        Decimal("300000.00"),
        Decimal("500000.00"),
    )
    assert figures.progress_plain_sum == 40
    # The project rows were left as they were, not deleted and written again.
    assert (
        list(ProjectGroup.objects.filter(agreement=agreement).values_list("pk", "key", "projects")) == groups
    )
    assert list(QuarterProgress.objects.filter(agreement=agreement).values_list("pk", "updates")) == quarters
    # A project write computes everything.
    projects.progress_record(project=project, reported_on=date(2024, 8, 2), physical_progress=60)
    assert asked[-1] == {"projects": True}
    assert kept(agreement).progress_plain_sum == 60
    assert verify_figures() == []


def test_a_signed_amendment_changes_the_figures_of_the_agreement_it_amends(reference):
    agreement = factories.agreement(total="1000000.00", signed_on=date(2024, 1, 1))
    partner = factories.organisation()
    agreements.partnership_commit(agreement=agreement, organisation=partner, committed_amount="400000.00")
    amendment = factories.agreement(
        total="1500000.00", kind=Agreement.Kind.AMENDMENT, parent=agreement, signed_on=date(2024, 5, 1)
    )
    agreements.partnership_commit(agreement=amendment, organisation=partner, committed_amount="900000.00")
    figures = kept(agreement)
    assert (figures.total, figures.committed, figures.unallocated) == (
        Decimal("1500000.00"),
        Decimal("900000.00"),
        Decimal("600000.00"),
    )
    assert verify_figures() == []


def test_removing_an_agreement_and_its_partners_leaves_no_figures_behind(reference):
    agreement = factories.agreement(total="1000.00", status=Agreement.Status.DRAFT)
    factories.partnership(agreement, committed="400.00")
    agreement.delete()
    assert not AgreementFigures.objects.exists() and not PartnershipFigures.objects.exists()


def test_deleting_a_partner_with_its_schedule_leaves_exact_figures(reference):
    """Outside the services (the admin, a repair): the schedule lines go first, one by one."""
    agreement = factories.agreement(total="1000.00", signed_on=date(2024, 1, 1))
    kept_partner = factories.partner_with_schedule(
        agreement, committed="300.00", due=[(date(2024, 6, 1), "100.00")]
    )
    removed = factories.partner_with_schedule(
        agreement, committed="400.00", due=[(date(2024, 6, 1), "150.00")]
    )
    removed.delete()
    assert list(PartnershipFigures.objects.values_list("pk", flat=True)) == [kept_partner.pk]
    assert (kept(agreement).committed, kept(agreement).due) == (Decimal("300.00"), Decimal("100.00"))
    assert verify_figures() == []


def test_a_contribution_falling_due_counts_from_its_day(reference):
    today = local_today()
    agreement = factories.agreement(total="1000.00", signed_on=today - timedelta(days=30))
    factories.partner_with_schedule(
        agreement, committed="600.00", due=[(today + timedelta(days=3), "200.00")]
    )
    everything = Agreement.objects.filter(pk=agreement.pk)
    assert portfolio_summary(everything, today=today).arrears == Decimal("0.00")
    later = today + timedelta(days=3)
    assert portfolio_summary(everything, today=later).arrears == Decimal("200.00")
    assert kept(agreement).due_as_of == later and kept(agreement).next_due_on is None
    # Back to an earlier day (a report as of a past date): computed again for that day.
    assert portfolio_summary(everything, today=today).arrears == Decimal("0.00")


def test_agreements_written_without_figures_get_them_before_any_sum(reference):
    agreement = factories.agreement(total="1000.00", signed_on=date(2024, 1, 1))
    factories.partnership(agreement, committed="400.00")
    AgreementFigures.objects.all().delete()
    PartnershipFigures.objects.all().delete()
    assert ensure_current() == 1
    assert kept(agreement).committed == Decimal("400.00")


def test_verify_proves_generated_data_and_refresh_repairs_it(reference):
    call_command("synth", agreements=12, seed=5, quiet=True)
    call_command("figures", refresh=True, stdout=StringIO())
    out = StringIO()
    call_command("figures", verify=True, stdout=out)
    assert "exact" in out.getvalue()

    figures = AgreementFigures.objects.exclude(transferred=0).first()
    AgreementFigures.objects.filter(pk=figures.pk).update(transferred=figures.transferred + Decimal("0.01"))
    errors = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("figures", verify=True, stdout=StringIO(), stderr=errors)
    assert refused.value.returncode == 1
    assert f"agreement {figures.pk}: transferred kept" in errors.getvalue()

    call_command("figures", refresh=True, stdout=StringIO())
    assert verify_figures() == []


def test_figures_command_says_what_to_do_without_an_action():
    with pytest.raises(CommandError) as refused:
        call_command("figures")
    assert refused.value.returncode == 2


def test_refresh_of_everything_counts_every_agreement(reference):
    factories.agreement(total="10.00")
    factories.agreement(total="20.00")
    assert refresh_figures() == 2
