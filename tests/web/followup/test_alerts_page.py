"""The alerts page and the API's alert route on generated data: the rows, their order, the counts by
kind and the pages are those of the rules as they were in Python (tests/followup/reference_alerts.py),
and a page costs the same number of queries on a small and a larger portfolio."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from shiraka.accounts.access import followed_agreements
from shiraka.accounts.models import Membership
from shiraka.core.rules import today
from shiraka.demo.synth import synth_generate
from shiraka.followup.alerts import KIND_LABELS, KINDS
from tests import factories as f
from tests.followup import reference_alerts as oracle

pytestmark = pytest.mark.django_db


def visit(client, url: str, **headers) -> tuple:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def rows_in_order(page: str, alerts) -> bool:
    position = 0
    for alert in alerts:
        position = page.find(escape(alert.reason), position)
        if position < 0:
            return False
    return True


def test_the_alerts_page_shows_the_rules_alerts_in_a_fixed_number_of_queries(client, reference):
    synth_generate(agreements=2, seed=41, show_progress=False)
    viewer = f.user_with_role("viewer", Membership.Role.VIEWER)
    client.force_login(viewer)
    f.figures_checked()
    _small_page, small = visit(client, "/fr/alerts/")
    synth_generate(agreements=25, seed=42, show_progress=False)
    f.figures_forgotten()
    f.figures_checked()
    response, large = visit(client, "/fr/alerts/?page=2")
    assert small == large
    old = oracle.compute(followed_agreements(viewer), today=today(), key=oracle.kind_key)
    assert len(old) > 100
    page = response.content.decode()
    with translation.override("fr"):
        assert rows_in_order(page, old[50:100]) and escape(old[100].reason) not in page
        assert escape(old[49].reason) not in page
        assert f"{old[50].url}" in page
    assert f'data-figure="alert-total">{len(old)}<' in page
    for kind in KINDS:
        count = sum(1 for a in old if a.kind == kind)
        with translation.override("fr"):
            label = escape(str(KIND_LABELS[kind]))
        assert f'data-kind="{kind}">{label} <span class="badge text-bg-light">{count}</span>' in page


def test_the_alerts_page_filtered_by_kind_and_region_equals_the_rules(client, reference):
    synth_generate(agreements=20, seed=43, show_progress=False)
    viewer = f.user_with_role("viewer", Membership.Role.VIEWER)
    client.force_login(viewer)
    old = oracle.compute(followed_agreements(viewer), today=today(), key=oracle.kind_key)
    kind = max(KINDS, key=lambda k: sum(1 for a in old if a.kind == k))
    only = [a for a in old if a.kind == kind]
    response, _queries = visit(client, f"/ar/alerts/?kind={kind}&page=1")
    page = response.content.decode()
    with translation.override("ar"):
        assert rows_in_order(page, only[:50])
    assert page.count('data-alert-kind="') == min(50, len(only))
    assert page.count(f'data-alert-kind="{kind}"') == min(50, len(only))
    assert f'data-figure="alert-total">{len(old)}<' in page
    region = next(a for a in old if a.region_id).region_id
    in_region = oracle.compute(
        followed_agreements(viewer).filter(region_id=region)
        | followed_agreements(viewer).filter(province__region_id=region),
        today=today(),
        key=oracle.kind_key,
    )
    page = visit(client, f"/fr/alerts/?region={region}")[0].content.decode()
    assert f'data-figure="alert-total">{len(in_region)}<' in page
    with translation.override("fr"):
        assert rows_in_order(page, in_region[:50])
    for bad in ("page=x", "page=-1", "page=99999999999999999999", "kind=nope", "region=abc", "severity=x"):
        assert client.get(f"/fr/alerts/?{bad}").status_code == 200


def test_the_api_alert_route_pages_and_filters_as_the_rules(client, reference):
    synth_generate(agreements=3, seed=44, show_progress=False)
    viewer = f.member(Membership.Role.VIEWER)
    token = f.api_token(viewer)
    visit(
        client, "/api/v1/alerts?limit=1", HTTP_AUTHORIZATION=f"Bearer {token}"
    )  # the token's first use is noted
    f.figures_forgotten()  # as before the second measure: the counts kept by region computed again
    _body, small = visit(client, "/api/v1/alerts?limit=5", HTTP_AUTHORIZATION=f"Bearer {token}")
    synth_generate(agreements=20, seed=45, show_progress=False)
    f.figures_forgotten()
    old = oracle.compute(followed_agreements(viewer), today=today(), key=oracle.kind_key)
    response, large = visit(client, "/api/v1/alerts?limit=7&offset=7", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert small == large
    body = response.json()
    assert body["count"] == len(old)
    assert [(row["kind"], row["object_id"], row["severity"]) for row in body["items"]] == [
        (a.kind, a.object_id, a.severity) for a in old[7:14]
    ]
    kind = old[-1].kind
    only = [a for a in old if a.kind == kind]
    body = f.api_call(client, "get", f"alerts?kind={kind}&limit=200", token=token).json()
    assert body["count"] == len(only)
    assert [row["object_id"] for row in body["items"]] == [a.object_id for a in only[:200]]
