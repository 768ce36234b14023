"""The map and the charts in a real browser: drawn without a script error, in the page's direction;
screenshots kept in test-artifacts/ to be looked at."""

from decimal import Decimal

import pytest

from tests import factories
from tests.factories import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_map_draws_every_province_and_opens_one(browser, live_server, reference, language):
    agreement = factories.agreement_in_province(is_published=True)
    factories.partner_with_schedule(agreement, committed="500000.00")
    factories.project(agreement, latitude=Decimal("30.35"), longitude=Decimal("-9.50"))
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    for width in (1366, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/{language}/map/?measure=committed")
        page.wait_for_selector("path.leaflet-interactive")
        assert page.locator("path.leaflet-interactive").count() >= 75
        assert page.locator("[data-map]").get_attribute("dir") == "ltr"
        assert page.locator(".map-legend").inner_text().strip()
        assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"map-{language}-{width}.png"), full_page=True)
        assert errors == []
        context.close()
    page = browser.new_page()
    page.goto(f"{live_server.url}/{language}/equity/")
    page.wait_for_selector("path.leaflet-interactive")
    page.screenshot(path=str(ARTIFACTS / f"equity-{language}.png"), full_page=True)


def test_dashboard_charts_are_drawn_and_mirrored_in_arabic(browser, live_server, seeds):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/ar/")
    page.wait_for_selector("[data-chart] svg")
    assert page.locator("[data-chart] svg").count() >= 4
    assert page.locator("[data-chart]").first.get_attribute("dir") == "ltr"
    # Mirrored by hand: the status chart's first category (planned) is drawn at the right end.
    box = page.locator("[data-chart='chart-statuses']").bounding_box()
    first_label = page.locator("[data-chart='chart-statuses'] text", has_text="مبرمج").first.bounding_box()
    assert first_label["x"] > box["x"] + box["width"] / 2
    page.screenshot(path=str(ARTIFACTS / "dashboard-charts-ar.png"), full_page=True)
    assert errors == []
