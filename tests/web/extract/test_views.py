"""New agreement from a text, through its pages: paste or upload, review the highlighted draft,
confirm (issue 4.4). The matching rules and the writes are tested on their own in tests/intake."""

import html
import io
import re
import zipfile
from decimal import Decimal

import pytest

from shiraka.accounts.models import Membership
from shiraka.agreements.models import Agreement, Partnership, Signatory, SigningAttendee
from shiraka.intake.services import next_draft_reference
from shiraka.organisations.models import Organisation, Person
from shiraka.organisations.services import commune_organisation_ensure
from shiraka.projects.models import Project
from shiraka.territory.models import Commune, Province
from shiraka.web.extract.session import SESSION_KEY
from tests.factories import GUELMIM, INEZGANE, review_forms, user_with_role

pytestmark = pytest.mark.django_db

ENGLISH = (
    "The Ministry of Health and the regional council signed an agreement on Monday for the construction of "
    "two hospitals in the region, with a budget of 40 million dirhams that will be shared by the partners."
)


def start_url(language="ar"):
    return f"/{language}/agreements/new-from-text/"


@pytest.fixture
def secretariat(reference):
    return user_with_role("secretariat-national", Membership.Role.SECRETARIAT)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Agreement, Partnership, Organisation, Person, Signatory, SigningAttendee, Project)
    }


def paste(client, text, language="ar"):
    response = client.post(start_url(language), {"text": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    review = client.get(response["Location"])
    assert review.status_code == 200
    return response["Location"], review.content.decode()


# --- the Guelmim seed, end to end ------------------------------------------------------------------


def assert_guelmim_agreement(agreement):
    """The Guelmim seed, confirmed as pre-filled: what the draft agreement holds."""
    assert re.fullmatch(r"DRAFT-\d{8}-\d{3}", agreement.reference)
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.total_amount == Decimal("443000000.00")
    assert agreement.source_text == GUELMIM
    assert agreement.kind == Agreement.Kind.PARTNERSHIP and agreement.title_ar.startswith("اتفاقية شراكة")
    assert str(agreement.signed_on) == "2023-11-06"
    assert agreement.region.code == "10"
    partnerships = agreement.partnerships.select_related("organisation")
    assert {p.organisation.reference_code for p in partnerships} == {"MSPS", "CR-10", "WILAYA-10"}
    assert all(p.committed_amount is None for p in partnerships)  # the text gives no split
    signatories = agreement.signatories.select_related("person", "organisation").order_by("position")
    assert [s.person.full_name_ar for s in signatories] == [
        "مباركة بوعيدة",
        "خالد أيت الطالب",
        "محمد الناجم ابهي",
    ]
    assert [s.organisation.reference_code for s in signatories] == ["CR-10", "MSPS", "WILAYA-10"]
    assert [a.description for a in agreement.attendees.all()] == [
        "المدير الجهوي للصحة",
        "ممثل الوكالة الوطنية للتجهيزات العامة",
        "ممثل الهيئة الوطنية للأطباء",
    ]
    projects = {p.category: p for p in agreement.projects.all()}
    assert projects["staff_contracting"].budget == Decimal("50000000.00")
    assert projects["staff_housing"].budget == Decimal("20000000.00")
    assert {"emergency_unit", "psychiatric_unit", "addiction_centre", "youth_health_space"} <= set(projects)
    emergency = agreement.projects.filter(category="emergency_unit", communes__isnull=False).distinct().get()
    assert {c.name_ar for c in emergency.communes.all()} == {"تغجيجت", "تيوغزة"}


def test_guelmim_text_is_reviewed_then_created_with_the_existing_partners(client, secretariat):
    client.force_login(secretariat)
    assert client.get(start_url()).status_code == 200
    before = counts()
    url, page = paste(client, GUELMIM)
    assert counts() == before  # reading the text writes nothing

    assert 'value="443 000 000"' in page  # the total, pre-filled
    for name in ("مباركة بوعيدة", "خالد أيت الطالب", "محمد الناجم ابهي"):
        assert f'value="{name}"' in page
        assert re.search(rf'<mark [^>]*data-field="signatory_name"[^>]*>{name}</mark>', page)
    assert re.search(r'<mark [^>]*data-field="total_amount[^"]*"[^>]*>443 مليون درهم</mark>', page)
    assert 'dir="auto"' in page
    forms = review_forms(page)
    assert list(forms) == [0]
    data = forms[0]
    codes = {
        o.pk: o.reference_code
        for o in Organisation.objects.filter(reference_code__in=["MSPS", "CR-10", "WILAYA-10"])
    }
    chosen = {codes.get(int(data[f"a0-p{j}-organisation"])) for j in range(3)}
    assert chosen == {"MSPS", "CR-10", "WILAYA-10"}
    assert "a0-p0-create" not in data  # "create a new organisation" is unticked by default

    response = client.post(url, data)
    assert response.status_code == 302
    agreement = Agreement.objects.get(reference__startswith="DRAFT-")
    assert response["Location"] == f"/ar/agreements/{agreement.reference}/"
    after = counts()
    assert after["Organisation"] == before["Organisation"]  # nothing ticked, nothing created
    assert_guelmim_agreement(agreement)
    history = agreement.history.first()
    assert history.history_user == secretariat

    page = client.get(response["Location"]).content.decode()
    assert agreement.reference in page
    # Confirming again (double submission, back button) opens the same agreement.
    again = client.post(url, data)
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Agreement.objects.filter(reference__startswith="DRAFT-").count() == 1


def test_people_are_reused_and_references_numbered(client, seeds):
    client.force_login(seeds)
    people = Person.objects.count()
    url, page = paste(client, GUELMIM, language="fr")
    assert client.post(url, review_forms(page)[0]).status_code == 302
    assert Person.objects.count() == people  # the seeds already hold the three signatories
    first = Agreement.objects.get(reference__startswith="DRAFT-")
    assert first.programme.code == "pdr-guelmim-oued-noun-2022-2027"  # matched by name
    url, page = paste(client, GUELMIM, language="fr")
    assert client.post(url, review_forms(page)[0]).status_code == 302
    references = sorted(
        Agreement.objects.filter(reference__startswith="DRAFT-").values_list("reference", flat=True)
    )
    assert len(references) == 2 and references[0][:-3] == references[1][:-3]
    assert int(references[1][-3:]) == int(references[0][-3:]) + 1
    assert next_draft_reference().endswith(f"{int(references[1][-3:]) + 1:03d}")


def test_a_new_organisation_is_created_only_when_ticked(client, secretariat):
    client.force_login(secretariat)
    url, page = paste(client, INEZGANE)
    forms = review_forms(page)
    assert sorted(forms) == [0, 1]  # the text reports two agreements
    data = forms[1]
    assert data["a1-p1-organisation"] == ""  # «المصالح اللاممركزة …»: no recorded organisation
    assert data["a1-p1-new_kind"] == "deconcentrated_service"
    organisations = Organisation.objects.count()
    data["a1-p1-create"] = "on"
    data["a1-p1-committed_amount"] = "1 000 000"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Organisation.objects.count() == organisations + 1
    created = Organisation.objects.get(name_ar="المصالح اللاممركزة لها الجهوية و الإقليمية")
    assert created.kind == "deconcentrated_service"
    agreement = Agreement.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert agreement.total_amount == Decimal("26343000.00")
    assert agreement.partnerships.get(organisation=created).committed_amount == Decimal("1000000.00")
    assert agreement.province.code == "09.273"
    # The first agreement of the text is still there to confirm; the second shows its link.
    page = client.get(url).content.decode()
    assert agreement.reference in page and sorted(review_forms(page)) == [0]
    # A commune ticked as a new partner becomes the commune's own organisation, found again later.
    data = review_forms(page)[0]
    assert data["a0-p3-new_name"] == "جماعة إنزكان" and data["a0-p3-new_kind"] == "commune"
    data["a0-p3-create"] = "on"
    assert client.post(url, data).status_code == 302
    commune = Organisation.objects.get(
        reference_code="COMMUNE-" + Commune.objects.get(name_fr="Inezgane").code
    )
    assert commune.kind == "commune" and commune.province.code == "09.273"
    assert commune_organisation_ensure(commune.commune) == commune


# --- refusals ------------------------------------------------------------------------------------


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   \n  "}, "The text is empty"),
        ({"text": ""}, "The text is empty"),
        ({"file": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))}, "binary file"),
        ({"file": ("latin1.txt", "Conseil régional".encode("latin-1"))}, "not UTF-8"),
        ({"text": ("الصحة " * 400_000)}, "larger than 1 MB"),
        ({"file": ("big.txt", ("الصحة " * 200_000).encode())}, "larger than 1 MB"),
        ({"text": ("الصحة " * 8_400)}, "longer than 50,000 characters"),
        ({"file": ("long.txt", ("الصحة " * 8_400).encode())}, "longer than 50,000 characters"),
        ({"text": ENGLISH}, "neither Arabic nor French"),
        ({"file": ("program.exe", b"MZ\x90\x00")}, "Only .txt, .docx and .pdf"),
        ({"file": ("fake.docx", b"not a zip at all")}, "cannot be read"),
        ({"text": GUELMIM, "file": ("seed.txt", GUELMIM.encode())}, "not both"),
    ],
    ids=[
        "blank",
        "empty",
        "binary",
        "latin1",
        "2MB-pasted",
        "2MB-file",
        "50k-chars-pasted",
        "50k-chars-file",
        "english",
        "exe",
        "bad-docx",
        "both",
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(client, secretariat, data, message):
    client.force_login(secretariat)
    before = counts()
    if "file" in data:
        data = dict(data, file=_upload(*data["file"]))
    response = client.post(start_url("en"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "data-refusal" in page
    assert counts() == before
    assert not client.session.get(SESSION_KEY)


def test_refusal_is_in_the_pages_language(client, secretariat):
    from django.utils import translation

    from shiraka.web.extract.forms import REFUSAL_MESSAGES as REFUSALS

    client.force_login(secretariat)
    page = client.post(start_url("fr"), {"text": ENGLISH}).content.decode()
    with translation.override("fr"):
        assert html.escape(str(REFUSALS["language"])) in page


def test_every_refusal_a_page_can_meet_has_a_translated_message():
    from shiraka.extraction.documents import REFUSALS
    from shiraka.web.extract.forms import REFUSAL_MESSAGES

    assert set(REFUSAL_MESSAGES) == set(REFUSALS) - {"missing", "unreadable"}  # those two: files on disk


def test_pdf_without_pypdf_is_refused_with_a_clear_message(client, secretariat):
    pytest.importorskip("django")
    try:
        import pypdf  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("pypdf is installed: PDFs are read")
    client.force_login(secretariat)
    response = client.post(start_url("en"), {"file": _upload("release.pdf", b"%PDF-1.7\n%...")})
    assert "PDF files cannot be read on this server yet" in response.content.decode()


def docx(paragraphs: list[str], *, document: bytes | None = None) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = (
        document
        or (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
        ).encode()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def test_docx_upload_is_read_paragraph_by_paragraph(client, secretariat):
    client.force_login(secretariat)
    from xml.sax.saxutils import escape

    content = docx([escape(line) for line in GUELMIM.split("\n")])
    response = client.post(start_url(), {"file": _upload("communique.docx", content)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'value="443 000 000"' in page


@pytest.mark.parametrize(
    ("document", "message"),
    [
        # 21 MB of XML compressed into a few kB: refused on its declared size, never parsed.
        (b"<w:document>" + b" " * (21 * 1024 * 1024) + b"</w:document>", "larger than 1 MB"),
        # Entity expansion ("billion laughs"): defusedxml refuses it.
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<x>&b;&b;</x>",
            "cannot be read",
        ),
    ],
    ids=["zip-bomb", "entities"],
)
def test_hostile_docx_is_refused(client, secretariat, document, message):
    client.force_login(secretariat)
    before = counts()
    content = docx([], document=document)
    assert len(content) < 100_000
    response = client.post(start_url("en"), {"file": _upload("bomb.docx", content)})
    assert message in response.content.decode()
    assert counts() == before


def test_commitments_above_the_total_are_refused_next_to_the_field_and_nothing_is_written(
    client, secretariat
):
    client.force_login(secretariat)
    url, page = paste(client, GUELMIM, language="en")
    data = review_forms(page)[0]
    # Row 0 becomes a new organisation (created, then rolled back with everything else).
    data.update(
        {
            "a0-p0-organisation": "",
            "a0-p0-create": "on",
            "a0-p0-new_name": "مؤسسة الاختبار",
            "a0-p0-new_kind": "foundation",
            "a0-p0-committed_amount": "300 000 000",
            "a0-p1-committed_amount": "200000000",
        }
    )
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert counts() == before
    error = re.search(r'data-error-for="a0-p1-committed_amount">([^<]*)<', page)
    assert error and "exceed the agreement's total" in html.unescape(error.group(1))
    assert 'id="id_a0-p1-committed_amount" aria-invalid="true"' in page or "is-invalid" in page
    assert not Organisation.objects.filter(name_ar="مؤسسة الاختبار").exists()
    # The user's values stay in the form.
    assert 'value="300 000 000"' in page


def test_a_project_without_category_and_a_bad_amount_are_shown_on_their_rows(client, secretariat):
    client.force_login(secretariat)
    url, page = paste(client, GUELMIM, language="en")
    data = review_forms(page)[0]
    data.update({"a0-x1-include": "on", "a0-x1-category": "", "a0-total_amount": "12abc"})
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-error-for="a0-x1-category"' in page and 'data-error-for="a0-total_amount"' in page
    assert counts() == before


def test_a_secretariat_creates_only_within_its_scope(client, reference):
    province = Province.objects.get(code="09.273")  # Inezgane-Aït Melloul
    user = user_with_role(
        "secretariat-inezgane", Membership.Role.SECRETARIAT, province=province, region=province.region
    )
    client.force_login(user)
    url, page = paste(client, GUELMIM, language="en")  # Guelmim-Oued Noun: outside the scope
    before = counts()
    response = client.post(url, review_forms(page)[0])
    assert response.status_code == 400
    assert "within your own territory" in response.content.decode()
    assert counts() == before
    url, page = paste(client, INEZGANE, language="en")
    assert client.post(url, review_forms(page)[1]).status_code == 302


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Membership.Role.VIEWER, Membership.Role.FOCAL_POINT, Membership.Role.PROJECT_EDITOR]
)
def test_other_roles_are_forbidden(client, reference, role):
    client.force_login(user_with_role(f"user-{role}", role))
    assert client.get(start_url()).status_code == 403
    assert client.post(start_url(), {"text": GUELMIM}).status_code == 403
    assert client.get(start_url() + "sometoken/").status_code == 403
    assert Agreement.objects.count() == 0


def test_anonymous_visitors_are_sent_to_the_login_page(client, reference):
    for response in (
        client.get(start_url()),
        client.post(start_url(), {"text": GUELMIM}),
        client.get(start_url() + "sometoken/"),
    ):
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_draft_of_another_session_or_a_forged_index_is_not_reached(client, secretariat):
    client.force_login(secretariat)
    response = client.get(start_url("en") + "not-a-token/")
    assert response.status_code == 302 and response["Location"].endswith("/agreements/new-from-text/")
    url, page = paste(client, GUELMIM, language="en")
    data = review_forms(page)[0]
    assert client.post(url, dict(data, agreement="7")).status_code == 404
    assert client.post(url, dict(data, agreement="x")).status_code == 404
    assert Agreement.objects.count() == 0


# --- pieces --------------------------------------------------------------------------------------


def test_pasted_markup_is_shown_as_text(client, secretariat):
    client.force_login(secretariat)
    text = GUELMIM + "\n<script>alert('x')</script><img src=x onerror=alert(1)>"
    _url, page = paste(client, text)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
