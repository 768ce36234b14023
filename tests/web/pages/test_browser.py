"""The pages in a real browser (Playwright driving Debian's Chromium), with screenshots kept in
test-artifacts/ to be looked at."""

import pytest

from tests import factories
from tests.factories import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, language: str):
    page.goto(f"{live_server.url}/{language}/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_dashboard_and_agreement_pages_render_in_the_browser(page, live_server, seeds, language):
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, language)
    page.goto(f"{live_server.url}/{language}/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    total = page.locator("[data-figure=total]").inner_text()
    assert total.replace("\u00a0", " ") == ("627,50 مليون درهم" if language == "ar" else "627,50 M DH")
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{language}.png"), full_page=True)
    page.click("text=GON-2023-SANTE-443")
    assert page.locator("[data-figure=agreement-total]").inner_text().replace("\u00a0", " ") == (
        "443.000.000,00 درهم" if language == "ar" else "443 000 000,00 DH"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"page overflows horizontally ({width}px)"
    page.screenshot(path=str(ARTIFACTS / f"agreement-{language}.png"), full_page=True)


def test_phone_width_does_not_overflow(browser, live_server, seeds):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/ar/agreements/GON-2023-SANTE-443/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "agreement-ar-phone.png"), full_page=True)
    context.close()


MAIN_PAGES = [
    ("agreements", "/agreements/"),
    ("agreements-search", "/agreements/?q=%D8%A7%D9%86%D8%B2%D9%83%D8%A7%D9%86"),
    ("projects", "/projects/"),
    ("project", "/projects/GON-2023-SANTE-443-P11/"),
    ("region", "/regions/10/"),
    ("province", "/provinces/09.273/"),
    ("committees", "/committees/"),
    ("alerts", "/alerts/"),
]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_main_pages_render_without_overflow(page, live_server, seeds, language):
    ARTIFACTS.mkdir(exist_ok=True)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, live_server, language)
    for name, path in MAIN_PAGES:
        page.goto(f"{live_server.url}/{language}{path}")
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr"), path
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366, path
        page.screenshot(path=str(ARTIFACTS / f"{name}-{language}.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_language_switcher_keeps_the_page(page, live_server, seeds):
    page.goto(f"{live_server.url}/ar/agreements/GON-2023-SANTE-443/")
    page.select_option("#language", "fr")
    page.wait_for_url("**/fr/agreements/GON-2023-SANTE-443/")
    assert page.locator("html").get_attribute("dir") == "ltr"


DATE_CELL_HEIGHTS = """() => Array.from(document.querySelectorAll("td")).filter(
    cell => /^\\u2066?\\d{4}-\\d{2}-\\d{2}\\u2069?$/.test(cell.textContent.trim())
).map(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return range.getBoundingClientRect().height / parseFloat(getComputedStyle(cell).fontSize);
})"""


def _dated_pages() -> list[str]:
    """A project with milestones and a contract, and a committee with a meeting: pages whose tables
    have cells holding only a date."""
    from datetime import date
    from decimal import Decimal

    from shiraka.projects import services as projects
    from shiraka.projects.models import Contract, Milestone, Project

    project = Project.objects.get(reference="GON-2023-SANTE-443-P11")
    projects.milestone_plan(
        project=project,
        kind=Milestone.Kind.STUDIES,
        planned_on=date(2026, 1, 25),
        achieved_on=date(2026, 2, 3),
    )
    projects.milestone_plan(project=project, kind=Milestone.Kind.TENDER, planned_on=date(2026, 6, 26))
    projects.contract_sign(
        project=project,
        kind=Contract.Kind.SERVICES,
        contractor_name="Bureau d'études",
        amount=Decimal("20000.00"),
        signed_on=date(2025, 11, 25),
    )
    case = factories.followup_case()
    return [f"/projects/{project.reference}/", f"/committees/{case.committee.pk}/"]


def test_dates_in_table_cells_stay_on_one_line_on_a_phone_in_arabic(browser, live_server, seeds):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, live_server, "ar")
    for path in _dated_pages():
        page.goto(f"{live_server.url}/ar{path}")
        heights = page.evaluate(DATE_CELL_HEIGHTS)
        # A date broken at a hyphen («2026-01-» / «25») is two lines: about three times the font's size.
        assert heights and max(heights) < 2, (path, heights)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        page.screenshot(path=str(ARTIFACTS / f"dates-ar-phone-{path.split('/')[1]}.png"), full_page=True)
    context.close()
