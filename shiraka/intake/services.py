"""The writes of the intake: what the secretariat reviewed becomes an agreement, its partnerships,
signatories, attendees and projects, in one transaction, through the same services every other
entry point uses, so every rule of DESIGN.md §3 holds.

`reviewed_draft_create` takes the review as confirmed, row by row; `agreement_create_from_draft`
takes rows already resolved to records. Both refuse with a ValidationError whose keys say where
the refused value is (`partners.1.committed_amount`), so a page can show it next to its input.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from shiraka.accounts.access import can_create_agreement
from shiraka.agreements.models import Agreement, Programme
from shiraka.agreements.services import agreement_create, attendee_add, partnership_commit, signatory_add
from shiraka.core.rules import today
from shiraka.core.text import name_key, script_language
from shiraka.organisations.models import Organisation, territorial_body_code
from shiraka.organisations.services import organisation_create, person_create
from shiraka.projects.services import project_create

from .matching import person_find
from .proposal import DraftReading

REFERENCE_PREFIX = "DRAFT-"
ROLE_FLAGS = ("is_funder", "is_project_owner", "is_delegated_owner", "is_technical_partner")


def next_draft_reference(*, skip: int = 0) -> str:
    prefix = f"{REFERENCE_PREFIX}{today():%Y%m%d}-"
    taken = Agreement.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(ref[len(prefix) :]) for ref in taken if ref[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1 + skip:03d}"


# --- the reviewed draft ------------------------------------------------------------------------


@dataclass
class ReviewedDraft:
    """One extracted agreement as the secretariat confirmed it. Every row of the review is here, in
    the review's order, kept or not: a partner row is kept when it names a recorded organisation
    (its pk) or asks to `create` one, the other rows when they are ticked (`include`).

    - agreement: kind, title, signed_on, signed_place, total_amount, programme, region, province,
      parent (records, not pks), new_programme ({"name", "kind"} or None: created with it);
    - partners: organisation (pk), create, new_name, new_kind, committed_amount and ROLE_FLAGS;
    - signatories: include, name, role, partner (the index of a partner row), presided;
    - attendees: include, description, organisation (pk);
    - projects: include, title, category, budget, communes (pks of communes the text names).
    """

    agreement: dict
    partners: list[dict]
    signatories: list[dict]
    attendees: list[dict]
    projects: list[dict]


# Where a service's field shows in the review: a field the review does not have is reported on
# the whole row.
REVIEW_FIELDS = {
    "agreement": {
        "title_ar": "title",
        "title_fr": "title",
        "total_amount": "total_amount",
        "signed_on": "signed_on",
        "signed_place": "signed_place",
        "kind": "kind",
        "parent": "parent",
        "region": "region",
        "province": "province",
        "programme": "programme",
        "new_programme": "new_programme",
    },
    "partners": {
        "committed_amount": "committed_amount",
        "organisation": "organisation",
        "name_ar": "new_name",
        "name_fr": "new_name",
        "kind": "new_kind",
    },
    "signatories": {
        "person": "name",
        "full_name_ar": "name",
        "full_name_fr": "name",
        "role": "role",
        "organisation": "partner",
        "title_ar": "role",
        "title_fr": "role",
    },
    "attendees": {"description": "description", "organisation": "organisation"},
    "projects": {"title_ar": "title", "title_fr": "title", "category": "category", "budget": "budget"},
}


def _partner_rows(reading: DraftReading, rows: list[dict]) -> list[tuple[int, dict]]:
    """(row, partner entry) for each kept row; a new organisation takes its territory from its name."""
    kept = []
    for j, row in enumerate(rows):
        if not (row["organisation"] or row["create"]):
            continue
        entry = {name: row[name] for name in ("committed_amount", *ROLE_FLAGS)}
        if row["organisation"]:
            entry["organisation"] = reading.organisations.by_pk.get(row["organisation"])
            if entry["organisation"] is None:
                raise ValidationError(
                    {f"partners.{j}.organisation": _("This organisation no longer exists.")}
                )
        else:
            place = reading.gazetteer.match(row["new_name"])
            commune = place.place if place and place.kind == "commune" else None
            entry["new_organisation"] = {
                "name": row["new_name"],
                "kind": row["new_kind"],
                "region": place.region if place else None,
                "province": place.province if place else None,
                "commune": commune,
            }
            if commune is not None and row["new_kind"] == Organisation.Kind.COMMUNE:
                # The code commune_organisation_ensure() looks for: the commune stays one partner.
                entry["new_organisation"]["reference_code"] = territorial_body_code("commune", commune.code)
        kept.append((j, entry))
    return kept


def _signatory_rows(rows: list[dict], partners: list[tuple[int, dict]]) -> list[tuple[int, dict]]:
    position_of = {row: position for position, (row, _entry) in enumerate(partners)}
    kept = []
    for j, row in enumerate(rows):
        if not row["include"]:
            continue
        partner = row["partner"]
        if partner is not None and partner not in position_of:
            raise ValidationError(
                {
                    f"signatories.{j}.partner": _(
                        "This partner is not added: choose its organisation or create it."
                    )
                }
            )
        kept.append(
            (
                j,
                {
                    "name": row["name"],
                    "role": row["role"],
                    "presided": row["presided"],
                    "partner": position_of.get(partner) if partner is not None else None,
                },
            )
        )
    return kept


def _attendee_rows(reading: DraftReading, rows: list[dict]) -> list[tuple[int, dict]]:
    return [
        (
            j,
            {
                "description": row["description"],
                "organisation": reading.organisations.by_pk.get(row["organisation"]),
            },
        )
        for j, row in enumerate(rows)
        if row["include"]
    ]


def _project_rows(reading: DraftReading, rows: list[dict]) -> list[tuple[int, dict]]:
    communes = {c.pk: c for places in reading.gazetteer.index["commune"].values() for c in places}
    return [
        (
            j,
            {
                "title": row["title"],
                "category": row["category"],
                "budget": row["budget"],
                "communes": [communes[pk] for pk in row["communes"] if pk in communes],
            },
        )
        for j, row in enumerate(rows)
        if row["include"]
    ]


def _keyed_by_row(error: ValidationError, sections: dict[str, list[tuple[int, dict]]]) -> dict:
    """`partners.2.name_ar` (the third partner sent to the service) → `partners.<its row>.new_name`."""
    keyed: dict[str, list] = {}
    for key, errors in error.error_dict.items():
        section, _dot, rest = key.partition(".")
        if section == "agreement":
            where, field = section, rest
        else:
            position, _dot, field = rest.partition(".")
            where = f"{section}.{sections[section][int(position)][0]}"
        keyed.setdefault(f"{where}.{REVIEW_FIELDS[section].get(field, NON_FIELD_ERRORS)}", []).extend(errors)
    return keyed


def reviewed_draft_create(reading: DraftReading, reviewed: ReviewedDraft, *, by) -> Agreement:
    """Create the agreement as reviewed, all or nothing. A refusal raises ValidationError keyed
    `agreement.<field>` or `<section>.<row>.<field>`, row and field as in `reviewed`
    (`__all__` for the whole row)."""
    agreement = dict(reviewed.agreement, title=reviewed.agreement["title"].strip())
    if not can_create_agreement(
        by, region=agreement["region"], province=agreement["province"], programme=agreement["programme"]
    ):
        raise ValidationError(
            {
                "agreement.region": _(
                    "You may only register agreements within your own territory or programme."
                )
            }
        )
    partners = _partner_rows(reading, reviewed.partners)
    sections = {
        "partners": partners,
        "signatories": _signatory_rows(reviewed.signatories, partners),
        "attendees": _attendee_rows(reading, reviewed.attendees),
        "projects": _project_rows(reading, reviewed.projects),
    }
    try:
        return agreement_create_from_draft(
            text=reading.text,
            agreement_data=agreement,
            by=by,
            **{name: [entry for _row, entry in rows] for name, rows in sections.items()},
        )
    except ValidationError as error:
        raise ValidationError(_keyed_by_row(error, sections)) from None


# --- the write ---------------------------------------------------------------------------------


@contextmanager
def _section(name: str, index: int | None = None):
    """Re-raise a service's ValidationError with its fields prefixed by where the row is
    (`partners.1.committed_amount`), so the page can show it next to the right input."""
    prefix = name if index is None else f"{name}.{index}"
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {f"{prefix}.{field}": errors for field, errors in error.error_dict.items()}
            ) from None
        raise ValidationError({f"{prefix}.{NON_FIELD_ERRORS}": error.error_list}) from None


def _localised(value: str, language: str, stem: str) -> dict[str, str]:
    return {f"{stem}_{language}": (value or "").strip()}


def _create_agreement(*, text: str, data: dict, language: str, by) -> Agreement:
    fields = {name: value for name, value in data.items() if name != "title"}
    fields.update(_localised(data.get("title", ""), language, "title"))
    fields["source_text"] = text
    for attempt in range(10):
        reference = next_draft_reference(skip=attempt)
        try:
            with transaction.atomic():
                return agreement_create(reference=reference, status=Agreement.Status.DRAFT, by=by, **fields)
        except IntegrityError:
            continue  # another draft took this reference between the read and the insert
        except ValidationError as error:
            taken = getattr(error, "error_dict", {}).get("reference")
            if taken and all(e.code == "unique" for e in taken) and len(error.error_dict) == 1:
                continue
            raise
    raise ValidationError({NON_FIELD_ERRORS: ["no free draft reference"]})


def _partners_commit(agreement: Agreement, partners: list[dict], *, language: str, by) -> list[Organisation]:
    organisations = []
    for index, row in enumerate(partners):
        with _section("partners", index):
            organisation = row.get("organisation")
            if organisation is None:
                new = dict(row["new_organisation"])
                name = new.pop("name", "")
                organisation = organisation_create(
                    by=by,
                    **_localised(name, script_language(name) if name.strip() else language, "name"),
                    **{k: v for k, v in new.items() if v is not None},
                )
            partnership_commit(
                agreement=agreement,
                organisation=organisation,
                committed_amount=row.get("committed_amount"),
                **{flag: row.get(flag, False) for flag in ROLE_FLAGS},
                by=by,
            )
            organisations.append(organisation)
    return organisations


def _signatories_add(
    agreement: Agreement, signatories: list[dict], organisations: list[Organisation], *, language: str, by
) -> None:
    for index, row in enumerate(signatories):
        with _section("signatories", index):
            partner = row.get("partner")
            organisation = organisations[partner] if partner is not None else row.get("organisation")
            name, role = row["name"].strip(), (row.get("role") or "").strip()
            person = person_find(name, language=language) or person_create(
                **_localised(name, language, "full_name"),
                **_localised(role, language, "title"),
                organisation=organisation,
                by=by,
            )
            signatory_add(
                agreement=agreement,
                person=person,
                organisation=organisation,
                role=role,
                presided=row.get("presided", False),
                by=by,
            )


def _projects_create(agreement: Agreement, projects: list[dict], *, language: str, by) -> None:
    for index, row in enumerate(projects):
        with _section("projects", index):
            project_create(
                agreement=agreement,
                reference=f"{agreement.reference}-P{index + 1:02d}",
                **_localised(row["title"], language, "title"),
                category=row["category"],
                budget=row.get("budget"),
                communes=row.get("communes", ()),
                province=row.get("province"),
                by=by,
            )


def _programme_create(values: dict, agreement: dict, *, language: str, by) -> Programme:
    """A programme named on the review, in the agreement's province or region; refused when one
    of that name is recorded (choose it instead)."""
    name = values["name"].strip()
    key = name_key(name)
    if any(key in (name_key(p.name_ar), name_key(p.name_fr)) for p in Programme.objects.all()):
        raise ValidationError(
            {
                "agreement.new_programme": ValidationError(
                    _("A programme of this name is recorded: choose it in the list."), code="programme_exists"
                )
            }
        )
    stem = f"programme-{today():%Y%m%d}"
    taken = set(Programme.objects.filter(code__startswith=stem).values_list("code", flat=True))
    code = next(f"{stem}-{n:03d}" for n in range(1, len(taken) + 2) if f"{stem}-{n:03d}" not in taken)
    programme = Programme(
        code=code,
        kind=values.get("kind") or Programme.Kind.OTHER,
        region=agreement.get("region"),
        province=agreement.get("province"),
        **_localised(name, language, "name"),
    )
    with _section("agreement"):
        try:
            programme.full_clean()
        except ValidationError as error:
            raise ValidationError({"new_programme": error.messages}) from None
    programme._history_user = by
    programme.save()
    return programme


@transaction.atomic
def agreement_create_from_draft(
    *,
    text: str,
    agreement_data: dict,
    partners: list[dict],
    signatories: list[dict],
    projects: list[dict],
    attendees: list[dict] = (),
    by=None,
) -> Agreement:
    """Create the reviewed draft, all or nothing.

    - `agreement_data`: agreement fields (kind, title — stored in the text's language —, signed_on,
      signed_place, total_amount, programme, region, province, parent…); status is draft and the
      reference `DRAFT-YYYYMMDD-NNN`; the text is kept as the source text.
    - `partners`: {"organisation": Organisation} or {"new_organisation": {"name", "kind", "region",
      "province", "commune"}} (created only then), plus "committed_amount" (None: not specified) and
      the role flags is_funder, is_project_owner, is_delegated_owner, is_technical_partner.
    - `signatories`: {"name", "role", "partner": index in `partners` or None, "presided"}; the
      person is reused when one with this name is recorded, created otherwise.
    - `attendees`: {"description", "organisation" or None}.
    - `projects`: {"title", "category", "budget" or None, "communes": [Commune]}; references
      `<agreement reference>-P01`….

    A refused rule raises ValidationError keyed `section.index.field` (`agreement.total_amount`,
    `partners.2.committed_amount`, `projects.0.category`) and nothing is written.
    """
    language = script_language(text)
    agreement_data = dict(agreement_data)
    new_programme = agreement_data.pop("new_programme", None)
    if new_programme:
        agreement_data["programme"] = _programme_create(
            new_programme, agreement_data, language=language, by=by
        )
    with _section("agreement"):
        agreement = _create_agreement(text=text, data=agreement_data, language=language, by=by)
    organisations = _partners_commit(agreement, partners, language=language, by=by)
    _signatories_add(agreement, signatories, organisations, language=language, by=by)
    for index, row in enumerate(attendees):
        with _section("attendees", index):
            attendee_add(
                agreement=agreement,
                description=row["description"].strip(),
                organisation=row.get("organisation"),
                by=by,
            )
    _projects_create(agreement, projects, language=language, by=by)
    return agreement
