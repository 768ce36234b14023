"""Records turned into the API's dictionaries. What anonymous visitors may not read (a transfer's bank
reference and note) is blanked here, by asking the access module."""

from shiraka.accounts.access import can_read_transfer_proof, is_member

FIGURES = ("total", "committed", "unallocated", "due_to_date", "transferred", "arrears", "budget", "paid")


def agreement_row(agreement, parent=None) -> dict:
    figures = None
    if hasattr(agreement, "committed"):
        figures = {name: getattr(agreement, name) for name in FIGURES}
        figures["project_count"] = agreement.project_count
    parent = parent if parent is not None else (agreement.parent if agreement.parent_id else None)
    return {
        "reference": agreement.reference,
        "kind": agreement.kind,
        "parent": parent.reference if parent is not None else None,
        "title_ar": agreement.title_ar,
        "title_fr": agreement.title_fr,
        "programme_id": agreement.programme_id,
        "region_id": agreement.region_id,
        "province_id": agreement.province_id,
        "signed_on": agreement.signed_on,
        "start_on": agreement.start_on,
        "end_on": agreement.end_on,
        "status": agreement.status,
        "is_published": agreement.is_published,
        "total_amount": agreement.total_amount,
        "version": agreement.version,
        "figures": figures,
    }


def signatory_row(signatory) -> dict:
    person = signatory.person
    return {
        "id": signatory.pk,
        "person_id": person.pk,
        "full_name_ar": person.full_name_ar,
        "full_name_fr": person.full_name_fr,
        "organisation_id": signatory.organisation_id,
        "role": signatory.role,
        "presided": signatory.presided,
        "position": signatory.position,
        "version": signatory.version,
    }


def partnership_row(partnership) -> dict:
    organisation = partnership.organisation
    return {
        "id": partnership.pk,
        "agreement": partnership.agreement.reference,
        "organisation_id": organisation.pk,
        "organisation_name_ar": organisation.name_ar,
        "organisation_name_fr": organisation.name_fr,
        "is_funder": partnership.is_funder,
        "is_project_owner": partnership.is_project_owner,
        "is_delegated_owner": partnership.is_delegated_owner,
        "is_technical_partner": partnership.is_technical_partner,
        "committed_amount": partnership.committed_amount,
        "committed": getattr(partnership, "committed", partnership.committed_amount),
        "due_to_date": getattr(partnership, "due_to_date", None),
        "transferred": getattr(partnership, "transferred", None),
        "arrears": getattr(partnership, "arrears", None),
        "commitment_source": partnership.commitment_source,
        "obligations": partnership.obligations,
        "version": partnership.version,
    }


def contribution_row(contribution) -> dict:
    return fields_of(contribution, "partnership_id", "due_on", "amount", "note")


def transfer_row(transfer, user) -> dict:
    # The public sees who paid, when and how much; the bank's reference and the note stay internal.
    member = is_member(user)
    partnership = transfer.partnership
    return {
        "id": transfer.pk,
        "partnership_id": partnership.pk,
        "agreement": partnership.agreement.reference,
        "organisation_id": partnership.organisation_id,
        "transferred_on": transfer.transferred_on,
        "amount": transfer.amount,
        "reference": transfer.reference if member else "",
        "note": transfer.note if member else "",
        "has_proof": bool(transfer.proof) and can_read_transfer_proof(user, partnership),
        "cancelled_at": transfer.cancelled_at,
        "cancellation_reason": transfer.cancellation_reason if member else "",
        "version": transfer.version,
    }


PROJECT_FIELDS = (
    "reference",
    "title_ar",
    "title_fr",
    "category",
    "status",
    "region_id",
    "province_id",
    "owner_id",
    "delegated_owner_id",
    "budget",
    "physical_progress",
    "progress_updated_on",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "version",
)


def project_row(project) -> dict:
    return {name: getattr(project, name) for name in PROJECT_FIELDS} | {
        "agreement": project.agreement.reference
    }


def fields_of(record, *names) -> dict:
    return {"id": record.pk, **{name: getattr(record, name) for name in names}, "version": record.version}


def progress_row(update) -> dict:
    photos = getattr(update, "photo_count", None)
    if photos is None:
        photos = len(update.photos.all())
    return fields_of(update, "reported_on", "physical_progress", "note") | {"photos": photos}


def contract_row(contract) -> dict:
    names = ("kind", "reference", "contractor_id", "contractor_name", "amount", "signed_on", "duration_days")
    return fields_of(contract, *names) | {"paid": getattr(contract, "paid", None)}


def payment_row(payment) -> dict:
    names = ("contract_id", "paid_on", "amount", "reference", "cancelled_at", "cancellation_reason")
    return fields_of(payment, *names)
