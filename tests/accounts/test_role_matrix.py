"""Who may write what, over HTTP (issue 5, point 3; DESIGN.md §2 "accounts", as shiraka.accounts.access
implements it).

Every write action reachable over HTTP × every role. An allowed POST is accepted (a redirect, no form
error) and changes exactly what it should; a refused one answers 403 (the anonymous visitor: the login
page) and changes NOTHING: row counts of every model an action may write and the version and edited
fields of the records are compared before and after. Each edit form is also fetched first: 200 for
whoever may use it, 403 (or the login page) for the others. Then the file downloads, and what
anonymous visitors may see."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver

from shiraka.accounts.models import Membership
from shiraka.agreements import services as agreement_services
from shiraka.followup import services as followup_services
from shiraka.projects import services as project_services
from shiraka.web import urls as web_urls
from shiraka.web.editing.forms import agreements as agreement_forms
from shiraka.web.editing.forms import projects as project_forms
from tests.factories import INEZGANE, page_text, review_forms, sheet_headers, url

from .world import (
    ADMINISTRATOR,
    ANONYMOUS,
    FOCAL_POINT_OTHER,
    FOCAL_POINT_OWN,
    PROJECT_EDITOR_OTHER,
    PROJECT_EDITOR_OWN,
    ROLES,
    SECRETARIAT_IN,
    SECRETARIAT_OUT,
    VIEWER,
    World,
    build_world,
    form_data,
    photo_upload,
    proof_upload,
    stored_photo,
    stored_proof,
    user_for,
)

pytestmark = pytest.mark.django_db

# --- the policy at a glance --------------------------------------------------------------------------
#
# Agreements, their signatories, partners, schedules and committees: administrators and the secretariat
# whose territory covers the agreement. Transfers: those, and the focal point of the paying partner.
# Projects, milestones, progress, contracts, payments, funding: those, and the project editor of the
# organisation that owns (or is delegated) the project. Viewers and other organisations: nothing.

AGREEMENT_KEEPERS = frozenset({ADMINISTRATOR, SECRETARIAT_IN})
TRANSFER_RECORDERS = AGREEMENT_KEEPERS | {FOCAL_POINT_OWN}
PROJECT_TEAM = AGREEMENT_KEEPERS | {PROJECT_EDITOR_OWN}

ALLOWED: dict[str, frozenset[str]] = {
    # agreements
    "agreement_create": AGREEMENT_KEEPERS,
    "agreement_edit": AGREEMENT_KEEPERS,
    "agreement_status": AGREEMENT_KEEPERS,
    "signatory_add": AGREEMENT_KEEPERS,
    "partnership_add": AGREEMENT_KEEPERS,
    "partnership_edit": AGREEMENT_KEEPERS,
    "contribution_add": AGREEMENT_KEEPERS,
    "transfer_add": TRANSFER_RECORDERS,
    "transfer_cancel": TRANSFER_RECORDERS,
    "signatory_edit": AGREEMENT_KEEPERS,
    "signatory_remove": AGREEMENT_KEEPERS,
    "attendee_edit": AGREEMENT_KEEPERS,
    "attendee_remove": AGREEMENT_KEEPERS,
    "partnership_remove": AGREEMENT_KEEPERS,
    "contribution_edit": AGREEMENT_KEEPERS,
    "contribution_remove": AGREEMENT_KEEPERS,
    "extraction_create": AGREEMENT_KEEPERS,
    # the import page opens to whoever may write something; each row is authorised like its form
    "exchange_import": TRANSFER_RECORDERS,
    # projects
    "project_add": AGREEMENT_KEEPERS,
    "project_manage": PROJECT_TEAM,  # the project's edit page (GET only)
    "project_edit": PROJECT_TEAM,
    "project_status": PROJECT_TEAM,
    "funding_add": PROJECT_TEAM,
    "milestone_add": PROJECT_TEAM,
    "milestone_achieve": PROJECT_TEAM,
    "progress_add": PROJECT_TEAM,
    "contract_add": PROJECT_TEAM,
    "payment_add": PROJECT_TEAM,
    "payment_cancel": PROJECT_TEAM,
    "funding_edit": PROJECT_TEAM,
    "funding_remove": PROJECT_TEAM,
    "milestone_edit": PROJECT_TEAM,
    "milestone_remove": PROJECT_TEAM,
    "progress_edit": PROJECT_TEAM,
    "progress_remove": PROJECT_TEAM,
    "photo_remove": PROJECT_TEAM,
    "contract_edit": PROJECT_TEAM,
    "contract_remove": PROJECT_TEAM,
    # follow-up
    "committee_create": AGREEMENT_KEEPERS,
    "committee_member_add": AGREEMENT_KEEPERS,
    "meeting_create": AGREEMENT_KEEPERS,
    "meeting_minutes_edit": AGREEMENT_KEEPERS,
    "decision_create": AGREEMENT_KEEPERS,
    "decision_status": AGREEMENT_KEEPERS,
    "committee_member_edit": AGREEMENT_KEEPERS,
    "committee_member_remove": AGREEMENT_KEEPERS,
    "meeting_edit": AGREEMENT_KEEPERS,
    "meeting_remove": AGREEMENT_KEEPERS,
    "decision_edit": AGREEMENT_KEEPERS,
    "decision_remove": AGREEMENT_KEEPERS,
    # users: administrators, and the secretariat for the users of its own scope
    "person_new": AGREEMENT_KEEPERS,
    "person_edit": AGREEMENT_KEEPERS,
    "person_deactivate": AGREEMENT_KEEPERS,
}

# A secretariat out of scope may register agreements and committees in its own territory: it may open
# those forms; submitting one for our province is refused. Where the territory is a field of the form
# (agreement, extraction), the refusal is a message on the form (nothing saved); the committee form
# answers 403 once it sees the agreements followed.
FORM_OPEN_TO = {
    "agreement_create": {SECRETARIAT_OUT},
    "extraction_create": {SECRETARIAT_OUT},
    "committee_create": {SECRETARIAT_OUT},
    "person_new": {SECRETARIAT_OUT},
    "exchange_import": {SECRETARIAT_OUT, FOCAL_POINT_OTHER, PROJECT_EDITOR_OWN, PROJECT_EDITOR_OTHER},
}
REFUSED_ON_THE_FORM = {
    *(
        ("exchange_import", role)
        for role in (SECRETARIAT_OUT, FOCAL_POINT_OTHER, PROJECT_EDITOR_OWN, PROJECT_EDITOR_OTHER)
    ),
    ("agreement_create", SECRETARIAT_OUT),
    ("extraction_create", SECRETARIAT_OUT),
    ("person_new", SECRETARIAT_OUT),
}
# A user out of a secretariat's scope does not exist for it (404, as a missing one); the roles that
# manage no user at all are refused (403).
REFUSED_AS_MISSING = {("person_edit", SECRETARIAT_OUT), ("person_deactivate", SECRETARIAT_OUT)}

# URL names that only read (no POST accepted or no write done): checked by test_every_write_url_is_in_the_matrix.
READ_ONLY_URLS = {
    "agreement_tools",
    "commune_options",
    "alerts",
    "committees",
    "committee",
    "meeting",
    "meeting_minutes_pdf",
    "dashboard",
    "agreements",
    "agreement",
    "projects",
    "project",
    "organisation",
    "region",
    "province",
    "progress_photo",
    "transfer_proof",
    "meeting_scan",
    "login",
    "logout",
    "people",
    "person_first_login",  # shows a link made on request, writes nothing (tests/accounts/test_people.py)
    "password_reset_confirm",  # the first-login link: its token is the right
    "password_reset_complete",
    "password_forgotten",  # sends an e-mail, writes nothing (tests/production/test_sessions_and_events.py)
    "password_forgotten_sent",
    # The public portal (tests/web/portal): reading pages and files, GET only.
    "portal",
    "map",
    "equity",
    "open_data",
    "open_data_iati",
    "provinces_geojson",
    "status_report",  # a PDF for members only (tests/web/pages/test_reports.py)
    "programme",
    # Import templates, the import's own report and progress (its uploader only), exports of the lists.
    "import_template",
    "import_job",
    "import_progress",
    "export",
    "export_transfers",
    "export_commitments",
}
# Each user's own API tokens (any signed-in user, on their own tokens only): tests/accounts/test_api_tokens.py.
OWN_ACCOUNT_URLS = {"api_tokens", "api_token_revoke"}
# URLs reached by an action of the matrix after its first request.
SECOND_STEPS = {"extract_review": "extraction_create", "import_confirm": "exchange_import"}


# --- the actions ---------------------------------------------------------------------------------------

ANY = object()  # an expected change that this table does not pin (e.g. rows the extraction may add)


@dataclass
class Action:
    url_name: str
    target: Callable[[World], tuple] = lambda w: ()  # the URL's arguments
    data: Callable[[World], dict] | None = None  # None: a page without a POST
    # What an accepted POST changes: an int is a row-count or version delta, anything else the new value;
    # every other counted row or watched field must stay as it was.
    changes: dict = field(default_factory=dict)
    form_page: bool = True  # the URL shows the form on GET
    perform: Callable | None = None  # a custom submission (several requests)

    def path(self, world: World) -> str:
        return url(self.url_name, *self.target(world))


def agreement_post(world: World) -> dict:
    return {
        "reference": "NEW-2024-001",
        "kind": "partnership",
        "title_ar": "اتفاقية شراكة",
        "title_fr": "Convention nouvelle",
        "signed_on": "2024-03-01",
        "start_on": "2024-03-01",
        "end_on": "2027-12-31",
        "total_amount": "1500000.00",
        "status": "signed",
        "region": world.province.region_id,
        "province": world.province.pk,
    }


def agreement_edit_post(world: World) -> dict:
    data = form_data(agreement_forms.AgreementForm.initial_for(world.agreement))
    data["title_fr"] = "Convention révisée"
    return data


def partnership_edit_post(world: World) -> dict:
    data = form_data(agreement_forms.PartnershipEditForm.initial_for(world.partnership))
    data["committed_amount"] = "450000.00"
    return data


def project_post(world: World) -> dict:
    return {
        "reference": "P-NEW",
        "title_fr": "Hôpital de proximité",
        "title_ar": "مستشفى القرب",
        "category": "proximity_hospital",
        "province": world.province.pk,
        "budget": "250000",
        "owner": world.own.pk,
        "planned_start": "2024-01-01",
        "planned_end": "2026-12-31",
    }


def project_edit_post(world: World) -> dict:
    data = form_data(project_forms.ProjectForm.initial_for(world.project))
    data["title_fr"] = "Centre de santé rénové"
    return data


def managed_user(world: World):
    """The user the people actions change: a viewer of the world's province."""
    user, created = get_user_model().objects.get_or_create(username="matrix-managed")
    if created:
        Membership.objects.create(
            user=user, role=Membership.Role.VIEWER, province=world.province, region=world.province.region
        )
    return user


def person_post(world: World) -> dict:
    return {
        "username": "matrix-new",
        "first_name": "Nadia",
        "email": "nadia@example.ma",
        "organisation": world.own.pk,
        "role": "focal_point",
        "region": world.province.region_id,
        "province": world.province.pk,
    }


def import_perform(client, world: World):
    """Upload a transfer of the own partner as a CSV file, then confirm the checked import."""
    headers = sheet_headers("transfers", ["agreement", "organisation", "transferred_on", "amount"])
    row = [world.agreement.reference, world.own.name_fr, "01/03/2024", "1 000"]
    content = ("\n".join([",".join(headers), ",".join(row)]) + "\n").encode()
    response = client.post(url("import"), {"file": SimpleUploadedFile("virements.csv", content)})
    if response.status_code != 302 or is_login_redirect(response):
        return response
    job_page = client.get(response["Location"])
    if "data-refusal" in page_text(job_page):
        return job_page
    return client.post(response["Location"] + "confirm/")


def extraction_perform(client, world: World):
    """Paste the Inezgane text, then confirm its second agreement as the review page pre-fills it."""
    response = client.post(url("extract"), {"text": INEZGANE})
    if response.status_code != 302 or is_login_redirect(response):
        return response
    review_url = response["Location"]
    page = client.get(review_url)
    assert page.status_code == 200
    return client.post(review_url, review_forms(page.content.decode())[1])


ACTIONS: dict[str, Action] = {
    "agreement_create": Action("agreement_create", data=agreement_post, changes={"Agreement": 1}),
    "agreement_edit": Action(
        "agreement_edit",
        lambda w: (w.agreement.reference,),
        agreement_edit_post,
        {"agreement.version": 1, "agreement.title_fr": "Convention révisée"},
    ),
    "agreement_status": Action(
        "agreement_status",
        lambda w: (w.agreement.reference,),
        lambda w: {"status": "in_execution", "reason": "", "version": w.agreement.version},
        {"agreement.version": 1, "agreement.status": "in_execution"},
    ),
    "signatory_add": Action(
        "signatory_add",
        lambda w: (w.agreement.reference,),
        lambda w: {"full_name_fr": "Nouveau Signataire", "role": "Gouverneur", "organisation": w.own.pk},
        {"Signatory": 1, "Person": 1},
    ),
    "partnership_add": Action(
        "partnership_add",
        lambda w: (w.agreement.reference,),
        lambda w: {"organisation": w.third.pk, "is_funder": "on", "committed_amount": "100000.00"},
        {"Partnership": 1},
    ),
    "partnership_edit": Action(
        "partnership_edit",
        lambda w: (w.partnership.pk,),
        partnership_edit_post,
        {"partnership.version": 1, "partnership.committed_amount": ANY},
    ),
    "contribution_add": Action(
        "contribution_add",
        lambda w: (w.partnership.pk,),
        lambda w: {"due_on": "2024-06-30", "amount": "100000.00", "note": "première tranche"},
        {"ScheduledContribution": 1},
    ),
    "transfer_add": Action(
        "transfer_add",
        lambda w: (w.partnership.pk,),
        lambda w: {
            "transferred_on": "2024-07-01",
            "amount": "50000.00",
            "reference": "VIR-2024-1",
            "proof": proof_upload(),
        },
        {"Transfer": 1},
    ),
    "transfer_cancel": Action(
        "transfer_cancel",
        lambda w: (w.transfer.pk,),
        lambda w: {"version": w.transfer.version, "cancellation_reason": "Saisi deux fois"},
        {
            "transfer.version": 1,
            "transfer.cancelled_at": ANY,
            "transfer.cancellation_reason": "Saisi deux fois",
        },
    ),
    # Corrections of the agreement's rows: who may add may edit and remove.
    "signatory_edit": Action(
        "signatory_edit",
        lambda w: (w.signatory.pk,),
        lambda w: {"version": w.signatory.version, "person": w.signatory.person_id, "role": "Wali"},
        {"signatory.version": 1, "signatory.role": "Wali"},
    ),
    "signatory_remove": Action(
        "signatory_remove",
        lambda w: (w.spare_signatory.pk,),
        lambda w: {"version": w.spare_signatory.version},
        {"Signatory": -1},
    ),
    "attendee_edit": Action(
        "attendee_edit",
        lambda w: (w.attendee.pk,),
        lambda w: {"version": w.attendee.version, "description": "En présence du wali"},
        {"attendee.version": 1, "attendee.description": "En présence du wali"},
    ),
    "attendee_remove": Action(
        "attendee_remove",
        lambda w: (w.spare_attendee.pk,),
        lambda w: {"version": w.spare_attendee.version},
        {"SigningAttendee": -1},
    ),
    "partnership_remove": Action(
        "partnership_remove",
        lambda w: (w.other_partnership.pk,),  # no money row, no funding, no amendment: removable
        lambda w: {"version": w.other_partnership.version},
        {"Partnership": -1},
    ),
    "contribution_edit": Action(
        "contribution_edit",
        lambda w: (w.contribution.pk,),
        lambda w: {"version": w.contribution.version, "due_on": "2024-06-30", "amount": "60000.00"},
        {"contribution.version": 1, "contribution.amount": Decimal("60000.00")},
    ),
    "contribution_remove": Action(
        "contribution_remove",
        lambda w: (w.spare_contribution.pk,),
        lambda w: {"version": w.spare_contribution.version},
        {"ScheduledContribution": -1},
    ),
    "payment_cancel": Action(
        "payment_cancel",
        lambda w: (w.payment.pk,),
        lambda w: {"version": w.payment.version, "cancellation_reason": "Décompte erroné"},
        {"payment.version": 1, "payment.cancelled_at": ANY, "payment.cancellation_reason": "Décompte erroné"},
    ),
    "extraction_create": Action(
        "extract",
        perform=extraction_perform,
        changes={
            "Agreement": 1,
            "Partnership": ANY,
            "Signatory": ANY,
            "SigningAttendee": ANY,
            "Person": ANY,
            "Project": ANY,
        },
    ),
    "exchange_import": Action("import", perform=import_perform, changes={"Transfer": 1}),
    "project_add": Action("project_add", lambda w: (w.agreement.reference,), project_post, {"Project": 1}),
    "project_manage": Action("project_manage", lambda w: (w.project.reference,)),
    "project_edit": Action(
        "project_edit",
        lambda w: (w.project.reference,),
        project_edit_post,
        {"project.version": 1, "project.title_fr": "Centre de santé rénové"},
    ),
    "project_status": Action(
        "project_status",
        lambda w: (w.project.reference,),
        lambda w: {"status": "studies", "reason": "", "version": w.project.version},
        {"project.version": 1, "project.status": "studies"},
    ),
    "funding_add": Action(
        "funding_add",
        lambda w: (w.project.reference,),
        lambda w: {"organisation": w.other.pk, "amount": "100000.00"},
        {"ProjectFunding": 1},
    ),
    "milestone_add": Action(
        "milestone_add",
        lambda w: (w.project.reference,),
        lambda w: {"kind": "tender", "planned_on": "2025-01-15"},
        {"Milestone": 1},
    ),
    "milestone_achieve": Action(
        "milestone_achieve",
        lambda w: (w.milestone.pk,),
        lambda w: {"achieved_on": "2024-05-02", "version": w.milestone.version},
        {"milestone.version": 1, "milestone.achieved_on": date(2024, 5, 2)},
    ),
    "progress_add": Action(
        "progress_add",
        lambda w: (w.project.reference,),
        lambda w: {
            "reported_on": "2024-05-02",
            "physical_progress": "30",
            "note": "Gros œuvre",
            "photos": photo_upload(),
        },
        {"ProgressUpdate": 1, "ProgressPhoto": 1, "project.version": 1},
    ),
    "contract_add": Action(
        "contract_add",
        lambda w: (w.project.reference,),
        lambda w: {
            "kind": "goods",
            "contractor_name": "Équipements SA",
            "amount": "50000.00",
            "signed_on": "2024-02-01",
        },
        {"Contract": 1},
    ),
    "payment_add": Action(
        "payment_add",
        lambda w: (w.contract.pk,),
        lambda w: {"paid_on": "2024-03-01", "amount": "10000.00", "reference": "OP-1"},
        {"Payment": 1},
    ),
    # Corrections of the project's rows: who may add may edit and remove.
    "funding_edit": Action(
        "funding_edit",
        lambda w: (w.funding.pk,),
        lambda w: {"amount": "60000.00", "version": w.funding.version},
        {"funding.version": 1, "funding.amount": Decimal("60000.00")},
    ),
    "funding_remove": Action(
        "funding_remove",
        lambda w: (w.spare_funding.pk,),
        lambda w: {"version": w.spare_funding.version},
        {"ProjectFunding": -1},
    ),
    "milestone_edit": Action(
        "milestone_edit",
        lambda w: (w.milestone.pk,),
        lambda w: {
            "kind": "studies",
            "planned_on": "2024-04-01",
            "achieved_on": "2024-05-02",
            "version": w.milestone.version,
        },
        {"milestone.version": 1, "milestone.achieved_on": date(2024, 5, 2)},
    ),
    "milestone_remove": Action(
        "milestone_remove",
        lambda w: (w.spare_milestone.pk,),
        lambda w: {"version": w.spare_milestone.version},
        {"Milestone": -1},
    ),
    "progress_edit": Action(
        "progress_edit",
        lambda w: (w.progress.pk,),
        lambda w: {"note": "Fondations coulées", "version": w.progress.version},
        {"progress.version": 1, "progress.note": "Fondations coulées"},
    ),
    "progress_remove": Action(
        "progress_remove",
        lambda w: (w.spare_progress.pk,),  # not the latest: the project's progress stays
        lambda w: {"version": w.spare_progress.version},
        {"ProgressUpdate": -1, "ProgressPhoto": -1},
    ),
    "photo_remove": Action(
        "photo_remove",
        lambda w: (w.spare_progress.photos.get().pk,),
        lambda w: {"version": 1},
        {"ProgressPhoto": -1},
    ),
    "contract_edit": Action(
        "contract_edit",
        lambda w: (w.contract.pk,),
        lambda w: {
            "kind": "works",
            "contractor_name": "Entreprise du Souss",
            "amount": "190000.00",
            "signed_on": "2024-01-20",
            "version": w.contract.version,
        },
        {"contract.version": 1, "contract.amount": Decimal("190000.00")},
    ),
    "contract_remove": Action(
        "contract_remove",
        lambda w: (w.spare_contract.pk,),  # no payment: removable
        lambda w: {"version": w.spare_contract.version},
        {"Contract": -1},
    ),
    "committee_create": Action(
        "committee_new",
        data=lambda w: {
            "kind": "supervision",
            "name_fr": "Comité technique",
            "province": w.province.pk,
            "agreement_references": w.agreement.reference,
            "partners_as_members": "on",
        },
        changes={"Committee": 1, "CommitteeMember": 2},
    ),
    "committee_member_add": Action(
        "committee_member_new",
        lambda w: (w.committee.pk,),
        lambda w: {"full_name_fr": "Mme Membre", "role": "rapporteuse"},
        {"CommitteeMember": 1, "Person": 1},
    ),
    "meeting_create": Action(
        "meeting_new",
        lambda w: (w.committee.pk,),
        lambda w: {
            "held_on": "2024-06-03",
            "place": "Inezgane",
            "agenda": "1. Avancement",
            "attendees": [str(m.pk) for m in w.committee.members.order_by("pk")],
        },
        {"Meeting": 1, "Attendance": 2},
    ),
    "meeting_minutes_edit": Action(
        "meeting_minutes_edit",
        lambda w: (w.meeting.pk,),
        lambda w: {
            "version": w.meeting.version,
            "place": "Inezgane",
            "agenda": "1. Avancement",
            "minutes": "Le comité a examiné l'avancement.",
            "minutes_scan": proof_upload("pv-signe.pdf"),
        },
        {
            "meeting.version": 1,
            "meeting.minutes": "Le comité a examiné l'avancement.",
            "meeting.minutes_scan": ANY,
        },
    ),
    "decision_create": Action(
        "decision_new",
        lambda w: (w.committee.pk,),
        lambda w: {
            "text": "Relancer le conseil provincial",
            "responsible": w.other.pk,
            "due_on": "2025-01-31",
        },
        {"Decision": 1},
    ),
    # The decision's page is open to every signed-in user; the status form on it is the write.
    "decision_status": Action(
        "decision",
        lambda w: (w.decision.pk,),
        lambda w: {"status": "in_progress", "on": "2024-06-03", "version": w.decision.version},
        {"decision.version": 1, "decision.status": "in_progress"},
        form_page=False,
    ),
    # Corrections of the follow-up record: who may add may edit and remove.
    "committee_member_edit": Action(
        "committee_member_edit",
        lambda w: (w.member.pk,),
        lambda w: {"version": w.member.version, "role": "présidente"},
        {"member.version": 1, "member.role": "présidente"},
    ),
    "committee_member_remove": Action(
        "committee_member_remove",
        lambda w: (w.committee.members.get(organisation=w.other).pk,),
        lambda w: {"version": 1},
        {"CommitteeMember": -1},
    ),
    "meeting_edit": Action(
        "meeting_edit",
        lambda w: (w.meeting.pk,),
        lambda w: {
            "version": w.meeting.version,
            "held_on": "2024-03-02",
            "place": "Aït Melloul",
            "attendees": [f"{w.own.pk}-0", f"{w.other.pk}-0"],
        },
        {"meeting.version": 1, "meeting.held_on": date(2024, 3, 2), "meeting.place": "Aït Melloul"},
    ),
    "meeting_remove": Action(
        "meeting_remove",
        lambda w: (w.spare_meeting.pk,),
        lambda w: {"version": w.spare_meeting.version},
        {"Meeting": -1, "Attendance": -1},
    ),
    "decision_edit": Action(
        "decision_edit",
        lambda w: (w.decision.pk,),
        lambda w: {
            "version": w.decision.version,
            "text": "Lancer les études techniques",
            "responsible": w.other.pk,
            "due_on": "2025-03-31",
        },
        {"decision.version": 1, "decision.text": "Lancer les études techniques"},
    ),
    "decision_remove": Action(
        "decision_remove",
        lambda w: (w.spare_decision.pk,),
        lambda w: {"version": w.spare_decision.version},
        {"Decision": -1},
    ),
    # Users (the membership's history counts each change and who made it).
    "person_new": Action(
        "person_new", data=person_post, changes={"User": 1, "Membership": 1, "HistoricalMembership": 1}
    ),
    "person_edit": Action(
        "person",
        lambda w: (managed_user(w).pk,),
        lambda w: {"role": "project_editor", "organisation": w.own.pk, "province": w.province.pk},
        {"HistoricalMembership": 1},
    ),
    "person_deactivate": Action(
        "person_active",
        lambda w: (managed_user(w).pk,),  # the form page, fetched first, makes the user
        lambda w: {"active": "0"},
        {"HistoricalMembership": 1},
    ),
}

assert set(ACTIONS) == set(ALLOWED), "every action has its line in the policy table, and the reverse"
assert all(role in ROLES for roles in ALLOWED.values() for role in roles)
MATRIX = [(action, role) for action in ACTIONS for role in ROLES]


# --- helpers -------------------------------------------------------------------------------------------


@pytest.fixture
def world(reference) -> World:
    return build_world()


def signed_in(client, role: str, world: World):
    user = user_for(role, world)
    if user is not None:
        client.force_login(user)  # never client.login(): django-axes watches it
    return user


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and url("login") in response["Location"]


def assert_refused(response, role: str, *, on_the_form: bool = False, missing: bool = False) -> None:
    if role == ANONYMOUS:
        assert is_login_redirect(response), (response.status_code, response.get("Location"))
    elif on_the_form:
        assert response.status_code in (200, 400), response.status_code
        assert re.search(r"alert-danger|invalid-feedback|data-error-for", page_text(response)), (
            "a refusal on the form says why"
        )
    else:
        expected = 404 if missing else 403
        assert response.status_code == expected, (response.status_code, response.get("Location"))


def assert_changes(before: dict, after: dict, expected: dict) -> None:
    unknown = set(expected) - set(before)
    assert not unknown, f"the table expects changes of unknown keys {unknown}"
    wrong = {}
    for key, old in before.items():
        new = after[key]
        want = expected.get(key, 0 if isinstance(old, int) and not isinstance(old, bool) else old)
        if want is ANY:
            continue
        if isinstance(want, int) and not isinstance(want, bool) and isinstance(old, int):
            if new - old != want:
                wrong[key] = (old, new, f"expected {want:+d}")
        elif new != want:
            wrong[key] = (old, new, f"expected {want!r}")
    assert not wrong, wrong


def submit(client, action: Action, world: World):
    if action.perform is not None:
        return action.perform(client, world)
    return client.post(action.path(world), action.data(world))


# --- the matrix ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "role"), MATRIX, ids=[f"{a}-{r}" for a, r in MATRIX])
def test_role_matrix(client, world, name, role):
    action = ACTIONS[name]
    allowed = role in ALLOWED[name]
    signed_in(client, role, world)

    if action.form_page:
        response = client.get(action.path(world))
        if allowed or role in FORM_OPEN_TO.get(name, ()):
            assert response.status_code == 200, (response.status_code, response.get("Location"))
        else:
            assert_refused(response, role, missing=(name, role) in REFUSED_AS_MISSING)
    if action.data is None and action.perform is None:
        return

    before = world.snapshot()
    response = submit(client, action, world)
    after = world.snapshot()
    if allowed:
        assert response.status_code == 302 and not is_login_redirect(response), (
            response.status_code,
            page_text(response)[:3000] if response.status_code == 200 else "",
        )
        assert_changes(before, after, action.changes)
        assert after != before
    else:
        assert_refused(
            response,
            role,
            on_the_form=(name, role) in REFUSED_ON_THE_FORM,
            missing=(name, role) in REFUSED_AS_MISSING,
        )
        assert after == before, {k: (before[k], after[k]) for k in before if before[k] != after[k]}


def _url_names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_write_url_is_in_the_matrix():
    """A new web URL must take its place in the matrix, or be declared read-only here."""
    names = _url_names(web_urls.urlpatterns)
    covered = {action.url_name for action in ACTIONS.values()} | set(SECOND_STEPS)
    assert names - covered - READ_ONLY_URLS - OWN_ACCOUNT_URLS == set()
    assert covered - names == set()


@pytest.mark.parametrize("role", [r for r in ROLES if r != ADMINISTRATOR])
def test_django_admin_is_closed_to_every_role(client, world, role):
    """The admin site writes every model: staff only, and no role of the matrix is staff."""
    signed_in(client, role, world)
    response = client.get("/fr/admin/agreements/agreement/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(
        f"/fr/admin/agreements/agreement/{world.agreement.pk}/change/", {"title_fr": "Changé par l'admin"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    world.agreement.refresh_from_db()
    assert world.agreement.title_fr != "Changé par l'admin"


# --- read-only pages and GET of the other sides --------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_read_pages_need_no_write_right(client, world, role):
    """Follow-up pages need a signed-in user, any role; a GET never writes."""
    signed_in(client, role, world)
    before = world.snapshot()
    for name, args in (
        ("committees", ()),
        ("committee", (world.committee.pk,)),
        ("meeting", (world.meeting.pk,)),
        ("decision", (world.decision.pk,)),
        ("alerts", ()),
    ):
        response = client.get(url(name, *args))
        if role == ANONYMOUS:
            assert is_login_redirect(response), name
        else:
            assert response.status_code == 200, name
    assert world.snapshot() == before


# --- files -----------------------------------------------------------------------------------------------


@pytest.fixture
def files(reference):
    """A transfer proof and a site photo on an unpublished agreement, a photo on a published one."""
    hidden = build_world(published=False)
    transfer = agreement_services.transfer_record(
        partnership=hidden.partnership,
        transferred_on=date(2024, 5, 2),
        amount=Decimal("1000.00"),
        proof=stored_proof(),
    )
    hidden_update = project_services.progress_record(
        project=hidden.project, reported_on=date(2024, 5, 2), physical_progress=10, photos=[stored_photo()]
    )
    meeting = followup_services.meeting_update_minutes(
        hidden.meeting,
        expected_version=hidden.meeting.version,
        place="",
        agenda="",
        minutes="PV",
        minutes_scan=stored_proof(),
    )
    shown = build_world(published=True)
    shown_update = project_services.progress_record(
        project=shown.project, reported_on=date(2024, 5, 2), physical_progress=10, photos=[stored_photo()]
    )
    return {
        "proof": transfer,
        "hidden_photo": hidden_update.photos.get(),
        "shown_photo": shown_update.photos.get(),
        "world": hidden,
        "meeting": meeting,
    }


def is_attachment(response) -> bool:
    return (
        response.status_code == 200
        and response["Content-Disposition"].startswith("attachment")
        and response["X-Content-Type-Options"] == "nosniff"
    )


# Who reads a transfer proof: the partner concerned (any member of its organisation), the secretariat in
# scope, administrators. Who reads the signed minutes: the committee's member organisations (here the
# two partners), the secretariat that manages the committee, administrators.
PROOF_READERS = {ADMINISTRATOR, SECRETARIAT_IN, FOCAL_POINT_OWN, PROJECT_EDITOR_OWN, VIEWER}
SCAN_READERS = PROOF_READERS | {FOCAL_POINT_OTHER, PROJECT_EDITOR_OTHER}


@pytest.mark.parametrize("role", ROLES)
def test_file_downloads(client, files, role):
    signed_in(client, role, files["world"])
    proof = client.get(url("transfer_proof", files["proof"].pk))
    scan = client.get(url("meeting_scan", files["meeting"].pk))
    hidden = client.get(url("progress_photo", files["hidden_photo"].pk))
    shown = client.get(url("progress_photo", files["shown_photo"].pk))
    assert is_attachment(shown)  # a published project's photos are public
    if role == ANONYMOUS:
        assert is_login_redirect(proof)
        assert is_login_redirect(scan)
        assert hidden.status_code == 404  # an unpublished project's photos do not exist for the public
        return
    assert is_attachment(hidden)
    if role in PROOF_READERS:
        assert is_attachment(proof) and proof["Content-Type"] == "application/pdf"
    else:
        assert proof.status_code == 404  # the same answer as for a proof that does not exist
    if role in SCAN_READERS:
        assert is_attachment(scan) and scan["Content-Type"] == "application/pdf"
    else:
        assert scan.status_code == 404


def test_an_account_without_membership_reads_what_the_public_reads(client, files):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("nobody", password="a-long-test-password"))
    hidden = files["world"]
    for name in ("transfer_proof", "meeting_scan", "progress_photo"):
        pk = {"transfer_proof": files["proof"].pk, "meeting_scan": files["meeting"].pk}.get(
            name, files["hidden_photo"].pk
        )
        assert client.get(url(name, pk)).status_code == 404, name
    assert client.get(url("agreement", hidden.agreement.reference)).status_code == 404
    assert client.get(url("committee", hidden.committee.pk)).status_code == 404
    assert hidden.agreement.reference not in page_text(client.get(url("agreements")))
    assert "committees/" not in page_text(client.get(url("dashboard")))


# --- what anonymous visitors see ------------------------------------------------------------------------


@pytest.fixture
def portfolio(reference):
    hidden = build_world(published=False)
    shown = build_world(published=True)
    # The organisation is a partner of both agreements (of the published one for 1,000 MAD), so that its
    # page has something to show and something to hide.
    agreement_services.partnership_commit(
        agreement=shown.agreement, organisation=hidden.own, committed_amount=Decimal("1000.00")
    )
    return hidden, shown


def public_pages(hidden: World) -> dict[str, str]:
    return {
        "dashboard": url("dashboard"),
        "agreements": url("agreements"),
        "projects": url("projects"),
        "organisation": url("organisation", hidden.own.pk),
        "region": url("region", hidden.province.region.code),
        "province": url("province", hidden.province.code),
    }


def mentions(text: str, reference: str) -> bool:
    """`T-5` is mentioned in «T-5» and «T-5-P01», not in «T-51»."""
    return re.search(rf"(?<![\w-]){re.escape(reference)}(?!\d)", text) is not None


@pytest.mark.parametrize("role", [ANONYMOUS, VIEWER])
def test_anonymous_visitors_never_see_unpublished_records(client, portfolio, role):
    hidden, shown = portfolio
    signed_in(client, role, hidden)
    for name, path in public_pages(hidden).items():
        response = client.get(path)
        assert response.status_code == 200, name
        text = page_text(response)
        assert mentions(text, shown.agreement.reference), name  # the page does list what it may
        # The hidden project's reference starts with its agreement's: one check covers both.
        assert mentions(text, hidden.agreement.reference) is (role != ANONYMOUS), name
    for name, reference in (("agreement", hidden.agreement.reference), ("project", hidden.project.reference)):
        assert client.get(url(name, reference)).status_code == (404 if role == ANONYMOUS else 200), name
    for name, reference in (("agreement", shown.agreement.reference), ("project", shown.project.reference)):
        assert client.get(url(name, reference)).status_code == 200, name


def test_anonymous_visitors_do_not_see_figures_of_unpublished_agreements(client, portfolio):
    hidden, shown = portfolio
    summary = client.get(url("organisation", hidden.own.pk)).context["summary"]
    assert (summary.agreements, summary.committed) == (1, Decimal("1000.00"))


# --- the other shapes of a scope --------------------------------------------------------------------------


def scoped_user(world: World, shape: str):
    """Memberships the nine roles above do not show: the other ways of being in or out of scope."""
    from django.contrib.auth import get_user_model

    from shiraka.accounts.models import Membership
    from shiraka.agreements.models import Programme

    Role = Membership.Role
    user = get_user_model().objects.create_user(f"scope-{shape}", password="a-long-test-password")
    if shape == "no_membership":
        return user
    programme = Programme.objects.create(
        code=f"prog-{shape}", name_fr=f"Programme {shape}", kind=Programme.Kind.choices[0][0]
    )
    if shape == "secretariat_of_the_programme":
        world.agreement.programme = programme
        world.agreement.save(update_fields=["programme"])
    scopes = {
        "secretariat_of_the_region": {"role": Role.SECRETARIAT, "region": world.province.region},
        "secretariat_of_another_region": {"role": Role.SECRETARIAT, "region": world.elsewhere.region},
        "secretariat_of_the_programme": {"role": Role.SECRETARIAT, "programme": programme},
        "secretariat_of_another_programme": {"role": Role.SECRETARIAT, "programme": programme},
        "national_secretariat": {"role": Role.SECRETARIAT},
        "project_editor_of_the_delegated_owner": {"role": Role.PROJECT_EDITOR, "organisation": world.third},
    }[shape]
    Membership.objects.create(user=user, **scopes)
    return user


SHAPES = {  # shape → the actions it may do, among those tried
    "secretariat_of_the_region": {"agreement_edit", "transfer_add", "project_edit", "committee_member_add"},
    "secretariat_of_another_region": set(),
    "secretariat_of_the_programme": {
        "agreement_edit",
        "transfer_add",
        "project_edit",
        "committee_member_add",
    },
    "secretariat_of_another_programme": set(),
    "national_secretariat": {"agreement_edit", "transfer_add", "project_edit", "committee_member_add"},
    "project_editor_of_the_delegated_owner": {"project_edit"},
    "no_membership": set(),  # signed in, but no role: reads only
}
TRIED = ("agreement_edit", "transfer_add", "project_edit", "committee_member_add")


@pytest.mark.parametrize("shape", SHAPES)
def test_other_scopes(client, world, shape):
    project_services.project_update(
        world.project, expected_version=world.project.version, delegated_owner=world.third
    )
    world.project.refresh_from_db()
    client.force_login(scoped_user(world, shape))
    for name in TRIED:
        action = ACTIONS[name]
        data = action.data(world)
        if name == "project_edit":
            data["delegated_owner"] = world.third.pk
        before = world.snapshot()
        response = client.post(action.path(world), data)
        after = world.snapshot()
        if name in SHAPES[shape]:
            assert response.status_code == 302, (name, response.status_code)
            assert_changes(before, after, action.changes)
        else:
            # An account without a membership is public: an unpublished record does not exist for it.
            refused = 404 if shape == "no_membership" else 403
            assert response.status_code == refused, (name, response.status_code)
            assert after == before, name
        for record in ("agreement", "partnership", "project", "milestone", "meeting", "decision"):
            getattr(world, record).refresh_from_db()


def test_a_secretariat_cannot_move_an_agreement_or_follow_one_out_of_its_scope(client, world):
    """In scope for the agreement, but not for where it would send it or for the other agreement."""
    elsewhere = build_world()
    agreement_services.agreement_update(
        elsewhere.agreement,
        expected_version=elsewhere.agreement.version,
        region=world.elsewhere.region,
        province=world.elsewhere,
    )
    client.force_login(user_for(SECRETARIAT_IN, world))
    before = world.snapshot()
    data = agreement_edit_post(world)
    data.update(region=world.elsewhere.region_id, province=world.elsewhere.pk)
    response = client.post(url("agreement_edit", world.agreement.reference), data)
    assert response.status_code == 200 and 'data-error-for="province"' in page_text(response)
    response = client.post(
        url("committee_new"),
        {
            "kind": "supervision",
            "name_fr": "Comité mixte",
            "province": world.province.pk,
            "agreement_references": f"{world.agreement.reference}\n{elsewhere.agreement.reference}",
        },
    )
    assert response.status_code == 403
    assert world.snapshot() == before
