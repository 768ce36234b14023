"""Edit pages of agreements, signatories, partnerships, schedules and transfers: an accepted POST
changes the database, a refused one shows the rule's message in the page's language and changes
nothing, and a user without the right role gets 403 (issue 3, "Forms")."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from shiraka.accounts.models import Membership
from shiraka.agreements import services
from shiraka.agreements.models import Agreement, Partnership, ScheduledContribution, Signatory, Transfer
from shiraka.core.formatting import format_amount
from shiraka.organisations.models import Person
from shiraka.territory.models import Province
from tests import factories
from tests.factories import member, message, page_text, pdf_bytes, url

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def admin(reference):
    return member(Role.ADMINISTRATOR, username="admin-user")


@pytest.fixture
def agreement(reference):
    province = Province.objects.order_by("code").first()
    return factories.agreement(total="1000000.00", province=province, region=province.region)


@pytest.fixture
def partnership(agreement):
    return factories.partnership(agreement, committed="400000.00")


# --- agreements --------------------------------------------------------------------------------------


def agreement_post(**overrides) -> dict:
    data = {
        "reference": "NEW-2024-001",
        "kind": "partnership",
        "title_ar": "اتفاقية شراكة",
        "title_fr": "Convention test",
        "signed_on": "2024-03-01",
        "start_on": "2024-03-01",
        "end_on": "2027-12-31",
        "total_amount": "1500000.00",
        "status": "signed",
        "region": "",
        "province": "",
    }
    data.update(overrides)
    return data


def test_administrator_registers_an_agreement(client, admin):
    client.force_login(admin)
    assert client.get(url("agreement_create")).status_code == 200
    response = client.post(url("agreement_create"), agreement_post(total_amount="1 500 000,50"))
    agreement = Agreement.objects.get(reference="NEW-2024-001")
    assert response.status_code == 302 and response["Location"] == url("agreement", "NEW-2024-001")
    assert agreement.total_amount == Decimal("1500000.50") and agreement.status == "signed"
    assert agreement.history.first().history_user == admin


def test_agreement_with_dates_out_of_order_is_refused_in_french_and_arabic(client, admin):
    client.force_login(admin)
    for language in ("fr", "ar"):
        response = client.post(
            url("agreement_create", language=language),
            agreement_post(start_on="2028-01-01", end_on="2027-01-01"),
        )
        assert response.status_code == 200
        text = page_text(response)
        assert message("The end date cannot be before the start date.", language) in text
        assert 'data-error-for="end_on"' in text
    assert not Agreement.objects.filter(reference="NEW-2024-001").exists()


def test_secretariat_of_a_province_cannot_register_an_agreement_elsewhere(client, reference):
    home, elsewhere = Province.objects.all()[:2]
    user = member(Role.SECRETARIAT, province=home)
    client.force_login(user)
    response = client.post(url("agreement_create"), agreement_post(province=elsewhere.pk))
    assert response.status_code == 200
    assert message("You may only register agreements of your own territory or programme.", "fr") in page_text(
        response
    )
    assert not Agreement.objects.filter(reference="NEW-2024-001").exists()
    response = client.post(url("agreement_create"), agreement_post(province=home.pk))
    assert response.status_code == 302
    assert Agreement.objects.get(reference="NEW-2024-001").region_id == home.region_id


def test_viewer_and_focal_point_cannot_create_agreements(client, reference):
    for role in (Role.VIEWER, Role.FOCAL_POINT, Role.PROJECT_EDITOR):
        client.force_login(member(role))
        assert client.get(url("agreement_create")).status_code == 403
        assert client.post(url("agreement_create"), agreement_post()).status_code == 403
    assert not Agreement.objects.filter(reference="NEW-2024-001").exists()


def test_anonymous_visitor_is_sent_to_the_login_page(client, agreement):
    response = client.get(url("agreement_edit", agreement.reference))
    assert response.status_code == 302 and url("login") in response["Location"]
    response = client.post(url("agreement_edit", agreement.reference), {"title_fr": "x"})
    assert response.status_code == 302 and url("login") in response["Location"]


def edit_post(agreement, **overrides) -> dict:
    data = {
        "reference": agreement.reference,
        "kind": agreement.kind,
        "title_fr": agreement.title_fr,
        "title_ar": agreement.title_ar,
        "signed_on": agreement.signed_on.isoformat(),
        "total_amount": str(agreement.total_amount),
        "region": agreement.region_id or "",
        "province": agreement.province_id or "",
        "version": agreement.version,
    }
    data.update(overrides)
    return data


def test_agreement_edit_saves_and_bumps_the_version(client, admin, agreement):
    client.force_login(admin)
    page = page_text(client.get(url("agreement_edit", agreement.reference)))
    assert f'name="version" value="{agreement.version}"' in page
    response = client.post(
        url("agreement_edit", agreement.reference),
        edit_post(agreement, title_fr="Nouveau titre", total_amount="2000000"),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title_fr == "Nouveau titre" and agreement.total_amount == Decimal("2000000.00")
    assert agreement.version == 2


def test_agreement_total_below_commitments_is_refused(client, admin, partnership):
    agreement = partnership.agreement
    client.force_login(admin)
    response = client.post(
        url("agreement_edit", agreement.reference), edit_post(agreement, total_amount="100")
    )
    assert response.status_code == 200
    expected = message(
        "The partners have already committed %(committed)s; the total cannot be lower.",
        "fr",
        committed=format_amount(Decimal("400000.00"), "fr"),
    )
    assert expected in page_text(response)
    agreement.refresh_from_db()
    assert agreement.total_amount == Decimal("1000000.00") and agreement.version == 1


def test_concurrent_edit_is_refused_and_lists_what_changed(client, admin, agreement):
    client.force_login(admin)
    read_version = agreement.version
    # Someone else saves in between.
    services.agreement_update(
        Agreement.objects.get(pk=agreement.pk), expected_version=read_version, title_fr="Titre de l'autre"
    )
    response = client.post(
        url("agreement_edit", agreement.reference),
        edit_post(agreement, title_fr="Mon titre", version=read_version),
    )
    assert response.status_code == 200
    text = page_text(response)
    assert (
        message(
            "This record was changed by someone else since you opened it. Nothing was saved; reload it "
            "to see the current values.",
            "fr",
        )
        in text
    )
    assert "Titre de l'autre" in text and "Mon titre" in text
    assert f'name="version" value="{read_version + 1}"' in text  # saving again is now a deliberate choice
    agreement.refresh_from_db()
    assert agreement.title_fr == "Titre de l'autre"


def test_viewer_cannot_edit_an_agreement(client, agreement):
    client.force_login(member(Role.VIEWER))
    assert client.get(url("agreement_edit", agreement.reference)).status_code == 403
    response = client.post(
        url("agreement_edit", agreement.reference), edit_post(agreement, title_fr="Piraté")
    )
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.title_fr != "Piraté" and agreement.version == 1


def test_secretariat_of_another_province_cannot_edit(client, agreement):
    other = Province.objects.exclude(pk=agreement.province_id).first()
    client.force_login(member(Role.SECRETARIAT, province=other))
    assert client.get(url("agreement_edit", agreement.reference)).status_code == 403
    client.force_login(member(Role.SECRETARIAT, province=agreement.province))
    assert client.get(url("agreement_edit", agreement.reference)).status_code == 200


# --- status ------------------------------------------------------------------------------------------


def test_status_moves_forward_and_offers_next_statuses_only(client, admin, agreement):
    client.force_login(admin)
    page = page_text(client.get(url("agreement_status", agreement.reference)))
    assert 'value="in_execution"' in page and 'value="draft"' not in page
    response = client.post(
        url("agreement_status", agreement.reference), {"status": "in_execution", "version": agreement.version}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "in_execution"


def test_status_backwards_is_refused_with_the_rule_message(client, admin, agreement):
    client.force_login(admin)
    response = client.post(
        url("agreement_status", agreement.reference, language="ar"),
        {"status": "draft", "version": agreement.version},
    )
    assert response.status_code == 200
    with translation.override("ar"):
        labels = dict(Agreement.Status.choices)
        expected = message(
            "The status cannot go from “%(current)s” to “%(target)s”: it only moves forward.",
            "ar",
            current=str(labels["signed"]),
            target=str(labels["draft"]),
        )
    assert expected in page_text(response)
    agreement.refresh_from_db()
    assert agreement.status == "signed"


def test_suspension_needs_a_reason(client, admin, agreement):
    client.force_login(admin)
    response = client.post(
        url("agreement_status", agreement.reference),
        {"status": "suspended", "reason": " ", "version": agreement.version},
    )
    assert message("Say why: a suspension or a cancellation needs a reason.", "fr") in page_text(response)
    assert 'data-error-for="reason"' in page_text(response)
    agreement.refresh_from_db()
    assert agreement.status == "signed"
    response = client.post(
        url("agreement_status", agreement.reference),
        {"status": "suspended", "reason": "Retard du foncier", "version": agreement.version},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "suspended" and agreement.status_reason == "Retard du foncier"


# --- signatories -------------------------------------------------------------------------------------


def test_signatory_with_a_new_person(client, admin, agreement):
    client.force_login(admin)
    organisation = factories.organisation("Ministère test")
    response = client.post(
        url("signatory_add", agreement.reference),
        {
            "full_name_ar": "خالد أيت الطالب",
            "full_name_fr": "Khalid Ait Taleb",
            "role": "وزير الصحة والحماية الاجتماعية",
            "organisation": organisation.pk,
        },
    )
    assert response.status_code == 302
    signatory = Signatory.objects.get(agreement=agreement)
    assert signatory.person.full_name_ar == "خالد أيت الطالب" and signatory.person.title_ar.startswith("وزير")
    assert signatory.organisation == organisation and signatory.role == "وزير الصحة والحماية الاجتماعية"


def test_signatory_with_a_known_person_and_refusals(client, admin, agreement):
    client.force_login(admin)
    person = Person.objects.create(full_name_fr="Personne connue")
    partner = factories.partnership(agreement, committed=None)
    person.organisation = partner.organisation
    person.save()
    assert "Personne connue" in page_text(client.get(url("signatory_add", agreement.reference)))
    assert (
        client.post(
            url("signatory_add", agreement.reference), {"person": person.pk, "role": "Wali"}
        ).status_code
        == 302
    )
    response = client.post(url("signatory_add", agreement.reference), {"role": "Wali"})
    assert message(
        "Choose a person already known, or give the new person's name in Arabic or in French.", "fr"
    ) in page_text(response)
    assert Signatory.objects.filter(agreement=agreement).count() == 1
    assert Person.objects.count() == 1


# --- partnerships ------------------------------------------------------------------------------------


def test_partner_added_with_roles_and_an_unspecified_commitment(client, admin, agreement):
    client.force_login(admin)
    organisation = factories.organisation()
    response = client.post(
        url("partnership_add", agreement.reference),
        {
            "organisation": organisation.pk,
            "is_project_owner": "on",
            "is_technical_partner": "on",
            "committed_amount": "",
            "commitment_source": "",
        },
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(agreement=agreement, organisation=organisation)
    assert partnership.committed_amount is None
    assert partnership.is_project_owner and partnership.is_technical_partner and not partnership.is_funder


def test_over_commitment_is_refused_and_nothing_saved(client, admin, partnership):
    agreement = partnership.agreement
    client.force_login(admin)
    organisation = factories.organisation()
    response = client.post(
        url("partnership_add", agreement.reference),
        {"organisation": organisation.pk, "committed_amount": "700000", "is_funder": "on"},
    )
    assert response.status_code == 200
    expected = message(
        "The commitments would exceed the agreement's total of %(total)s; at most %(available)s is still "
        "unallocated.",
        "fr",
        total=format_amount(Decimal("1000000"), "fr"),
        available=format_amount(Decimal("600000"), "fr"),
    )
    assert expected in page_text(response)
    assert 'data-error-for="committed_amount"' in page_text(response)
    assert not Partnership.objects.filter(organisation=organisation).exists()


def test_partner_edit_with_version(client, admin, partnership):
    client.force_login(admin)
    data = {"committed_amount": "450000", "is_funder": "on", "version": partnership.version}
    assert client.post(url("partnership_edit", partnership.pk), data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.committed_amount == Decimal("450000.00") and partnership.version == 2
    response = client.post(url("partnership_edit", partnership.pk), {**data, "committed_amount": "1"})
    assert message(
        "This record was changed by someone else since you opened it. Nothing was saved; reload it "
        "to see the current values.",
        "fr",
    ) in page_text(response)
    partnership.refresh_from_db()
    assert partnership.committed_amount == Decimal("450000.00")


# --- schedule ----------------------------------------------------------------------------------------


def test_schedule_a_contribution_and_refuse_above_the_commitment(client, admin, partnership):
    client.force_login(admin)
    response = client.post(
        url("contribution_add", partnership.pk), {"due_on": "2025-06-30", "amount": "150000"}
    )
    assert response.status_code == 302
    assert ScheduledContribution.objects.get(partnership=partnership).amount == Decimal("150000.00")
    response = client.post(
        url("contribution_add", partnership.pk), {"due_on": "2026-06-30", "amount": "300000"}
    )
    assert response.status_code == 200
    assert 'data-error-for="amount"' in page_text(response)
    assert ScheduledContribution.objects.filter(partnership=partnership).count() == 1


def test_inline_schedule_form_under_htmx(client, admin, partnership):
    client.force_login(admin)
    refused = client.post(
        url("contribution_add", partnership.pk),
        {"due_on": "2026-06-30", "amount": "999999"},
        HTTP_HX_REQUEST="true",
    )
    text = page_text(refused)
    assert refused.status_code == 200 and text.lstrip().startswith("<form")  # the inline form alone
    assert f'id="schedule-{partnership.pk}"' in text and "<html" not in text
    saved = client.post(
        url("contribution_add", partnership.pk),
        {"due_on": "2026-06-30", "amount": "1000"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and saved["HX-Refresh"] == "true"
    assert ScheduledContribution.objects.filter(partnership=partnership).count() == 1


# --- transfers ---------------------------------------------------------------------------------------


def test_transfer_recorded_with_a_pdf_proof(client, admin, partnership):
    client.force_login(admin)
    proof = SimpleUploadedFile("avis de virement.html", pdf_bytes(), content_type="text/html")
    response = client.post(
        url("transfer_add", partnership.pk),
        {"transferred_on": "2024-05-02", "amount": "100000.00", "reference": "OV-2024-17", "proof": proof},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get(partnership=partnership)
    assert transfer.amount == Decimal("100000.00") and transfer.recorded_by == admin
    assert transfer.proof.name.endswith(".pdf") and "virement" not in transfer.proof.name  # named by content
    with transfer.proof.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")


@pytest.mark.parametrize("language,wording", [("fr", "Ce virement de"), ("ar", "هذا التحويل البالغ")])
def test_transfer_above_what_is_owed_is_refused_in_the_page_language(
    client, admin, partnership, language, wording
):
    services.transfer_record(
        partnership=partnership, transferred_on=date(2024, 4, 1), amount=Decimal("300000")
    )
    client.force_login(admin)
    response = client.post(
        url("transfer_add", partnership.pk, language=language),
        {"transferred_on": "2024-05-02", "amount": "150000"},
    )
    assert response.status_code == 200
    text = page_text(response)
    expected = message(
        "This transfer of %(amount)s is more than the %(owed)s this partner still owes.",
        language,
        amount=format_amount(Decimal("150000"), language),
        owed=format_amount(Decimal("100000"), language),
    )
    assert wording in expected and expected in text
    assert Transfer.objects.filter(partnership=partnership).count() == 1


def test_fake_png_proof_is_refused(client, admin, partnership):
    client.force_login(admin)
    fake = SimpleUploadedFile(
        "proof.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", content_type="image/png"
    )
    response = client.post(
        url("transfer_add", partnership.pk), {"transferred_on": "2024-05-02", "amount": "1000", "proof": fake}
    )
    assert response.status_code == 200
    assert message("This file is not a valid %(kind)s image.", "fr", kind="PNG") in page_text(response)
    assert 'data-error-for="proof"' in page_text(response)
    assert not Transfer.objects.exists()


def test_proof_of_21_megabytes_is_refused(client, admin, partnership):
    client.force_login(admin)
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024), content_type="application/pdf"
    )
    response = client.post(
        url("transfer_add", partnership.pk), {"transferred_on": "2024-05-02", "amount": "1000", "proof": big}
    )
    assert response.status_code == 200
    assert message(
        "This file is %(size)s MB; the limit is %(limit)s MB.", "fr", size="21.0", limit=20
    ) in page_text(response)
    assert not Transfer.objects.exists()


def test_html_proof_is_refused(client, admin, partnership):
    client.force_login(admin)
    page = SimpleUploadedFile("proof.pdf", b"<html><body>hello</body></html>", content_type="application/pdf")
    response = client.post(
        url("transfer_add", partnership.pk), {"transferred_on": "2024-05-02", "amount": "1000", "proof": page}
    )
    assert message(
        "This file type is not accepted here. Accepted: %(allowed)s.", "fr", allowed="JPEG, PDF, PNG"
    ) in page_text(response)
    assert not Transfer.objects.exists()


def test_focal_point_records_its_own_transfers_only(client, partnership):
    own = member(Role.FOCAL_POINT, organisation=partnership.organisation)
    other = member(Role.FOCAL_POINT, organisation=factories.organisation())
    data = {"transferred_on": "2024-05-02", "amount": "1000"}
    client.force_login(other)
    assert client.get(url("transfer_add", partnership.pk)).status_code == 403
    assert client.post(url("transfer_add", partnership.pk), data).status_code == 403
    assert not Transfer.objects.exists()
    # …nor edit the partnership or its schedule.
    assert (
        client.post(
            url("contribution_add", partnership.pk), {"due_on": "2025-01-01", "amount": "1"}
        ).status_code
        == 403
    )
    client.force_login(own)
    assert client.post(url("transfer_add", partnership.pk), data).status_code == 302
    assert Transfer.objects.get().recorded_by == own
    assert client.get(url("partnership_edit", partnership.pk)).status_code == 403


def test_future_transfer_date_is_refused(client, admin, partnership):
    client.force_login(admin)
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(url("transfer_add", partnership.pk), {"transferred_on": tomorrow, "amount": "10"})
    assert message("This date is in the future: it cannot have happened yet.", "fr") in page_text(response)
    assert not Transfer.objects.exists()


# --- the agreement page's tools ----------------------------------------------------------------------


def test_agreement_page_loads_the_tools_and_they_follow_permissions(client, admin, partnership):
    agreement = partnership.agreement
    other_partner = factories.partnership(agreement, committed="100000.00")
    client.force_login(admin)
    page = page_text(client.get(url("agreement", agreement.reference)))
    assert url("agreement_tools", agreement.reference) in page
    tools = page_text(client.get(url("agreement_tools", agreement.reference)))
    assert (
        url("agreement_edit", agreement.reference) in tools
        and url("project_add", agreement.reference) in tools
    )
    assert f'id="transfer-{partnership.pk}"' in tools and f'id="schedule-{other_partner.pk}"' in tools
    assert 'data-hx-post="' in tools and "X-CSRFToken" in tools

    client.force_login(member(Role.FOCAL_POINT, organisation=partnership.organisation))
    tools = page_text(client.get(url("agreement_tools", agreement.reference)))
    assert url("agreement_edit", agreement.reference) not in tools
    assert f'id="transfer-{partnership.pk}"' in tools
    assert f'id="transfer-{other_partner.pk}"' not in tools and "schedule-" not in tools

    client.force_login(member(Role.VIEWER))
    tools = page_text(client.get(url("agreement_tools", agreement.reference)))
    assert "<form" not in tools and url("agreement_edit", agreement.reference) not in tools


def test_a_secretariat_attaches_an_amendment_only_to_an_agreement_of_its_scope(client, reference):
    from shiraka.territory.models import Province

    home, away = Province.objects.get(code="09.273"), Province.objects.get(code="10.261")
    elsewhere = factories.agreement(total="1000000.00", province=away, region=away.region)
    client.force_login(member("secretariat", province=home, region=home.region))
    response = client.post(
        url("agreement_create"),
        {
            "reference": "AV-1",
            "kind": "amendment",
            "parent_reference": elsewhere.reference,
            "title_fr": "Avenant",
            "status": "draft",
            "region": home.region.pk,
            "province": home.pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["parent_reference"]
    assert [error.code for error in errors] == ["parent_out_of_scope"]
    assert not Agreement.objects.filter(reference="AV-1").exists()


def test_a_text_area_has_a_length_limit_with_a_clear_message(client, reference):
    from shiraka.web.editing.forms.agreements import AgreementForm

    client.force_login(member("administrator"))
    agreement = factories.agreement(total="1000000.00")
    data = {key: value for key, value in AgreementForm.initial_for(agreement).items() if value is not None}
    data.update(version=agreement.version, object_fr="x" * 100_000)
    response = client.post(url("agreement_edit", agreement.reference), data)
    assert response.status_code == 200
    assert "10000" in " ".join(response.context["form"].errors["object_fr"])
    agreement.refresh_from_db()
    assert agreement.object_fr == ""
