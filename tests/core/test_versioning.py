"""Every write under the version a user read goes through one claim (core.services.claim_version), so a
record someone else removed meanwhile is refused the same way on every side of the portfolio: as
already removed, with nothing written, never as a crash or as a conflict with a record that is gone."""

from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from shiraka.agreements import services as agreements
from shiraka.agreements.models import Partnership, ScheduledContribution
from shiraka.core.services import VersionConflict, versioned_update
from shiraka.followup import services as followup
from shiraka.followup.models import Decision
from tests import factories
from tests.factories import error_codes as codes

pytestmark = pytest.mark.django_db


def refused_as_removed(write) -> None:
    with pytest.raises(ValidationError) as refused:
        write()
    assert not isinstance(refused.value, VersionConflict)
    assert codes(refused.value, NON_FIELD_ERRORS) == ["already_removed"]


def test_a_schedule_line_removed_twice_is_refused_as_already_removed():
    partnership = factories.partner_with_schedule(factories.agreement(), due=[(date(2024, 6, 30), "1000.00")])
    line = partnership.schedule.get()
    stale = ScheduledContribution.objects.get(pk=line.pk)
    agreements.contribution_remove(line, expected_version=line.version)
    refused_as_removed(lambda: agreements.contribution_remove(stale, expected_version=stale.version))


def test_a_decision_removed_meanwhile_is_refused_as_already_removed():
    case = factories.followup_case()
    stale = Decision.objects.get(pk=case.decision.pk)
    followup.decision_remove(case.decision, expected_version=case.decision.version)
    refused_as_removed(lambda: followup.decision_remove(stale, expected_version=stale.version))
    assert not Decision.objects.filter(pk=stale.pk).exists()


def test_an_edit_of_a_record_removed_meanwhile_is_refused_and_writes_nothing():
    partnership = factories.partnership(factories.agreement())
    stale = Partnership.objects.get(pk=partnership.pk)
    partnership.delete()
    history = Partnership.history.count()
    refused_as_removed(
        lambda: versioned_update(stale, expected_version=stale.version, obligations="Construire le centre")
    )
    assert Partnership.history.count() == history


def test_an_edit_after_someone_elses_names_what_they_changed():
    partnership = factories.partnership(factories.agreement())
    stale = Partnership.objects.get(pk=partnership.pk)
    versioned_update(partnership, expected_version=partnership.version, obligations="Équiper le centre")
    with pytest.raises(VersionConflict) as conflict:
        versioned_update(stale, expected_version=stale.version, obligations="Construire le centre")
    assert conflict.value.changed == {"obligations": ("Équiper le centre", "Construire le centre")}
    assert Partnership.objects.get(pk=partnership.pk).obligations == "Équiper le centre"
