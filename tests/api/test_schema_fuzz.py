"""schemathesis against the API's own OpenAPI schema, in process: for every operation, positive and
negative cases with a fixed seed and every check on; no answer ≥ 500 and none outside the schema, as a
visitor and with an administrator's token (whose writes go through the services like any other).

The cases are driven by Hypothesis directly (schemathesis's pytest plugin does not follow pytest 9)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from shiraka.accounts.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db
EXAMPLES = 8
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


@pytest.fixture
def in_process():
    """As Django's test client does: a request must not close the test's database connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(reference, in_process):
    # A small world for the positive cases to find: a published agreement with a partner and a project.
    agreement = f.agreement_in_province(is_published=True, reference="FUZZ-1")
    f.partner_with_schedule(agreement)
    f.project(agreement)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    schema.config.checks.update(included_check_names=["all"])
    # A schema-valid body may still break a rule of the domain (a specific agreement names its framework,
    # a transfer is no more than what is owed): that refusal is a 422 with the field and the message.
    accepted = schema.config.checks.positive_data_acceptance
    accepted.expected_statuses = [*accepted.expected_statuses, "422"]
    return schema


def fuzz(schema, headers: dict) -> int:
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                nonlocal calls
                response = case.call_and_validate(headers=headers)
                assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
                calls += 1

            try:
                run()
            except Unsatisfiable:
                # No negative case exists for some operations (a free-text path parameter).
                continue
    return calls


def test_the_api_answers_within_its_schema_for_a_visitor(api_schema):
    assert fuzz(api_schema, {"Accept-Language": "ar"}) > 100


def test_the_api_answers_within_its_schema_for_an_administrator(api_schema):
    token = f.api_token(f.member(Membership.Role.ADMINISTRATOR, username="fuzz-admin"))
    assert fuzz(api_schema, {"Authorization": f"Bearer {token}", "Accept-Language": "fr"}) > 100
