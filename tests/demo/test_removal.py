"""`synth --replace` removes a synthetic portfolio by SQL: every synthetic row and its history go,
real records stay as they were, and the kept figures and alerts stay exact."""

from datetime import date
from decimal import Decimal

import pytest

from shiraka.agreements.models import Agreement, Partnership, Transfer
from shiraka.agreements.services import transfer_record
from shiraka.demo.synth import synth_delete, synth_generate
from shiraka.followup.models import Committee, Decision, Meeting
from shiraka.followup.services import decision_create
from shiraka.portfolio.figures import verify_figures
from shiraka.projects.models import Milestone, Payment, Project
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_synthetic_portfolio_goes_with_its_history_and_real_records_stay(reference):
    real = factories.agreement_in_province(reference="REAL-1")
    partnership = factories.partnership(real)
    transfer_record(partnership=partnership, transferred_on=date(2024, 3, 1), amount=Decimal("1000.00"))
    factories.project(real)
    synth_generate(agreements=6, seed=5, show_progress=False)
    synthetic = Agreement.objects.filter(reference__startswith="SYN5-")
    # A real committee follows a synthetic agreement and decided something on it.
    committee = factories.committee([real, synthetic.first()], name="Comité réel")
    decision = decision_create(committee=committee, text="Relancer le chantier", agreement=synthetic.first())
    assert Payment.objects.exists() and Meeting.objects.exists()
    real_counts = (
        Project.objects.filter(agreement=real).count(),
        Transfer.objects.filter(partnership=partnership).count(),
    )

    assert synth_delete(5) == 6

    assert not synthetic.exists()
    assert not Agreement.history.filter(reference__startswith="SYN5-").exists()
    assert not Project.history.filter(reference__startswith="SYN5-").exists()
    assert not Milestone.objects.exclude(project__agreement=real).exists()
    assert not Payment.objects.exists()  # the real project has none
    assert not Committee.objects.filter(name_fr__startswith="[SYN5-").exists()
    assert not Meeting.objects.exists()
    # What is real is untouched, history included; the decision stays, without its agreement.
    assert (
        Project.objects.filter(agreement=real).count(),
        Transfer.objects.filter(partnership=partnership).count(),
    ) == real_counts
    assert Agreement.history.filter(reference="REAL-1").exists()
    assert Partnership.objects.filter(agreement=real).count() == 1
    decision.refresh_from_db()
    assert decision.agreement is None and list(committee.agreements.all()) == [real]
    assert Decision.objects.count() == 1
    # The kept figures and alerts match the rows left (alerts are computed again at the next read).
    assert verify_figures() == []


def test_nothing_else_is_removed_when_the_seed_is_absent(reference):
    synth_generate(agreements=3, seed=6, show_progress=False)
    before = Agreement.objects.count(), Project.objects.count(), Agreement.history.count()
    assert synth_delete(7) == 0
    assert (Agreement.objects.count(), Project.objects.count(), Agreement.history.count()) == before
