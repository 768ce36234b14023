"""Concurrent writers on real connections: the rules hold when two people act at once."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement, Transfer
from shiraka.core.services import VersionConflict
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*functions):
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait()
            outcomes[index] = function()
        except Exception as error:  # the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_simultaneous_transfers_cannot_together_exceed_what_is_owed():
    partnership = factories.partnership(committed="1000.00")

    def transfer():
        return agreements.transfer_record(
            partnership=partnership, transferred_on=date(2025, 1, 2), amount="600"
        )

    outcomes = run_together(transfer, transfer)
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1, outcomes
    assert Transfer.objects.filter(partnership=partnership).count() == 1
    assert agreements.partnership_transferred(partnership) == Decimal("600.00")


def test_two_simultaneous_edits_of_one_agreement_never_silently_overwrite():
    agreement = factories.agreement()
    version = agreement.version

    def edit(title):
        copy = Agreement.objects.get(pk=agreement.pk)
        return lambda: agreements.agreement_update(copy, expected_version=version, title_fr=title)

    outcomes = run_together(edit("Titre A"), edit("Titre B"))
    conflicts = [o for o in outcomes if isinstance(o, VersionConflict)]
    assert len(conflicts) == 1, outcomes
    saved = next(o for o in outcomes if isinstance(o, Agreement))
    assert Agreement.objects.get(pk=agreement.pk).title_fr == saved.title_fr
