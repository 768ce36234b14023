"""The secretariat's main journey in a real browser (Playwright driving Debian's Chromium), in Arabic
and in French: log in, register an agreement, add two partners with commitments and a schedule,
record a transfer with its proof, see an over-large transfer refused, add a project and a progress
update with a photo, and see the dashboard's totals move. Screenshots go to
test-artifacts/journey-<lang>-<step>.png, to be looked at."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WORDING = {
    "ar": {"refused": "هذا التحويل البالغ", "total_after": "637,50 مليون درهم"},
    "fr": {"refused": "Ce virement de", "total_after": "637,50 M DH"},
}


def figure(page, name: str) -> str:
    return page.locator(f"[data-figure={name}]").first.inner_text().replace("\u00a0", " ").strip()


def no_overflow(page, width: int = 1366) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page overflows horizontally ({scroll}px)"


def shot(page, language: str, step: str) -> None:
    no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"journey-{language}-{step}.png"), full_page=True)


def files(tmp_path: Path) -> tuple[Path, Path]:
    from PIL import Image, ImageDraw

    photo = tmp_path / "chantier.png"
    image = Image.new("RGB", (320, 200), (210, 190, 150))
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 60, 280, 180], fill=(120, 120, 130))
    draw.rectangle([60, 30, 260, 60], fill=(180, 60, 40))
    image.save(photo, format="PNG")
    proof = tmp_path / "avis-de-virement.pdf"
    proof.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return photo, proof


def submit(page) -> None:
    with page.expect_navigation():
        page.click("form.edit-form button[type=submit]")


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_secretariat_journey(page, live_server, seeds, language, tmp_path):
    from shiraka.agreements.models import Partnership
    from shiraka.organisations.models import Organisation
    from shiraka.projects.models import ProgressPhoto, Project
    from shiraka.territory.models import Province

    ARTIFACTS.mkdir(exist_ok=True)
    photo, proof = files(tmp_path)
    base = f"{live_server.url}/{language}"
    province = Province.objects.get(slug="inezgane-ait-melloul")
    council = Organisation.objects.get(reference_code=f"CPP-{province.code}")
    ministry = Organisation.objects.get(reference_code="MSPS")
    reference = f"J-{language.upper()}-2024-01"

    # 1. Log in as the demo administrator; the dashboard shows the seeds' totals.
    page.goto(f"{base}/login/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{base}/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    total_before, transferred_before = figure(page, "total"), figure(page, "transferred")

    # 2. Register an agreement.
    page.goto(f"{base}/new/agreement/")
    page.fill("#id_reference", reference)
    page.select_option("#id_kind", "partnership")
    page.fill("#id_title_ar", "اتفاقية شراكة لتأهيل المراكز الصحية بعمالة إنزكان آيت ملول")
    page.fill("#id_title_fr", "Convention de mise à niveau des centres de santé d'Inezgane-Aït Melloul")
    page.fill("#id_signed_on", "2024-02-01")
    page.fill("#id_start_on", "2024-02-01")
    page.fill("#id_end_on", "2027-12-31")
    page.fill("#id_total_amount", "10000000.00")
    page.select_option("#id_province", str(province.pk))
    shot(page, language, "1-agreement-form")
    submit(page)
    assert page.url.endswith(f"/agreements/{reference}/")
    assert figure(page, "agreement-total") == (
        "10.000.000,00 درهم" if language == "ar" else "10 000 000,00 DH"
    )

    # 3. Two partners with their commitments (the buttons come from the permission-checked tools).
    for organisation, amount in ((ministry, "6000000"), (council, "4000000")):
        page.click("[data-action=add-partner]")
        page.select_option("#id_organisation", str(organisation.pk))
        page.check("#id_is_funder")
        page.fill("#id_committed_amount", amount)
        submit(page)
    first = Partnership.objects.get(agreement__reference=reference, organisation=ministry)
    assert first.committed_amount == Decimal("6000000.00")

    # 4. A schedule for the ministry, inline (htmx), without leaving the page.
    page.wait_for_selector(f"#schedule-{first.pk}")
    page.fill(f"#id_s{first.pk}_due_on", "2024-06-30")
    page.fill(f"#id_s{first.pk}_amount", "3000000")
    with page.expect_navigation():
        page.click(f"#schedule-{first.pk} button[type=submit]")

    # 5. A transfer with its proof, inline.
    page.wait_for_selector(f"#transfer-{first.pk}")
    page.fill(f"#id_t{first.pk}_transferred_on", timezone.localdate().isoformat())
    page.fill(f"#id_t{first.pk}_amount", "2500000")
    page.fill(f"#id_t{first.pk}_reference", "OV-2024-0042")
    page.set_input_files(f"#id_t{first.pk}_proof", str(proof))
    with page.expect_navigation():
        page.click(f"#transfer-{first.pk} button[type=submit]")
    assert first.transfers.get().proof.name.endswith(".pdf")
    page.wait_for_selector(f"#transfer-{first.pk}")
    shot(page, language, "2-agreement-with-partners")

    # 6. An over-large transfer is refused next to its field, in the page's language; nothing saved.
    page.wait_for_selector(f"#transfer-{first.pk}")
    page.fill(f"#id_t{first.pk}_transferred_on", timezone.localdate().isoformat())
    page.fill(f"#id_t{first.pk}_amount", "9000000")
    page.click(f"#transfer-{first.pk} button[type=submit]")
    error = page.wait_for_selector(f"#transfer-{first.pk} [data-error-for=amount]")
    assert error.is_visible() and WORDING[language]["refused"] in error.inner_text()
    assert first.transfers.count() == 1
    page.locator(f"#transfer-{first.pk}").scroll_into_view_if_needed()
    shot(page, language, "3-transfer-refused")
    # The inline forms fit a phone's width too.
    page.set_viewport_size({"width": 390, "height": 844})
    no_overflow(page, 390)
    page.screenshot(path=str(ARTIFACTS / f"journey-{language}-3-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    # 7. A project, then a progress update with a photo.
    page.click("[data-action=add-project]")
    page.fill("#id_title_ar", "تأهيل المركز الصحي الحضري")
    page.fill("#id_title_fr", "Mise à niveau du centre de santé urbain")
    page.select_option("#id_category", "facility_upgrade")
    page.fill("#id_budget", "4000000")
    page.select_option("#id_communes", index=0)
    page.fill("#id_planned_start", "2024-03-01")
    page.fill("#id_planned_end", "2025-12-31")
    shot(page, language, "4-project-form")
    submit(page)
    project = Project.objects.get(agreement__reference=reference)
    assert page.url.endswith(f"/projects/{project.reference}/manage/")
    page.click("[data-action=record-progress]")
    page.fill("#id_physical_progress", "40")
    page.fill("#id_note", "أشغال البناء جارية" if language == "ar" else "Gros œuvre en cours")
    page.set_input_files("#id_photos", str(photo))
    submit(page)
    assert page.locator("[data-figure=project-progress]").inner_text().replace("\u00a0", " ") == "40 %"
    assert page.locator("[data-progress-update] img").first.evaluate("img => img.naturalWidth") == 320
    assert ProgressPhoto.objects.filter(update__project=project).count() == 1
    shot(page, language, "5-project-progress")

    # 8. The dashboard's totals have moved.
    page.goto(f"{base}/")
    assert figure(page, "total") != total_before and figure(page, "total") == WORDING[language]["total_after"]
    assert figure(page, "transferred") != transferred_before
    shot(page, language, "6-dashboard")
