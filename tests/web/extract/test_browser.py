"""New agreement from a text in a real browser (Playwright driving Debian's Chromium): the Inezgane
seed pasted on the Arabic pages, the review page kept as a screenshot to be looked at."""

from pathlib import Path

import pytest

import shiraka.demo
from tests.factories import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
INEZGANE = (
    Path(shiraka.demo.__file__).resolve().parent / "data" / "inezgane-ait-melloul-2022-02-12.txt"
).read_text(encoding="utf-8")


def test_inezgane_text_is_reviewed_right_to_left_with_highlights(page, live_server, reference):
    from shiraka.demo.services import demo_user_ensure

    demo_user_ensure()
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/ar/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/ar/agreements/new-from-text/")
    page.fill("#id_text", INEZGANE)
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-source-text]")
    assert page.locator("html").get_attribute("dir") == "rtl"
    text = page.locator("[data-source-text]")
    assert text.get_attribute("dir") == "auto"
    assert text.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator("[data-source-text] mark").count() >= 20
    total = page.locator('[data-source-text] mark[data-field~="total_amount"]').first
    assert "158,16" in total.inner_text()
    assert total.evaluate("e => getComputedStyle(e).backgroundColor") not in (
        "rgba(0, 0, 0, 0)",
        "transparent",
    )
    assert page.locator("form[method=post] input[name=agreement]").count() == 2
    assert page.input_value("#id_a0-total_amount") == "158 160 000"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"page overflows horizontally ({width}px)"
    page.screenshot(path=str(ARTIFACTS / "extract-review-ar.png"), full_page=True)
    page.locator("[data-source-text]").screenshot(path=str(ARTIFACTS / "extract-review-ar-text.png"))

    page.locator('form:has(input[name=agreement][value="1"]) button[type=submit]').click()
    page.wait_for_url("**/agreements/DRAFT-*/")
    assert "26.343.000,00" in page.locator("[data-figure=agreement-total]").inner_text()
