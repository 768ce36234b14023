"""History of changes on the record pages (issue 5, point 4): who, when, what, before → after, in the
reader's language; deletions shown; signed-in users only; a bounded number of queries."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from shiraka.accounts.access import is_member
from shiraka.agreements import services as agreements
from shiraka.core.history import history_entries, page_history
from shiraka.followup import services as followup
from shiraka.projects import services as projects
from tests import factories

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def editor(db):
    from shiraka.accounts.models import Membership

    user = get_user_model().objects.create_user(
        "salma", password="a-long-test-password", first_name="Salma", last_name="Idrissi"
    )
    # Histories are for members of an organisation: an account without a membership reads as the public.
    Membership.objects.create(user=user, role=Membership.Role.VIEWER)
    return user


def history_section(page: str) -> str:
    match = re.search(r'<section class="mb-4" id="history">(.*?)</section>', page, re.S)
    assert match, "the page has no history section"
    return match.group(1)


def rows(section: str) -> list[str]:
    return re.findall(r'<tr class="history-[^"]*">.*?</tr>', section, re.S)


def text(html: str) -> str:
    """Visible text, ordinary whitespace collapsed (the no-break spaces inside amounts are kept)."""
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", "", html))).strip()


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_change_made_through_a_service_shows_who_what_before_and_after_in_french_and_arabic(client, editor):
    agreement = factories.agreement(total="1000000.00", by=editor)
    agreements.agreement_update(
        agreement, expected_version=agreement.version, by=editor, total_amount=Decimal("1200000.00")
    )
    client.force_login(editor)

    french = rows(history_section(get(client, f"/fr/agreements/{agreement.reference}/")))
    assert len(french) == 2  # created, then changed
    changed = text(french[0])
    assert "history-changed" in french[0]
    assert "Salma Idrissi" in changed
    assert f"Montant total (DH): 1{NBSP}000{NBSP}000,00{NBSP}DH → 1{NBSP}200{NBSP}000,00{NBSP}DH" in changed
    assert "history-created" in french[1] and "Salma Idrissi" in text(french[1])

    arabic = rows(history_section(get(client, f"/ar/agreements/{agreement.reference}/")))
    changed = text(arabic[0])
    assert "Salma Idrissi" in changed
    assert "المبلغ الإجمالي (بالدرهم): 1.000.000,00\u00a0درهم ← 1.200.000,00\u00a0درهم" in changed

    english = text(rows(history_section(get(client, f"/en/agreements/{agreement.reference}/")))[0])
    assert "Total amount (MAD): MAD 1,000,000.00 → MAD 1,200,000.00" in english


def test_choices_booleans_and_dates_are_shown_as_people_read_them(client, editor):
    agreement = factories.agreement(by=editor, status="signed")
    agreements.agreement_set_status(
        agreement, status="in_execution", expected_version=agreement.version, by=editor
    )
    agreement.refresh_from_db()
    agreements.agreement_update(
        agreement, expected_version=agreement.version, by=editor, is_published=True, start_on=date(2024, 3, 1)
    )
    client.force_login(editor)
    section = text(history_section(get(client, f"/fr/agreements/{agreement.reference}/")))
    assert "Statut: signée → en cours d'exécution" in section
    assert "Publiée: non → oui" in section
    assert "Date de début: — → 2024-03-01" in section
    for technical in ("version", "search_text", "updated_at"):
        assert technical not in section


def test_related_records_appear_on_the_agreement_page_and_a_deleted_partnership_shows_as_deleted(
    client, editor
):
    agreement = factories.agreement(total="1000000.00", by=editor)
    kept = agreements.partnership_commit(
        agreement=agreement,
        organisation=factories.organisation("Conseil régional"),
        committed_amount=Decimal("300000.00"),
        by=editor,
    )
    agreements.partnership_update(
        kept, expected_version=kept.version, by=editor, committed_amount=Decimal("350000.00")
    )
    gone = agreements.partnership_commit(
        agreement=agreement,
        organisation=factories.organisation("Commune d'Essai"),
        committed_amount=Decimal("100000.00"),
        by=editor,
    )
    gone._history_user = editor
    gone.delete()
    client.force_login(editor)
    shown = rows(history_section(get(client, f"/fr/agreements/{agreement.reference}/")))
    deleted = [row for row in shown if "history-deleted" in row]
    assert len(deleted) == 1
    assert "Partenariat: Commune d'Essai" in text(deleted[0])
    assert "Salma Idrissi" in text(deleted[0])
    changed = [text(row) for row in shown if "history-changed" in row and "Conseil régional" in row]
    assert changed and f"Montant engagé (DH): 300{NBSP}000,00{NBSP}DH → 350{NBSP}000,00{NBSP}DH" in changed[0]


def test_changes_without_a_user_are_attributed_to_the_system(client, editor):
    agreement = factories.agreement()  # no `by`: a script, an import
    client.force_login(editor)
    with translation.override("en"):
        entries = page_history(agreement, shown=is_member(editor))
    assert [(e.action, e.who, e.by_system) for e in entries] == [("created", "system", True)]


def test_anonymous_visitors_do_not_see_who_changed_what(client, editor):
    agreement = factories.agreement(by=editor, is_published=True)
    agreements.agreement_update(
        agreement, expected_version=agreement.version, by=editor, total_amount=Decimal("1200000.00")
    )
    page = get(client, f"/fr/agreements/{agreement.reference}/")
    assert 'id="history"' not in page and "Salma Idrissi" not in page
    with CaptureQueriesContext(connection) as context:
        assert page_history(agreement, shown=is_member(AnonymousUser())) == []
    assert len(context.captured_queries) == 0


def agreement_page_queries(client, agreement) -> tuple[int, int]:
    factories.figures_checked()
    cache.clear()  # the history computed, not read back
    with CaptureQueriesContext(connection) as context:
        page = get(client, f"/fr/agreements/{agreement.reference}/")
    return len(context.captured_queries), len(rows(history_section(page)))


def test_agreement_page_queries_do_not_grow_with_the_history_rows(client, editor):
    agreement = factories.agreement(total="10000000.00", by=editor)
    partnership = agreements.partnership_commit(
        agreement=agreement,
        organisation=factories.organisation(),
        committed_amount=Decimal("100000.00"),
        by=editor,
    )
    client.force_login(editor)
    get(client, f"/fr/agreements/{agreement.reference}/")  # session, caches
    small = agreement_page_queries(client, agreement)
    for step in range(14):
        agreement.refresh_from_db()
        agreements.agreement_update(
            agreement,
            expected_version=agreement.version,
            by=editor,
            total_amount=Decimal("10000000.00") + step + 1,
        )
        partnership.refresh_from_db()
        agreements.partnership_update(
            partnership,
            expected_version=partnership.version,
            by=editor,
            committed_amount=Decimal("100000.00") + step + 1,
        )
    large = agreement_page_queries(client, agreement)
    assert small[1] == 2 and large[1] == 30
    assert small[0] == large[0]


def test_a_page_reads_its_history_back_until_a_change_adds_a_row(client, editor):
    agreement = factories.agreement(total="10000000.00", by=editor)
    client.force_login(editor)
    url = f"/fr/agreements/{agreement.reference}/"
    first = rows(history_section(get(client, url)))
    with CaptureQueriesContext(connection) as computed:
        cache.clear()
        get(client, url)
    with CaptureQueriesContext(connection) as read_back:
        again = rows(history_section(get(client, url)))
    assert again == first
    assert len(read_back.captured_queries) < len(computed.captured_queries)
    # A change, in this process or another, adds a historical row: the next page computes again.
    agreements.partnership_commit(
        agreement=agreement,
        organisation=factories.organisation(),
        committed_amount=Decimal("5.00"),
        by=editor,
    )
    after = rows(history_section(get(client, url)))
    assert len(after) == len(first) + 1


def test_history_entries_queries_are_bounded_and_limit_is_kept(editor):
    agreement = factories.agreement(total="10000000.00", by=editor)
    partnership = agreements.partnership_commit(
        agreement=agreement,
        organisation=factories.organisation(),
        committed_amount=Decimal("100000.00"),
        by=editor,
    )
    agreements.contribution_schedule(
        partnership=partnership, due_on=date(2024, 6, 30), amount=Decimal("50000.00"), by=editor
    )
    agreements.transfer_record(
        partnership=partnership, transferred_on=date(2024, 7, 1), amount=Decimal("50000.00"), by=editor
    )
    counts, sizes = [], []
    shown = is_member(editor)
    for _round in range(2):
        for _step in range(20):
            agreement.refresh_from_db()
            agreements.agreement_update(
                agreement,
                expected_version=agreement.version,
                by=editor,
                total_amount=agreement.total_amount + 1,
            )
        with CaptureQueriesContext(connection) as context:
            entries = page_history(agreement, shown=shown, limit=30)
        counts.append(len(context.captured_queries))
        sizes.append(len(entries))
    assert sizes == [24, 30]  # 4 creations + 20 changes, then the latest 30 of 44
    # Per source with rows (the agreement, its partnership, schedule and transfer; it has no signatory
    # nor attendee, whose sources are not asked), one query for the rows shown with the id of the row
    # before each; one more for those earlier rows that are not among them (none at first, every
    # source's oldest row being its creation; then the agreement's, its 30th latest row being a
    # change); plus one per model named in the entries (here the partner, while the partnership's
    # creation is among the latest 30): never one per row. First, one query finds the newest row of
    # each source, under which the entries are kept: read back, that query alone.
    assert counts == [1 + 4 + 1, 1 + 4 + 1]
    assert entries[-1].changes, "the oldest entry shown is a change, read against the row before it"
    with CaptureQueriesContext(connection) as context:
        assert page_history(agreement, shown=shown, limit=30) == entries
    assert len(context.captured_queries) == 1
    with translation.override("fr"):
        entries = page_history(agreement, shown=is_member(editor), limit=200)
    kinds = {(e.record_kind, e.action) for e in entries}
    assert {
        ("Convention", "created"),
        ("Partenariat", "created"),
        ("Contribution programmée", "created"),
        ("Virement", "created"),
        ("Convention", "changed"),
    } == kinds
    transfer = next(e for e in entries if e.record.lstrip("\u2068").startswith("2024-07-01"))
    assert f"50{NBSP}000,00{NBSP}DH" in transfer.record and not transfer.is_own


def test_history_entries_names_related_records_in_one_query_per_model(editor):
    agreement = factories.agreement(total="10000000.00", by=editor)
    others = [factories.organisation() for _ in range(6)]
    for organisation in others:
        agreements.partnership_commit(
            agreement=agreement, organisation=organisation, committed_amount=Decimal("1000.00"), by=editor
        )
    with CaptureQueriesContext(connection) as context:
        entries = history_entries(agreement, related=[("agreements.Partnership", "agreement")])
    organisation_queries = [
        q
        for q in context.captured_queries
        if "organisations_organisation" in q["sql"] and "historical" not in q["sql"]
    ]
    assert len(organisation_queries) == 1
    assert {e.record for e in entries if not e.is_own} == {str(o) for o in others}


def test_project_committee_meeting_and_decision_pages_show_their_history(client, editor):
    agreement = factories.agreement(by=editor)
    project = projects.project_create(
        agreement=agreement,
        reference="H-P1",
        title_fr="Centre de santé",
        category="health_centre",
        budget=Decimal("500000.00"),
        by=editor,
    )
    milestone = projects.milestone_plan(
        project=project, kind="works_order", planned_on=date(2024, 5, 1), by=editor
    )
    projects.milestone_achieve(
        milestone, achieved_on=date(2024, 5, 20), expected_version=milestone.version, by=editor
    )
    committee = followup.committee_create(
        kind="supervision",
        name_fr="Comité test",
        agreements=[agreement],
        members=[(factories.organisation("Délégation"), None, "membre")],
        by=editor,
    )
    meeting = followup.meeting_record(committee=committee, held_on=date(2024, 6, 1), by=editor)
    decision = followup.decision_create(
        committee=committee, meeting=meeting, text="Accélérer les travaux", by=editor
    )
    followup.decision_set_status(
        decision, status="done", on=date(2024, 7, 1), expected_version=decision.version, by=editor
    )
    client.force_login(editor)

    project_rows = rows(history_section(get(client, f"/fr/projects/{project.reference}/")))
    assert any(
        "Jalon: ordre de service" in text(row)
        and "Date de réalisation: — → 2024-05-20" in text(row)
        and "Salma Idrissi" in text(row)
        for row in project_rows
    ), [text(row) for row in project_rows]
    assert "history-created" in project_rows[-1] and "Projet" in text(project_rows[-1])

    decision_section = text(history_section(get(client, f"/fr/decisions/{decision.pk}/")))
    assert "Statut: non entamée → réalisée" in decision_section
    assert "Date de clôture: — → 2024-07-01" in decision_section

    committee_section = text(history_section(get(client, f"/fr/committees/{committee.pk}/")))
    assert "Délégation" in committee_section and "Accélérer les travaux" in committee_section
    meeting_section = text(history_section(get(client, f"/fr/meetings/{meeting.pk}/")))
    assert "Accélérer les travaux" in meeting_section

    organisation = factories.organisation("Agence test")
    organisation_page = get(client, f"/fr/organisations/{organisation.pk}/")
    assert len(rows(history_section(organisation_page))) == 1


def test_a_source_without_rows_is_not_asked_until_its_first_row_shows(editor, monkeypatch):
    """An agreement with no signatory yet: its signatories' history is not read, and the first
    signatory added shows at once, the stamp having changed."""
    from shiraka.agreements.models import Agreement, Signatory
    from shiraka.core import history

    asked = []
    read = history._rows_with_predecessors

    def spy(model, *args):
        asked.append(model)
        return read(model, *args)

    monkeypatch.setattr(history, "_rows_with_predecessors", spy)
    agreement = factories.agreement(total="10000000.00", by=editor)
    shown = is_member(editor)
    before = page_history(agreement, shown=shown)
    assert Agreement in asked and Signatory not in asked
    asked.clear()
    with translation.override("fr"):
        agreements.signatory_add_with_person(
            agreement=agreement, full_name_fr="Karim Alaoui", role="Wali", by=editor
        )
        after = page_history(agreement, shown=shown)
    assert Signatory in asked
    assert [(e.record_kind, e.action) for e in after if not e.is_own] == [("Signataire", "created")]
    assert len(after) == len(before) + 1
