"""Outside checkers on the main pages (tests/web/checkers.py lists them), signed in and not:

- the Nu HTML Checker (npm `vnu-jar`, run on Java) over every page in Arabic, French and English: 0 errors;
- axe-core (npm `axe-core`) injected by Playwright into Debian's Chromium, in the three languages:
  0 violations (colour contrast is judged on the French and English pages: axe does not measure it
  reliably on Arabic glyphs);
- a phone's width (375 px) and a laptop's (1366 px): no page scrolls sideways; screenshots of the
  agreement, project, history and alerts pages in Arabic and French kept in test-artifacts/.

They skip, saying why, only when Java or Chromium is not installed (CI installs both)."""

import json
import subprocess

import pytest

from tests.factories import ARTIFACTS

from .checkers import AXE_SCRIPT, LANGUAGES, VNU_JAR, build_world, java_or_skip, main_pages

SHOWN = ["agreement", "project", "history", "alerts"]


@pytest.fixture
def world(seeds):
    return build_world(seeds)


def page_files(client, world, folder) -> list:
    """Every main page as served, one file each: visitor first, then signed in, in each language."""
    files = []
    for signed_in in (False, True):
        if signed_in:
            client.force_login(world.user)
        for language in LANGUAGES:
            for name, path in main_pages(world, signed_in=signed_in):
                response = client.get(f"/{language}{path.split('#')[0]}")
                assert response.status_code == 200, (language, path, response.status_code)
                file = folder / f"{language}-{'in' if signed_in else 'out'}-{name}.html"
                file.write_bytes(response.content)
                files.append(file)
    return files


def vnu(java: str, files: list) -> list[str]:
    """The Nu HTML Checker's errors on `files`, one line each: `file:line: message`."""
    run = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    messages = json.loads(run.stderr)["messages"]
    return [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}" for m in messages]


@pytest.mark.django_db
def test_the_nu_html_checker_finds_no_error_on_the_main_pages(client, world, tmp_path):
    java = java_or_skip()
    files = page_files(client, world, tmp_path)
    # The checker is alive: a page with an htmx attribute without its `data-` prefix is an error.
    broken = tmp_path / "zz-broken.html"
    broken.write_text('<!DOCTYPE html><html lang="fr"><title>x</title><a href="/" hx-get="/">x</a></html>')
    errors = vnu(java, [*files, broken])
    print(f"Nu HTML Checker: {len(files)} pages, {len(errors) - 1} errors")
    assert [e for e in errors if e.startswith("zz-broken.html")] != [], errors
    assert [e for e in errors if not e.startswith("zz-broken.html")] == []


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("main button[type=submit]")


def axe_violations(page, language: str) -> list[str]:
    """axe-core's violations on the open page (its default rules; colour contrast off on Arabic pages)."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    rules = {"color-contrast": {"enabled": False}} if language == "ar" else {}
    found = page.evaluate("async (rules) => (await axe.run(document, {rules})).violations", rules)
    return [
        f"{v['id']} ({v['impact']}): {n['target']} {n.get('failureSummary', '')[:160]}"
        for v in found
        for n in v["nodes"]
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_axe_finds_no_violation_on_the_main_pages(browser, live_server, world):
    problems, pages = [], 0
    for language in LANGUAGES:
        # bypass_csp: the page's Content-Security-Policy would refuse the injected axe script.
        context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
        page = context.new_page()
        base = f"{live_server.url}/{language}"
        for signed_in in (False, True):
            if signed_in:
                sign_in(page, base)
            for name, path in main_pages(world, signed_in=signed_in):
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                problems += [f"{language} {name}: {v}" for v in axe_violations(page, language)]
                pages += 1
        context.close()
    print(f"axe-core: {pages} pages, {len(problems)} violations")
    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_main_pages_fit_a_phone_without_scrolling_sideways(browser, live_server, world, language):
    ARTIFACTS.mkdir(exist_ok=True)
    overflowing = []
    for width in (375, 1366):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        base = f"{live_server.url}/{language}"
        sign_in(page, base)
        for name, path in main_pages(world, signed_in=True):
            page.goto(base + path)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                overflowing.append(f"{name} at {width}px: {scroll}px wide")
            if name in SHOWN:
                shot = ARTIFACTS / f"checkers-{name}-{language}-{width}.png"
                target = page.locator("#history") if name == "history" else page
                target.screenshot(path=str(shot), **({} if name == "history" else {"full_page": True}))
        if width == 375:
            # The menu folds behind its button; opened, it lists the pages one under the other.
            assert page.locator("nav .navbar-toggler").is_visible()
            assert not page.locator("nav .navbar-collapse").is_visible()
            page.click("nav .navbar-toggler")
            page.locator("nav .navbar-collapse").wait_for(state="visible")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
    assert overflowing == []
