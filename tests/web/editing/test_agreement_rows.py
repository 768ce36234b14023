"""Edit and Remove on the rows of the agreement page (signatories, attendees, partners, schedule lines):
the links show only to those who may use them; an accepted POST changes the database and answers with
a redirect (or HX-Refresh under htmx); a refused one shows the rule's message next to the field (or on
top of the confirmation) and changes nothing."""

from datetime import date
from decimal import Decimal

import pytest

from shiraka.accounts.models import Membership
from shiraka.agreements import services
from shiraka.agreements.models import Partnership, ScheduledContribution, Signatory, SigningAttendee
from shiraka.territory.models import Province
from tests import factories
from tests.factories import member, message, page_text, url

pytestmark = pytest.mark.django_db
Role = Membership.Role
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin(reference):
    return member(Role.ADMINISTRATOR, username="admin-user")


@pytest.fixture
def rows(reference):
    province = Province.objects.select_related("region").order_by("code").first()
    agreement = factories.agreement(total="1000000.00", province=province, region=province.region)
    share = factories.partnership(agreement, committed="400000.00")
    spare = factories.partnership(agreement, committed="100000.00")
    return {
        "agreement": agreement,
        "share": share,
        "spare": spare,
        "signatory": services.signatory_add_with_person(
            agreement=agreement, full_name_fr="M. Délégué", role="Délégué provincial"
        ),
        "attendee": services.attendee_add(agreement=agreement, description="En présence du gouverneur"),
        "line": services.contribution_schedule(partnership=share, due_on=date(2024, 6, 30), amount="300000"),
    }


def row_urls(rows) -> dict[str, str]:
    return {
        "signatory_edit": url("signatory_edit", rows["signatory"].pk),
        "signatory_remove": url("signatory_remove", rows["signatory"].pk),
        "attendee_edit": url("attendee_edit", rows["attendee"].pk),
        "attendee_remove": url("attendee_remove", rows["attendee"].pk),
        "partnership_edit": url("partnership_edit", rows["share"].pk),
        "partnership_remove": url("partnership_remove", rows["share"].pk),
        "contribution_edit": url("contribution_edit", rows["line"].pk),
        "contribution_remove": url("contribution_remove", rows["line"].pk),
    }


# --- who sees the links ---------------------------------------------------------------------------------


def test_the_links_show_to_the_agreement_editors_only(client, admin, rows):
    agreement = rows["agreement"]
    province = agreement.province
    elsewhere = Province.objects.exclude(region=province.region).first()
    editors = [admin, member(Role.SECRETARIAT, province=province, region=province.region)]
    others = [
        member(Role.SECRETARIAT, province=elsewhere, region=elsewhere.region),
        member(Role.VIEWER, organisation=rows["share"].organisation),
        member(Role.FOCAL_POINT, organisation=rows["share"].organisation),
    ]
    for user in editors + others:
        client.force_login(user)
        text = page_text(client.get(url("agreement", agreement.reference)))
        for name, link in row_urls(rows).items():
            if name == "partnership_edit":
                continue  # the partner's Edit link also sits in the edit tools, loaded separately
            assert (f'href="{link}"' in text) is (user in editors), (user.username, name)
        assert (f'data-hx-get="{row_urls(rows)["signatory_remove"]}"' in text) is (user in editors)


def test_the_forms_are_refused_to_others(client, rows):
    client.force_login(member(Role.VIEWER, organisation=rows["share"].organisation))
    for name, link in row_urls(rows).items():
        assert client.get(link).status_code == 403, name
    response = client.post(url("signatory_remove", rows["signatory"].pk), {"version": 1})
    assert response.status_code == 403 and Signatory.objects.filter(pk=rows["signatory"].pk).exists()


# --- edits ----------------------------------------------------------------------------------------------


def test_a_signatory_is_edited_on_its_page(client, admin, rows):
    client.force_login(admin)
    row = rows["signatory"]
    page = client.get(url("signatory_edit", row.pk))
    assert page.status_code == 200 and "Délégué provincial" in page_text(page)
    response = client.post(
        url("signatory_edit", row.pk),
        {"version": 1, "person": row.person_id, "role": "Gouverneur", "presided": "on"},
    )
    assert response.status_code == 302 and response["Location"] == url(
        "agreement", rows["agreement"].reference
    )
    row.refresh_from_db()
    assert (row.role, row.presided, row.version) == ("Gouverneur", True, 2)
    assert row.history.first().history_user == admin


def test_an_edit_form_opens_and_saves_inline_under_htmx(client, admin, rows):
    client.force_login(admin)
    row = rows["attendee"]
    form = page_text(client.get(url("attendee_edit", row.pk), **HTMX))
    assert form.lstrip().startswith("<form") and f'id="edit-attendee-{row.pk}"' in form
    assert "<html" not in form and "En présence du gouverneur" in form
    refused = client.post(url("attendee_edit", row.pk), {"version": 1, "description": ""}, **HTMX)
    text = page_text(refused)
    assert refused.status_code == 200 and 'data-error-for="description"' in text and "<html" not in text
    saved = client.post(
        url("attendee_edit", row.pk), {"version": 1, "description": "En présence du wali"}, **HTMX
    )
    assert saved.status_code == 200 and saved["HX-Refresh"] == "true"
    assert SigningAttendee.objects.get(pk=row.pk).description == "En présence du wali"


def test_a_schedule_line_above_the_commitment_is_refused_next_to_the_amount(client, admin, rows):
    client.force_login(admin)
    line = rows["line"]
    response = client.post(
        url("contribution_edit", line.pk), {"version": 1, "due_on": "2024-06-30", "amount": "400000.01"}
    )
    text = page_text(response)
    assert response.status_code == 200 and 'data-error-for="amount"' in text
    assert message("Nothing was saved.", "fr") in text
    line.refresh_from_db()
    assert (line.amount, line.version) == (Decimal("300000.00"), 1)
    response = client.post(
        url("contribution_edit", line.pk), {"version": 1, "due_on": "2024-07-31", "amount": "400 000"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.due_on, line.amount, line.version) == (date(2024, 7, 31), Decimal("400000.00"), 2)


def test_an_edit_of_a_row_changed_since_it_was_read_is_refused(client, admin, rows):
    client.force_login(admin)
    row = rows["signatory"]
    services.signatory_update(row, expected_version=1, role="Wali")
    response = client.post(
        url("signatory_edit", row.pk), {"version": 1, "person": row.person_id, "role": "Gouverneur"}
    )
    text = page_text(response)
    assert response.status_code == 200 and "alert-danger" in text and "Wali" in text
    assert Signatory.objects.get(pk=row.pk).role == "Wali"


# --- removals -------------------------------------------------------------------------------------------


def test_a_signatory_is_removed_after_a_confirmation_page(client, admin, rows):
    client.force_login(admin)
    row = rows["signatory"]
    confirm = client.get(url("signatory_remove", row.pk))
    assert (
        confirm.status_code == 200 and Signatory.objects.filter(pk=row.pk).exists()
    )  # a GET removes nothing
    assert 'name="version"' in page_text(confirm)
    response = client.post(url("signatory_remove", row.pk), {"version": 1})
    assert response.status_code == 302 and response["Location"] == url(
        "agreement", rows["agreement"].reference
    )
    assert not Signatory.objects.filter(pk=row.pk).exists()


def test_a_schedule_line_and_a_partner_are_removed_inline_under_htmx(client, admin, rows):
    client.force_login(admin)
    line, spare = rows["line"], rows["spare"]
    confirm = page_text(client.get(url("contribution_remove", line.pk), **HTMX))
    assert confirm.lstrip().startswith("<form") and f'id="remove-contribution-{line.pk}"' in confirm
    removed = client.post(url("contribution_remove", line.pk), {"version": 1}, **HTMX)
    assert removed.status_code == 200 and removed["HX-Refresh"] == "true"
    assert not ScheduledContribution.objects.filter(pk=line.pk).exists()
    removed = client.post(url("partnership_remove", spare.pk), {"version": 1}, **HTMX)
    assert removed.status_code == 200 and removed["HX-Refresh"] == "true"
    assert not Partnership.objects.filter(pk=spare.pk).exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_partner_with_money_rows_stays_and_the_confirmation_says_why(client, admin, rows, htmx):
    client.force_login(admin)
    share = rows["share"]
    response = client.post(url("partnership_remove", share.pk), {"version": 1}, **(HTMX if htmx else {}))
    text = page_text(response)
    assert response.status_code == 200 and "alert-danger" in text
    wording = message("This partner has a schedule of contributions: remove its schedule lines first.", "fr")
    assert wording in text and ("<html" in text) is not htmx
    assert Partnership.objects.filter(pk=share.pk).exists()


def test_a_removal_of_a_row_changed_since_it_was_read_is_refused(client, admin, rows):
    client.force_login(admin)
    row = rows["attendee"]
    services.attendee_update(row, expected_version=1, description="En présence du wali")
    response = client.post(url("attendee_remove", row.pk), {"version": 1})
    assert response.status_code == 200 and "alert-danger" in page_text(response)
    assert SigningAttendee.objects.filter(pk=row.pk).exists()
    # The confirmation now carries the version saved: confirming again, knowingly, removes the row.
    assert client.post(url("attendee_remove", row.pk), {"version": 2}).status_code == 302
    assert not SigningAttendee.objects.filter(pk=row.pk).exists()


def test_the_arabic_page_shows_the_refusal_in_arabic(client, admin, rows):
    client.force_login(admin)
    response = client.post(url("partnership_remove", rows["share"].pk, language="ar"), {"version": 1})
    wording = message("This partner has a schedule of contributions: remove its schedule lines first.", "ar")
    assert response.status_code == 200 and wording in page_text(response)
