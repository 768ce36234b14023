"""A small world for the role matrix: one agreement in a province, two partner organisations, one
project owned by the first, and one of each follow-up record. Built through the real services in a
few dozen queries, so that every test of the matrix can build its own."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from shiraka.accounts.models import Membership
from shiraka.agreements import services as agreements
from shiraka.agreements.models import (
    Agreement,
    Partnership,
    ScheduledContribution,
    Signatory,
    SigningAttendee,
    Transfer,
)
from shiraka.core.uploads import PDF, PNG, safe_upload
from shiraka.followup import services as followup
from shiraka.followup.models import Attendance, Committee, CommitteeMember, Decision, Meeting
from shiraka.organisations.models import Organisation, Person
from shiraka.projects import services as projects
from shiraka.projects.models import (
    Contract,
    Milestone,
    Payment,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectFunding,
)
from shiraka.territory.models import Province
from tests import factories
from tests.factories import pdf_bytes, png_bytes

Role = Membership.Role

HOME = "09.273"  # Inezgane-Aït Melloul (Souss-Massa): the province of the seed text used by the extraction

# The nine ways of meeting the application, as the matrix names them.
ADMINISTRATOR = "administrator"
SECRETARIAT_IN = "secretariat_in"  # secretariat of the agreement's province
SECRETARIAT_OUT = "secretariat_out"  # secretariat of a province of another region
FOCAL_POINT_OWN = "focal_point_own"  # focal point of the partner whose transfer is recorded
FOCAL_POINT_OTHER = "focal_point_other"  # focal point of the other partner of the same agreement
PROJECT_EDITOR_OWN = "project_editor_own"  # project editor of the organisation that owns the project
PROJECT_EDITOR_OTHER = "project_editor_other"  # project editor of the other partner
VIEWER = "viewer"  # viewer of the owner organisation
ANONYMOUS = "anonymous"
ROLES = (
    ADMINISTRATOR,
    SECRETARIAT_IN,
    SECRETARIAT_OUT,
    FOCAL_POINT_OWN,
    FOCAL_POINT_OTHER,
    PROJECT_EDITOR_OWN,
    PROJECT_EDITOR_OTHER,
    VIEWER,
    ANONYMOUS,
)

COUNTED = (
    Agreement,
    Signatory,
    SigningAttendee,
    Person,
    Organisation,
    Partnership,
    ScheduledContribution,
    Transfer,
    Project,
    ProjectFunding,
    Milestone,
    ProgressUpdate,
    ProgressPhoto,
    Contract,
    Payment,
    Committee,
    CommitteeMember,
    Meeting,
    Attendance,
    Decision,
    # The people pages write users and memberships.
    get_user_model(),
    Membership,
    Membership.history.model,
)
# Fields of the world's records that the edit actions change.
WATCHED = {
    "agreement": ("version", "status", "title_fr", "province_id", "is_published"),
    "partnership": ("version", "committed_amount"),
    "project": ("version", "status", "title_fr", "owner_id"),
    "milestone": ("version", "achieved_on"),
    "meeting": ("version", "minutes", "minutes_scan", "held_on", "place"),
    "decision": ("version", "status", "text"),
    "member": ("version", "role"),
    "transfer": ("version", "cancelled_at", "cancellation_reason"),
    "signatory": ("version", "role"),
    "attendee": ("version", "description"),
    "contribution": ("version", "amount"),
    "payment": ("version", "cancelled_at", "cancellation_reason"),
    "funding": ("version", "amount"),
    "progress": ("version", "note"),
    "contract": ("version", "amount"),
}


@dataclass
class World:
    province: Province
    elsewhere: Province
    agreement: Agreement
    own: Organisation  # first partner, owner of the project
    other: Organisation  # second partner of the same agreement
    third: Organisation  # not a partner yet
    partnership: Partnership  # the own organisation's
    other_partnership: Partnership
    project: Project
    milestone: Milestone
    contract: Contract
    transfer: Transfer  # one recorded transfer, to correct
    signatory: Signatory  # watched, to edit
    attendee: SigningAttendee  # watched, to edit
    contribution: ScheduledContribution  # a schedule line of the own partner, watched, to edit
    spare_signatory: Signatory  # not watched: one that may be removed
    spare_attendee: SigningAttendee  # not watched: one that may be removed
    spare_contribution: ScheduledContribution  # not watched: one that may be removed
    payment: Payment  # one recorded payment, to correct
    funding: ProjectFunding  # the own organisation's funding line, watched, to edit
    progress: ProgressUpdate  # watched, to edit its note
    spare_funding: ProjectFunding  # not watched: one that may be removed
    spare_milestone: Milestone  # not watched: one that may be removed
    spare_progress: ProgressUpdate  # the earliest update, with a photo, not watched: one that may be removed
    spare_contract: Contract  # no payment, not watched: one that may be removed
    committee: Committee
    member: CommitteeMember  # the own organisation's seat on the committee
    meeting: Meeting
    decision: Decision
    spare_meeting: Meeting  # no decision, no signed scan: one that may be removed
    spare_decision: Decision  # open and not watched: one that may be removed

    def snapshot(self) -> dict:
        """Row counts of every model an action may write, and the watched fields of the records."""
        state = {model.__name__: model.objects.count() for model in COUNTED}
        for name, fields in WATCHED.items():
            record = getattr(self, name)
            values = type(record).objects.filter(pk=record.pk).values(*fields).get()
            state.update({f"{name}.{field}": value for field, value in values.items()})
        return state


def build_world(*, published: bool = False) -> World:
    province = Province.objects.select_related("region").get(code=HOME)
    elsewhere = (
        Province.objects.exclude(region=province.region).select_related("region").order_by("code").first()
    )
    agreement = factories.agreement(
        total="1000000.00", province=province, region=province.region, is_published=published
    )
    own = factories.organisation(
        "Délégation provinciale de la santé", kind=Organisation.Kind.DECONCENTRATED_SERVICE
    )
    other = factories.organisation("Conseil provincial", kind=Organisation.Kind.PROVINCIAL_COUNCIL)
    third = factories.organisation("Fondation partenaire", kind=Organisation.Kind.FOUNDATION)
    partnership = agreements.partnership_commit(
        agreement=agreement,
        organisation=own,
        is_funder=True,
        is_project_owner=True,
        committed_amount=Decimal("400000.00"),
    )
    other_partnership = agreements.partnership_commit(
        agreement=agreement, organisation=other, is_funder=True, committed_amount=Decimal("300000.00")
    )
    project = projects.project_create(
        agreement=agreement,
        reference=f"{agreement.reference}-P01",
        title_fr="Centre de santé",
        title_ar="مركز صحي",
        category="health_centre",
        budget=Decimal("300000.00"),
        owner=own,
        province=province,
    )
    milestone = projects.milestone_plan(
        project=project, kind=Milestone.Kind.STUDIES, planned_on=date(2024, 4, 1)
    )
    contract = projects.contract_sign(
        project=project,
        kind=Contract.Kind.WORKS,
        amount=Decimal("200000.00"),
        contractor_name="Entreprise du Souss",
        signed_on=date(2024, 1, 20),
    )
    transfer = agreements.transfer_record(
        partnership=partnership, transferred_on=date(2024, 2, 1), amount=Decimal("10000.00")
    )
    payment = projects.payment_record(contract=contract, paid_on=date(2024, 2, 15), amount=Decimal("5000.00"))
    funding, spare_funding = (
        projects.project_fund(project=project, organisation=funder, amount=Decimal("50000.00"))
        for funder in (own, third)
    )
    # Earlier and lower than what the other actions and fixtures record (10 % and 30 % on 2024-05-02).
    spare_progress, progress = (
        projects.progress_record(project=project, reported_on=on, physical_progress=5, photos=photos)
        for on, photos in ((date(2024, 3, 1), [stored_photo()]), (date(2024, 4, 1), []))
    )
    spare_milestone = projects.milestone_plan(project=project, kind=Milestone.Kind.TENDER)
    spare_contract = projects.contract_sign(
        project=project, kind=Contract.Kind.GOODS, amount=Decimal("1000.00"), contractor_name="Fournisseur"
    )
    project.refresh_from_db()
    signatory, spare_signatory = (
        agreements.signatory_add_with_person(
            agreement=agreement, full_name_fr=name, role=role, organisation=own
        )
        for name, role in (("M. Délégué", "Délégué provincial"), ("M. Saisi", "Signataire en double"))
    )
    attendee, spare_attendee = (
        agreements.attendee_add(agreement=agreement, description=text)
        for text in ("En présence du gouverneur", "Présence saisie par erreur")
    )
    contribution, spare_contribution = (
        agreements.contribution_schedule(partnership=partnership, due_on=due_on, amount=Decimal("50000.00"))
        for due_on in (date(2024, 6, 30), date(2024, 12, 31))
    )
    committee = followup.committee_create(
        kind=Committee.Kind.SUPERVISION,
        name_fr="Comité de suivi",
        province=province,
        agreements=[agreement],
        members=[(own, None, ""), (other, None, "")],
    )
    meeting = followup.meeting_record(
        committee=committee,
        held_on=date(2024, 3, 1),
        place="Inezgane",
        attendees=[(own, None, True), (other, None, False)],
    )
    decision = followup.decision_create(
        committee=committee,
        meeting=meeting,
        text="Lancer les études",
        responsible=own,
        due_on=date(2024, 12, 31),
    )
    spare_meeting = followup.meeting_record(
        committee=committee, held_on=date(2024, 5, 2), attendees=[(own, None, True)]
    )
    spare_decision = followup.decision_create(committee=committee, text="Décision saisie par erreur")
    return World(
        province=province,
        elsewhere=elsewhere,
        agreement=agreement,
        own=own,
        other=other,
        third=third,
        partnership=partnership,
        other_partnership=other_partnership,
        project=project,
        milestone=milestone,
        contract=contract,
        transfer=transfer,
        payment=payment,
        funding=funding,
        progress=progress,
        spare_funding=spare_funding,
        spare_milestone=spare_milestone,
        spare_progress=spare_progress,
        spare_contract=spare_contract,
        signatory=signatory,
        attendee=attendee,
        contribution=contribution,
        spare_signatory=spare_signatory,
        spare_attendee=spare_attendee,
        spare_contribution=spare_contribution,
        committee=committee,
        member=committee.members.get(organisation=own),
        meeting=meeting,
        decision=decision,
        spare_meeting=spare_meeting,
        spare_decision=spare_decision,
    )


def user_for(role: str, world: World):
    """The signed-in user of a role of the matrix (None for the anonymous visitor)."""
    if role == ANONYMOUS:
        return None
    scopes = {
        ADMINISTRATOR: {"role": Role.ADMINISTRATOR},
        SECRETARIAT_IN: {
            "role": Role.SECRETARIAT,
            "province": world.province,
            "region": world.province.region,
        },
        SECRETARIAT_OUT: {
            "role": Role.SECRETARIAT,
            "province": world.elsewhere,
            "region": world.elsewhere.region,
        },
        FOCAL_POINT_OWN: {"role": Role.FOCAL_POINT, "organisation": world.own},
        FOCAL_POINT_OTHER: {"role": Role.FOCAL_POINT, "organisation": world.other},
        PROJECT_EDITOR_OWN: {"role": Role.PROJECT_EDITOR, "organisation": world.own},
        PROJECT_EDITOR_OTHER: {"role": Role.PROJECT_EDITOR, "organisation": world.other},
        VIEWER: {"role": Role.VIEWER, "organisation": world.own},
    }[role]
    user = get_user_model().objects.create_user(f"matrix-{role}", password="a-long-test-password")
    Membership.objects.create(user=user, **scopes)
    return user


def photo_upload(name: str = "chantier.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def proof_upload(name: str = "avis-de-virement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def stored_photo():
    return safe_upload(photo_upload(), allowed={PNG})


def stored_proof():
    return safe_upload(proof_upload(), allowed={PDF})


def form_data(initial: dict) -> dict:
    """What a browser submits for a form showing `initial` unchanged."""
    data = {}
    for name, value in initial.items():
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data
