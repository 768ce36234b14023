"""Reads through /api/v1/: the same records, filters and figures as the pages, for the same readers."""

from datetime import date
from decimal import Decimal

import pytest

from shiraka.accounts.models import ApiToken, Membership
from shiraka.accounts.services import api_token_revoke
from shiraka.agreements.models import Agreement
from shiraka.portfolio.selectors import portfolio_summary
from shiraka.projects.services import milestone_plan
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(reference):
    """A published agreement in execution with money, and an unpublished one."""
    published = f.agreement_in_province(total="1000000.00", is_published=True)
    paying = f.partner_with_schedule(
        published,
        committed="400000.00",
        due=[(date(2024, 2, 1), "100000.00")],
        transfers=[(date(2024, 2, 10), "60000.00")],
    )
    f.project(published, budget="300000.00")
    hidden = f.agreement_in_province(total="500000.00", is_published=False)
    return published, hidden, paying


def test_anonymous_callers_read_published_agreements_only(client, portfolio):
    published, hidden, _paying = portfolio
    body = f.api_call(client, "get", "agreements").json()
    references = [row["reference"] for row in body["items"]]
    assert references == [published.reference]
    assert body["count"] == 1
    assert f.api_call(client, "get", f"agreements/{hidden.reference}").status_code == 404


def test_a_member_reads_the_whole_portfolio_with_figures_counted_as_the_page_counts_them(client, portfolio):
    published, hidden, _paying = portfolio
    token = f.api_token(f.member(Membership.Role.VIEWER))
    body = f.api_call(client, "get", "agreements?sort=reference", token=token).json()
    assert {row["reference"] for row in body["items"]} == {published.reference, hidden.reference}
    row = next(row for row in body["items"] if row["reference"] == published.reference)
    assert row["figures"]["committed"] == "400000.00"
    assert row["figures"]["due_to_date"] == "100000.00"
    assert row["figures"]["transferred"] == "60000.00"
    assert row["figures"]["arrears"] == "40000.00"
    assert row["version"] == published.version


def test_the_agreement_detail_lists_partners_and_signatories(client, portfolio):
    published, _hidden, paying = portfolio
    body = f.api_call(client, "get", f"agreements/{published.reference}").json()
    assert [p["id"] for p in body["partnerships"]] == [paying.pk]
    assert body["partnerships"][0]["transferred"] == "60000.00"
    assert body["figures"]["total"] == "1000000.00"


def test_the_public_does_not_read_a_transfers_bank_reference_or_note(client, portfolio):
    published, _hidden, paying = portfolio
    transfer = paying.transfers.get()
    transfer.reference, transfer.note = "BANK-REF-77", "note interne"
    transfer.save()
    public = f.api_call(client, "get", f"agreements/{published.reference}/transfers").json()["items"]
    assert public[0]["amount"] == "60000.00"
    assert public[0]["reference"] == "" and public[0]["note"] == ""
    token = f.api_token(f.member(Membership.Role.VIEWER))
    internal = f.api_call(client, "get", f"transfers/{transfer.pk}", token=token).json()
    assert internal["reference"] == "BANK-REF-77"


def test_summary_gives_the_dashboards_figures(client, portfolio):
    published, hidden, _paying = portfolio
    body = f.api_call(client, "get", "summary").json()
    figures = portfolio_summary(Agreement.objects.filter(is_published=True))
    assert body["agreements"] == figures.agreements == 1
    assert Decimal(body["total"]) == figures.total_amount == Decimal("1000000.00")
    assert Decimal(body["arrears"]) == figures.arrears == Decimal("40000.00")
    assert body["projects_by_status"] == {"works": 1}
    token = f.api_token(f.member(Membership.Role.VIEWER))
    assert f.api_call(client, "get", "summary", token=token).json()["agreements"] == 2


def test_summary_of_a_province_gives_investment_per_inhabitant(client, portfolio):
    published, _hidden, _paying = portfolio
    province = published.province
    body = f.api_call(client, "get", f"summary?province={province.pk}").json()
    expected = (Decimal("1000000.00") / province.population_2024).quantize(Decimal("0.01"))
    assert body["population_2024"] == province.population_2024
    assert Decimal(body["investment_per_inhabitant"]) == expected


def test_filters_narrow_the_list_as_on_the_page(client, portfolio):
    published, _hidden, paying = portfolio
    token = f.api_token(f.member(Membership.Role.VIEWER))
    by_partner = f.api_call(client, "get", f"agreements?partner={paying.organisation_id}", token=token).json()
    assert [row["reference"] for row in by_partner["items"]] == [published.reference]
    by_year = f.api_call(client, "get", "agreements?year=2023", token=token).json()
    assert by_year["count"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "agreements?year=10000",
        "agreements?region=99999999999999999999999",
        "agreements?province=abc",
        "agreements?limit=100000",
        "agreements?offset=-1",
        "agreements?sort=;drop",
        "projects?province=1x",
        "projects?category=%00",
        "communes?province=18446744073709551616",
    ],
)
def test_hostile_query_strings_are_refused_with_a_json_422(client, reference, query):
    response = f.api_call(client, "get", query)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["errors"]


def test_nul_and_huge_identifiers_in_paths_are_404_not_errors(client, reference):
    assert f.api_call(client, "get", "agreements/%00").status_code == 404
    assert f.api_call(client, "get", "organisations/99999999999999999999").status_code == 422
    assert f.api_call(client, "get", "projects?q=%00abc").status_code == 200
    assert f.api_call(client, "get", "agreements?q=" + "x" * 10_000).status_code == 422


def test_errors_speak_the_callers_language(client, reference):
    arabic = f.api_call(client, "get", "agreements/NOPE", language="ar").json()
    french = f.api_call(client, "get", "agreements/NOPE", language="fr").json()
    assert arabic["code"] == french["code"] == "not_found"
    assert arabic["detail"] != french["detail"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic["detail"])


def test_a_revoked_or_unknown_token_is_refused_with_401(client, portfolio):
    user = f.member(Membership.Role.VIEWER)
    token = f.api_token(user)
    assert f.api_call(client, "get", "agreements", token=token).status_code == 200
    api_token_revoke(ApiToken.objects.get(user=user))
    response = f.api_call(client, "get", "agreements", token=token)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert f.api_call(client, "get", "agreements", token="shk_made-up").status_code == 401


def test_tokens_are_stored_hashed(reference):
    user = f.member(Membership.Role.VIEWER)
    clear = f.api_token(user)
    stored = ApiToken.objects.get(user=user)
    assert clear not in (stored.digest, stored.prefix) and len(stored.digest) == 64
    assert clear.startswith(stored.prefix)


def test_alerts_are_for_members_only(client, portfolio):
    assert f.api_call(client, "get", "alerts").json()["count"] == 0
    token = f.api_token(f.member(Membership.Role.VIEWER))
    body = f.api_call(client, "get", "alerts", token=token).json()
    kinds = {row["kind"] for row in body["items"]}
    assert "partner_arrears" in kinds or body["count"] >= 1


def test_committees_are_internal(client, portfolio):
    published, _hidden, _paying = portfolio
    committee = f.committee([published])
    assert f.api_call(client, "get", f"committees/{committee.pk}").status_code == 404
    token = f.api_token(f.member(Membership.Role.VIEWER))
    body = f.api_call(client, "get", f"committees/{committee.pk}", token=token).json()
    assert body["agreements"] == [published.reference]


def test_the_schema_and_the_documentation_are_served_from_the_app(client, reference):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.1")
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower() and "/static/" in docs


def test_without_accept_language_errors_are_in_arabic(client, reference):
    body = client.get("/api/v1/agreements/NOPE").json()
    assert any("\u0600" <= ch <= "\u06ff" for ch in body["detail"])


def count_queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.figures_checked()
    with CaptureQueriesContext(connection) as captured:
        assert f.api_call(client, "get", path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["agreements", "projects", "summary"])
def test_a_page_of_the_api_costs_the_same_queries_whatever_the_data_size(client, reference, path):
    def grow(n):
        for _ in range(n):
            agreement = f.agreement_in_province(is_published=True)
            f.partner_with_schedule(agreement, due=[(date(2024, 2, 1), "1000.00")])
            f.project(agreement)

    grow(2)
    small = count_queries(client, path)
    grow(12)
    assert count_queries(client, path) == small <= 8


def test_project_children_have_their_lists_and_details(client, portfolio):
    published, _hidden, _paying = portfolio
    project = published.projects.get()
    from shiraka.projects import services as project_services

    milestone = project_services.milestone_plan(project=project, kind="studies", planned_on=date(2024, 3, 1))
    update = project_services.progress_record(
        project=project, reported_on=date(2024, 5, 1), physical_progress=20
    )
    listed = f.api_call(client, "get", f"projects/{project.reference}/milestones").json()
    assert [row["id"] for row in listed["items"]] == [milestone.pk]
    assert f.api_call(client, "get", f"milestones/{milestone.pk}").json()["kind"] == "studies"
    assert f.api_call(client, "get", f"progress/{update.pk}").json()["physical_progress"] == 20
    assert f.api_call(client, "get", f"projects/{project.reference}/contracts").json()["count"] == 0


def test_late_projects_are_listed_and_counted_for_what_the_caller_may_see(client, portfolio):
    published, hidden, _paying = portfolio
    shown = f.project(published, reference="API-LATE-SHOWN")
    kept_back = f.project(hidden, reference="API-LATE-HIDDEN")
    on_time = f.project(published, reference="API-ON-TIME")
    for project, planned in ((shown, date(2024, 1, 10)), (kept_back, date(2024, 1, 10)), (on_time, None)):
        milestone_plan(project=project, kind="tender", planned_on=planned or date(2999, 1, 1))
    anonymous = f.api_call(client, "get", "projects?late=true").json()
    assert [row["reference"] for row in anonymous["items"]] == ["API-LATE-SHOWN"]
    assert anonymous["count"] == 1
    token = f.api_token(f.member(Membership.Role.VIEWER))
    member = f.api_call(client, "get", "projects?late=true", token=token).json()
    assert {row["reference"] for row in member["items"]} == {"API-LATE-SHOWN", "API-LATE-HIDDEN"}
    assert member["count"] == 2
