"""The public portal as a visitor reads it: every page reachable from the portal is crawled, with its
downloads, for strings planted in internal records (drafts, unpublished agreements, transfer
references and notes, proofs, payment references, schedule notes, cancellation reasons, committee
decisions); none may appear, and no link may lead to the sign-in page."""

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shiraka.agreements import services as agreements
from shiraka.projects import services as projects
from tests import factories

pytestmark = pytest.mark.django_db

MARKERS = {
    "draft": "ZZDRAFTMARK",
    "unpublished": "ZZUNPUBMARK",
    "transfer_reference": "ZZBANKREFMARK",
    "transfer_note": "ZZTRNOTEMARK",
    "proof": "zzproofmark",
    "payment_reference": "ZZPAYREFMARK",
    "schedule_note": "ZZSCHEDNOTEMARK",
    "cancellation": "ZZCANCELMARK",
    "decision": "ZZDECISIONMARK",
}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "src", "action"):
            if attributes.get(name):
                self.links.append(attributes[name])


def seed_internal_records():
    """A published agreement with money, a project and internal details, beside hidden ones."""
    published = factories.agreement_in_province(title_fr="Convention publique", is_published=True)
    partner = factories.partner_with_schedule(
        published, committed="500000.00", due=[(date(2024, 6, 30), "200000.00")]
    )
    agreements.contribution_schedule(
        partnership=partner,
        due_on=date(2025, 6, 30),
        amount=Decimal("100000.00"),
        note=MARKERS["schedule_note"],
    )
    agreements.transfer_record(
        partnership=partner,
        transferred_on=date(2024, 7, 1),
        amount=Decimal("150000.00"),
        reference=MARKERS["transfer_reference"],
        note=MARKERS["transfer_note"],
        proof=SimpleUploadedFile(f"{MARKERS['proof']}.pdf", factories.pdf_bytes(), "application/pdf"),
    )
    mistaken = agreements.transfer_record(
        partnership=partner, transferred_on=date(2024, 7, 2), amount=Decimal("1000.00")
    )
    agreements.transfer_cancel(mistaken, reason=MARKERS["cancellation"], expected_version=mistaken.version)
    project = factories.project(published, latitude=Decimal("30.4"), longitude=Decimal("-9.5"))
    projects.progress_record(
        project=project, reported_on=date(2024, 9, 1), physical_progress=40, note="Gros œuvre"
    )
    contract = projects.contract_sign(
        project=project,
        kind="works",
        amount=Decimal("90000.00"),
        contractor_name="Entreprise",
        signed_on=date(2024, 8, 1),
    )
    projects.payment_record(
        contract=contract,
        paid_on=date(2024, 9, 15),
        amount=Decimal("30000.00"),
        reference=MARKERS["payment_reference"],
    )
    place = factories.province()
    factories.agreement(
        title_fr=MARKERS["draft"], status="draft", is_published=True, region=place.region, province=place
    )
    factories.agreement_in_province(title_fr=MARKERS["unpublished"], is_published=False)
    committee = factories.committee([published])
    from shiraka.followup import services as followup

    followup.decision_create(committee=committee, text=MARKERS["decision"], due_on=date(2024, 12, 31))
    return published, project


EXPORTS = "/export/"  # the exchange area's list exports, checked apart below


def crawl(client, start: str, limit: int = 400, *, exports: bool = False) -> dict[str, bytes]:
    """Every same-site page and file reachable from `start` (GET only), by path."""
    seen: dict[str, bytes] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url)._replace(fragment="").geturl()
        if path in seen or not path.startswith("/") or path.startswith("/static/"):
            continue
        if (EXPORTS in path) != exports and not (exports and path.endswith("/")):
            continue
        response = client.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)
        if response.status_code != 200:
            body = b""
        elif response.streaming:
            body = b"".join(response.streaming_content) + response.get("Content-Disposition", "").encode()
        else:
            body = response.content
        seen[path] = body
        if response.status_code == 302:
            queue.append(response["Location"])
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            parser = Links()
            parser.feed(body.decode("utf-8"))
            queue += [
                urljoin(path, link) for link in parser.links if not link.startswith(("http", "mailto:"))
            ]
    return seen


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_no_internal_string_on_any_public_page_or_download(client, language):
    published, project = seed_internal_records()
    pages = crawl(client, f"/{language}/portal/")
    # The crawl reached the pages that show the published records and the open-data file.
    assert f"/{language}/agreements/{published.reference}/" in pages
    assert f"/{language}/projects/{project.reference}/" in pages
    assert f"/{language}/open-data/iati.xml" in pages and f"/{language}/equity/" in pages
    assert len(pages) > 20
    for path, body in pages.items():
        for name, marker in MARKERS.items():
            assert marker.encode() not in body, f"{name} marker on {path}"
        assert b"/login/" not in body, f"a link to the sign-in page on {path}"
    # A published transfer shows its partner, date and amount.
    agreement_page = pages[f"/{language}/agreements/{published.reference}/"].decode()
    assert "2024-07-01" in agreement_page and "150" in agreement_page


def test_a_member_still_reads_the_internal_details(client):
    published, _project = seed_internal_records()
    client.force_login(factories.member("secretariat"))
    page = client.get(f"/fr/agreements/{published.reference}/").content.decode()
    assert MARKERS["transfer_reference"] in page and MARKERS["cancellation"] in page


def test_visitors_menu_has_no_internal_item(client):
    page = factories.page_text(client.get("/fr/portal/"))
    for internal in ("Comités", "Alertes", "Utilisateurs", "Administration", "Se connecter"):
        assert internal not in page
    for public in ("Portail", "Carte", "Équité", "Données ouvertes"):
        assert public in page


def test_equity_page_sorts_and_shows_the_averages(client):
    seed_internal_records()
    response = client.get("/fr/equity/?sort=-per_inhabitant")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("data-province=") == 75
    assert 'data-average="national"' in body
    # The only province with published money comes first when sorted by investment per inhabitant.
    first = body.index("data-province=")
    assert 'data-province="09.273"' in body[first : first + 40]
    ascending = client.get("/fr/equity/?sort=per_inhabitant").content.decode()
    assert 'data-province="09.273"' not in ascending[ascending.index("data-province=") :][:40]
    # A region narrows the table to its provinces and adds its average; nonsense is ignored.
    region = client.get("/fr/equity/?region=09").content.decode()
    assert 'data-average="region"' in region and region.count("data-province=") < 75
    odd = client.get("/fr/equity/?region=<x>&sort=drop table")
    assert odd.status_code == 200 and odd.content.decode().count("data-province=") == 75


def test_map_page_table_follows_the_figure_picked(client):
    seed_internal_records()
    for measure in ("per_inhabitant", "committed", "arrears", "late", "nonsense"):
        response = client.get(f"/fr/map/?measure={measure}")
        assert response.status_code == 200
        assert response.content.decode().count("data-province=") == 75
    data = client.get("/ar/map/").context["map"]
    assert data["rtl"] is True and len(data["figures"]) == 75
    assert [p["reference"] for p in data["points"]] == [f"{factories.province().code}"] or data["points"]


def test_boundaries_file_is_small_cached_and_complete(client):
    response = client.get("/fr/map/provinces.geojson")
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    import json

    document = json.loads(response.content)
    assert len(document["features"]) == 75
    assert len(response.content) < 250_000  # the shipped file weighs 1.2 MB


def test_no_internal_string_in_the_exchange_exports(client):
    seed_internal_records()
    downloads = {
        path: body for path, body in crawl(client, "/fr/portal/", exports=True).items() if EXPORTS in path
    }
    for path, body in downloads.items():
        for name, marker in MARKERS.items():
            assert marker.encode() not in body, f"{name} marker in {path}"


@pytest.mark.parametrize(
    ("language", "tangier", "french"),
    [
        ("en", "Tangier-Tetouan-Al Hoceima", "Tanger-Tétouan-Al Hoceima"),
        ("fr", "Tanger-Tétouan-Al Hoceima", None),
    ],
)
def test_the_portal_and_the_equity_page_name_regions_in_the_readers_language(
    client, language, tangier, french
):
    seed_internal_records()
    for url in (f"/{language}/portal/", f"/{language}/equity/"):
        page = factories.page_text(client.get(url))
        assert tangier in page, url
        if french:
            assert french not in page, url
