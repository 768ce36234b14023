"""The main pages the outside checkers read (tests/web/test_checkers.py): the seeds, a committee with a
meeting and a decision, and a few synthetic agreements, so that every page has rows, history and alerts.

`main_pages(world, signed_in)` lists (name, path) without the language prefix; the checkers prefix
each path with /ar, /fr or /en."""

import shutil
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ["ar", "fr", "en"]
# The pages a visitor reaches without signing in (the public portal and the sign-in pages).
PUBLIC = [
    ("portal", "/portal/"),
    ("map", "/map/"),
    ("equity", "/equity/"),
    ("open-data", "/open-data/"),
    ("login", "/login/"),
    ("password-forgotten", "/password/forgotten/"),
]


def build_world(seeds) -> SimpleNamespace:
    """Seeds (the demo's real agreements), a follow-up case (committee, meeting, decision) and a small
    fictional portfolio; returns the records whose pages the checkers open."""
    from shiraka.agreements.models import Programme
    from shiraka.demo.synth import synth_generate
    from shiraka.organisations.models import Organisation
    from tests.factories import followup_case

    case = followup_case()
    synth_generate(agreements=4, seed=15, show_progress=False)
    return SimpleNamespace(
        user=seeds,
        agreement="GON-2023-SANTE-443",
        project="GON-2023-SANTE-443-P11",
        organisation=Organisation.objects.get(reference_code="MSPS").pk,
        programme=Programme.objects.order_by("pk").first().pk,
        committee=case.committee.pk,
        meeting=case.meeting.pk,
        decision=case.decision.pk,
    )


def main_pages(world, *, signed_in: bool) -> list[tuple[str, str]]:
    """The main pages: what a visitor opens, and what a signed-in administrator opens besides."""
    if not signed_in:
        return PUBLIC
    agreement, project = world.agreement, world.project
    return [
        ("dashboard", "/"),
        ("agreements", "/agreements/"),
        ("agreements-search", "/agreements/?q=" + quote("وادنون")),
        ("agreement", f"/agreements/{agreement}/"),
        ("projects", "/projects/"),
        ("project", f"/projects/{project}/"),
        ("history", f"/agreements/{agreement}/#history"),
        ("region", "/regions/10/"),
        ("province", "/provinces/09.273/"),
        ("organisation", f"/organisations/{world.organisation}/"),
        ("programme", f"/programmes/{world.programme}/"),
        ("alerts", "/alerts/"),
        ("committees", "/committees/"),
        ("committee", f"/committees/{world.committee}/"),
        ("meeting", f"/meetings/{world.meeting}/"),
        ("decision", f"/decisions/{world.decision}/"),
        ("import", "/import/"),
        ("people", "/people/"),
        ("api-tokens", "/account/api-tokens/"),
        ("agreement-new", "/new/agreement/"),
        ("agreement-edit", f"/agreements/{agreement}/edit/"),
        ("project-manage", f"/projects/{project}/manage/"),
        ("extract", "/agreements/new-from-text/"),
        *[(name, path) for name, path in PUBLIC if name not in ("login", "password-forgotten")],
    ]


def java_or_skip() -> str:
    java = shutil.which("java")
    if not java:
        pytest.skip(
            "Java is not installed (apt-get install default-jre-headless): the Nu HTML Checker runs on it"
        )
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: `npm ci` installs the pinned vnu-jar"
    return java
