"""The list pages' rows, and the agreement page's schedule and projects, are written in Python
(`web/pages/rows.py`): they must say what the template markup they replace said, cell for cell, in
every language, for awkward rows too (no territory, no amount, no date, a long title with markup
characters, late milestones, a note with markup, several communes), with and without the row actions."""

from datetime import date

import pytest
from django.db import connection
from django.template import engines
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from shiraka.accounts.access import visible_agreements, visible_projects
from shiraka.agreements import services as agreements
from shiraka.agreements.models import Agreement
from shiraka.agreements.selectors import AgreementFilters, agreement_schedule, agreement_search
from shiraka.demo.synth import synth_generate
from shiraka.followup import services as followup
from shiraka.followup.selectors import committees_with_counts
from shiraka.organisations.models import Organisation, Person
from shiraka.portfolio.selectors import (
    agreement_page_rows,
    agreement_partnerships,
    agreements_with_figures,
    breakdown,
    breakdown_by_category,
    breakdown_by_partner,
)
from shiraka.projects.models import Project
from shiraka.projects.selectors import ProjectFilters, agreement_projects, project_page_rows, project_search
from shiraka.projects.services import milestone_plan
from shiraka.territory.models import Commune
from shiraka.web.pages.rows import (
    AGREEMENT_FIELDS,
    agreement_project_rows,
    agreement_rows,
    category_rows,
    committee_rows,
    latest_agreement_items,
    partner_rows,
    partnership_rows,
    programme_breakdown_rows,
    project_rows,
    province_breakdown_rows,
    region_breakdown_rows,
    schedule_rows,
    shown_fields,
)
from tests import factories

pytestmark = pytest.mark.django_db

# The rows as the list templates wrote them before they were written in Python.
AGREEMENT_ROW = """{% load shiraka %}{% for a in page %}<tr>
    <td class="text-nowrap"><a href="{% url 'web:agreement' a.reference %}">{{ a.reference }}</a></td>
    <td class="wide-text">{{ a.title|truncatechars:80 }}</td>
    <td class="small">{% if a.province %}<a href="{% url 'web:province' a.province.code %}">{{ a.province }}</a>{% elif a.region %}<a href="{% url 'web:region' a.region.code %}">{{ a.region }}</a>{% else %}—{% endif %}</td>
    <td class="text-nowrap">{{ a.signed_on|day|default:"—" }}</td><td class="small">{{ a.get_status_display }}</td>
    <td class="num amount">{{ a.total|mad_m }}</td><td class="num amount">{{ a.committed|mad_m }}</td>
    <td class="num amount">{{ a.transferred|mad_m }}</td>
    <td class="num amount {% if a.arrears %}text-danger{% endif %}">{{ a.arrears|mad_m }}</td><td class="num">{{ a.project_count|number }}</td>
  </tr>{% endfor %}"""  # noqa: E501
PROJECT_ROW = """{% load shiraka %}{% for p in page %}<tr>
    <td class="text-nowrap"><a href="{% url 'web:project' p.reference %}">{{ p.reference }}</a></td>
    <td class="wide-text">{{ p.title|truncatechars:70 }}</td><td class="small">{{ p.get_category_display }}</td>
    <td class="small">{{ p.province|default:p.region|default:"—" }}</td><td class="small">{{ p.get_status_display }}</td>
    <td class="num amount">{{ p.budget|mad_m }}</td><td class="num amount">{{ p.paid|mad_m }}</td>
    <td>{% progress_bar p.physical_progress %}</td>
    <td class="num {% if p.late_milestones %}text-danger fw-bold{% endif %}">{{ p.late_milestones }}</td>
  </tr>{% endfor %}"""  # noqa: E501
AWKWARD_TITLE = 'Mise à niveau <b>des</b> urgences & du «\u00a0SAMU\u00a0» de l\'hôpital "provincial" ' * 2


@pytest.fixture
def portfolio(reference):
    synth_generate(agreements=6, seed=5, show_progress=False)
    bare = factories.agreement(total=None, status="draft", signed_on=None, title_fr=AWKWARD_TITLE)
    region_only = factories.agreement(region=factories.province().region, title_fr="Régionale")
    factories.partner_with_schedule(
        region_only, committed="300000.00", due=[(date(2024, 2, 1), "300000.00")], transfers=[]
    )
    late = factories.project(bare, title_fr=AWKWARD_TITLE, budget="0.00")
    milestone_plan(project=late, kind="studies", planned_on=date(2024, 1, 1))
    factories.project(region_only, region=region_only.region)
    return bare, region_only, late


def _admin():
    return factories.user_with_role("rows-admin", "admin")


def _agreement_page(user) -> list:
    filters = AgreementFilters.from_query({})
    page = list(agreement_page_rows(agreement_search(visible_agreements(user), filters), filters.sort))
    assert any(a.arrears for a in page) and any(a.total is None for a in page)
    assert any(a.region_id and not a.province_id for a in page)
    return page


def _project_page(user) -> list:
    filters = ProjectFilters.from_query({})
    page = list(project_page_rows(project_search(visible_projects(user), filters), filters.sort))
    assert any(p.late_milestones for p in page) and any(p.province_id is None for p in page)
    return page


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
@pytest.mark.parametrize(
    ("rows_of", "template", "written"),
    [(_agreement_page, AGREEMENT_ROW, agreement_rows), (_project_page, PROJECT_ROW, project_rows)],
    ids=["agreements", "projects"],
)
def test_rows_say_what_the_template_said(portfolio, language, rows_of, template, written):
    user = _admin()
    with translation.override(language):
        page = rows_of(user)
        expected = engines["django"].from_string(template).render({"page": page})
        assert parse_html(written(page)) == parse_html(expected)


def test_rows_escape_markup_and_cut_long_titles(portfolio, client):
    client.force_login(_admin())
    html = client.get("/fr/agreements/", {"q": "urgences"}).content.decode()
    assert "<b>des</b>" not in html and "&lt;b&gt;des&lt;/b&gt;" in html
    assert "…" in html and AWKWARD_TITLE not in html
    html = client.get("/fr/projects/", {"q": "urgences"}).content.decode()
    assert "&lt;b&gt;des&lt;/b&gt;" in html and 'class="num text-danger fw-bold">1</td>' in html
    empty = client.get("/fr/agreements/", {"q": "aucune-convention-ainsi"}).content.decode()
    assert empty.count("Aucune convention ne correspond à ces filtres.") == 1


# The agreement page's schedule and projects as its template wrote them.
SCHEDULE_ROW = """{% load i18n shiraka %}{% for c in schedule %}<tr data-contribution="{{ c.pk }}"><td class="text-nowrap">{{ c.due_on|day }}</td><td>{{ c.partnership.organisation }}{% if c.note and is_member %} <span class="small text-muted" dir="auto">{{ c.note }}</span>{% endif %}
  {% if row_keeper %}{% url 'web:contribution_edit' c.pk as edit_url %}{% url 'web:contribution_remove' c.pk as remove_url %}{% include "web/edit/agreement_row_actions.html" with kind="contribution" pk=c.pk edit_inline=True %}{% endif %}</td><td class="num amount">{{ c.amount|mad }}</td></tr>{% endfor %}"""  # noqa: E501
AGREEMENT_PROJECT_ROW = """{% load i18n shiraka %}{% for p in projects %}<tr id="project-{{ p.reference }}">
    <td class="wide-text"><a href="{% url 'web:project' p.reference %}">{{ p.title }}</a></td><td class="small">{{ p.get_category_display }}</td>
    <td class="small">{% with communes=p.communes.all %}{% if communes %}{{ communes|names }}{% else %}{{ p.province|default:p.region|default:_("not specified") }}{% endif %}{% endwith %}</td>
    <td class="num amount {% if p.budget is None %}not-specified{% endif %}">{{ p.budget|mad }}</td>
    <td>{{ p.get_status_display }}</td>
    <td>{% progress_bar p.physical_progress %}</td>
  </tr>{% endfor %}"""  # noqa: E501

PARTNERSHIP_ROW = """{% load i18n shiraka %}{% for p in partnerships %}<tr data-partnership="{{ p.pk }}">
    <td class="wide-text"><a href="{% url 'web:organisation' p.organisation.pk %}">{{ p.organisation }}</a>{% if p.commitment_source %}<div class="small text-muted source-note">{% if p.commitment_source|in_page_language %}{% translate "Source:" %} <span dir="auto">{{ p.commitment_source }}</span>{% else %}{% translate "Source, as written (not in this page's language):" %}<div dir="auto">{{ p.commitment_source }}</div>{% endif %}</div>{% endif %}
      {% if row_keeper %}{% url 'web:partnership_edit' p.pk as edit_url %}{% url 'web:partnership_remove' p.pk as remove_url %}{% include "web/edit/agreement_row_actions.html" with kind="partnership" pk=p.pk edit_inline=False %}{% endif %}</td>
    <td class="small">{{ p.roles|names|default:"—" }}</td>
    <td class="num amount {% if p.committed is None %}not-specified{% endif %}">{{ p.committed|mad }}</td>
    <td class="num amount">{{ p.due_to_date|mad }}</td><td class="num amount">{{ p.transferred|mad }}</td>
    <td class="num amount">{% if p.committed is None %}<span class="not-specified">{% translate "not specified" %}</span>{% else %}{{ p.remaining|mad }}{% endif %}</td>
  </tr>{% endfor %}"""  # noqa: E501


@pytest.fixture
def agreement_page(reference):
    agreement = factories.agreement_in_province(title_fr=AWKWARD_TITLE)
    partnership = factories.partner_with_schedule(
        agreement,
        committed="500000.00",
        due=[(date(2024, 3, 1), "200000.00"), (date(2025, 3, 1), "300000.00")],
    )
    partnership.schedule.filter(due_on=date(2024, 3, 1)).update(note='Tranche <1> & "A"')
    agreements.partnership_commit(
        agreement=agreement,
        organisation=factories.organisation("Conseil <régional>"),
        is_funder=True,
        is_project_owner=True,
        commitment_source="المادة 4 من الاتفاقية",
    )
    factories.partnership(agreement, committed="1000.00", commitment_source="Article 5 & annexe")
    province = agreement.province
    communes = list(Commune.objects.filter(province=province).order_by("code")[:2])
    factories.project(agreement, title_fr=AWKWARD_TITLE).communes.set(communes)
    factories.project(agreement, province=province, region=province.region, budget="0.00", status="studies")
    region_only = factories.project(agreement, region=province.region)
    placeless = factories.project(agreement)
    Project.objects.filter(pk=region_only.pk).update(physical_progress=40)  # as its updates would
    Project.objects.filter(pk=placeless.pk).update(budget=None)
    return agreement


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
@pytest.mark.parametrize(("row_keeper", "is_member"), [(True, True), (False, False)])
def test_the_agreement_pages_rows_say_what_the_template_said(agreement_page, language, row_keeper, is_member):
    with translation.override(language):
        schedule, projects = agreement_schedule(agreement_page), agreement_projects(agreement_page)
        assert len(schedule) == 2 and len(projects) == 4
        context = {
            "schedule": schedule,
            "projects": projects,
            "row_keeper": row_keeper,
            "is_member": is_member,
        }
        expected = engines["django"].from_string(SCHEDULE_ROW).render(context)
        written = schedule_rows(schedule, row_keeper=row_keeper, show_notes=is_member)
        assert parse_html(written) == parse_html(expected)
        assert ("Tranche &lt;1&gt; &amp;" in written) is is_member
        assert ("data-row-actions" in written) is row_keeper
        with CaptureQueriesContext(connection) as written_with:
            written = agreement_project_rows(projects)
        assert written_with.captured_queries == []  # what a row shows was read with the projects
        expected = engines["django"].from_string(AGREEMENT_PROJECT_ROW).render(context)
        assert parse_html(written) == parse_html(expected)
        partnerships = agreement_partnerships(agreement_page)
        assert len(partnerships) == 3 and any(p.committed is None for p in partnerships)
        expected = (
            engines["django"].from_string(PARTNERSHIP_ROW).render({**context, "partnerships": partnerships})
        )
        written = partnership_rows(partnerships, row_keeper=row_keeper)
        assert parse_html(written) == parse_html(expected)
        assert ("Conseil &lt;régional&gt;" in written) is (language != "ar")  # its French name, escaped


# The dashboard's breakdowns as its template wrote them.
REGION_ROW = """{% load i18n shiraka %}{% for row in regions %}<tr>
      <td>{% if row.code %}<a href="{% url 'web:region' row.code %}">{{ row.label }}</a>{% else %}{% translate "no region" %}{% endif %}</td><td class="num">{{ row.agreements }}</td>
      <td class="num amount">{{ row.total_amount|mad_m }}</td><td class="num amount">{{ row.transferred|mad_m }}</td>
      <td class="num amount">{{ row.arrears|mad_m }}</td><td class="num">{{ row.progress|percent }}</td></tr>{% endfor %}"""  # noqa: E501
PROGRAMME_ROW = """{% load i18n shiraka %}{% for row in programmes %}<tr><td>{% if row.key %}<a href="{% url 'web:programme' row.key %}">{{ row.label }}</a>{% else %}{% translate "no programme" %}{% endif %}</td><td class="num">{{ row.agreements }}</td><td class="num amount">{{ row.total_amount|mad_m }}</td><td class="num amount">{{ row.committed|mad_m }}</td><td class="num amount">{{ row.transferred|mad_m }}</td><td class="num amount">{{ row.arrears|mad_m }}</td></tr>{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_dashboards_breakdowns_say_what_the_template_said(portfolio, language):
    factories.agreement(title_fr="Sans région ni programme")  # signed: counted, under "no region"
    with translation.override(language):
        regions, programmes = (breakdown(Agreement.objects.all(), by) for by in ("region", "programme"))
        assert any(row.code is None for row in regions) and any(row.code for row in regions)
        assert any(row.key is None for row in programmes) and any(row.key for row in programmes)
        expected = engines["django"].from_string(REGION_ROW).render({"regions": regions})
        assert parse_html(region_breakdown_rows(regions)) == parse_html(expected)
        expected = engines["django"].from_string(PROGRAMME_ROW).render({"programmes": programmes})
        assert parse_html(programme_breakdown_rows(programmes)) == parse_html(expected)


COMMITTEE_ROW = """{% load i18n %}{% for c in page %}<tr>
    <td><a href="{% url 'web:committee' c.pk %}">{{ c }}</a></td><td class="small">{{ c.get_kind_display }}</td>
    <td class="small">{{ c.province|default:c.region|default:_("not specified") }}</td>
    <td class="small">{% if c.chair %}{{ c.chair.full_name }} — {% endif %}{{ c.chair_role|default:"—" }}</td>
    <td class="num">{{ c.agreement_count }}</td><td class="num">{{ c.meeting_count }}</td><td class="num">{{ c.open_decisions }}</td>
    <td class="num {% if c.overdue_decisions %}text-danger fw-bold{% endif %}">{{ c.overdue_decisions }}</td>
  </tr>{% endfor %}"""  # noqa: E501


@pytest.fixture
def committees(portfolio):
    """The synthetic committees (a province's or a region's, with meetings and decisions) and three
    awkward ones: no territory and markup in its name, a chair with only a French name, none at all."""
    bare, region_only, _late = portfolio
    chair = Person.objects.create(full_name_fr="Mme <i>Alaoui</i> & co")
    followup.committee_create(kind="steering", name_fr=AWKWARD_TITLE, agreements=[bare])
    followup.committee_create(
        kind="supervision",
        name_ar="لجنة جهوية",
        region=region_only.region,
        chair=chair,
        chair_role="<b>Wali</b>",
    )
    overdue = followup.committee_create(kind="supervision", name_fr="En retard", province=bare.province)
    followup.decision_create(committee=overdue, text="Relancer le partenaire", due_on=date(2024, 1, 1))


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_committee_rows_say_what_the_template_said(committees, language):
    with translation.override(language):
        page = list(committees_with_counts().order_by("province__code", "region__code", "name_fr", "pk"))
        assert any(c.overdue_decisions for c in page) and any(c.meeting_count for c in page)
        assert any(not c.province_id and not c.region_id for c in page) and any(c.chair for c in page)
        expected = engines["django"].from_string(COMMITTEE_ROW).render({"page": page})
        assert parse_html(committee_rows(page)) == parse_html(expected)


# The territory pages' and the dashboard's tables as their templates wrote them.
PROVINCE_ROW = """{% load i18n shiraka %}{% for row in provinces %}<tr><td>{% if row.code %}<a href="{% url 'web:province' row.code %}">{{ row.label }}</a>{% else %}{% translate "Whole region" %}{% endif %}</td><td class="num">{{ row.agreements }}</td><td class="num amount">{{ row.total_amount|mad_m }}</td><td class="num amount">{{ row.transferred|mad_m }}</td><td class="num amount">{{ row.arrears|mad_m }}</td><td class="num">{{ row.progress|percent }}</td></tr>{% endfor %}"""  # noqa: E501
PARTNER_ROW = """{% load i18n shiraka %}{% for row in partners %}<tr>
    <td><a href="{% url 'web:organisation' row.organisation %}">{% get_current_language as LANGUAGE_CODE %}{% if LANGUAGE_CODE == "ar" %}{{ row.organisation__name_ar|default:row.organisation__name_fr }}{% else %}{{ row.organisation__name_fr|default:row.organisation__name_ar }}{% endif %}</a></td>
    <td class="num amount">{{ row.committed_sum|mad_m }}</td><td class="num amount">{{ row.due_sum|mad_m }}</td>
    <td class="num amount">{{ row.transferred_sum|mad_m }}</td><td class="num amount {% if row.arrears_sum %}text-danger{% endif %}">{{ row.arrears_sum|mad_m }}</td></tr>{% endfor %}"""  # noqa: E501
CATEGORY_ROWS = {
    "": """{% load shiraka %}{% for row in categories %}<tr><td><a href="{% url 'web:projects' %}?category={{ row.category }}">{{ row.label }}</a></td><td class="num">{{ row.projects }}</td>
      <td class="num amount">{{ row.budget|mad_m }}</td><td class="num">{{ row.progress|percent }}</td></tr>{% endfor %}""",  # noqa: E501
    "region=7&": """{% load shiraka %}{% for row in categories %}<tr><td><a href="{% url 'web:projects' %}?region=7&amp;category={{ row.category }}">{{ row.label }}</a></td><td class="num">{{ row.projects }}</td><td class="num amount">{{ row.budget|mad_m }}</td><td class="num">{{ row.progress|percent }}</td></tr>{% endfor %}""",  # noqa: E501
    None: """{% load shiraka %}{% for row in categories %}<tr><td>{{ row.label }}</td><td class="num">{{ row.projects }}</td><td class="num amount">{{ row.budget|mad_m }}</td><td class="num">{{ row.progress|percent }}</td></tr>{% endfor %}""",  # noqa: E501
}
LATEST_ITEM = """{% load shiraka %}{% for a in latest %}<li><a href="{% url 'web:agreement' a.reference %}">{{ a.reference }}</a> — {{ a.title|truncatechars:90 }} — <span class="amount">{{ a.total|mad_m }}</span></li>{% endfor %}"""  # noqa: E501


def _rendered(template: str, **context) -> str:
    return parse_html(engines["django"].from_string(template).render(context))


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_territory_pages_tables_say_what_the_template_said(portfolio, language):
    bare, region_only, _late = portfolio
    # A partner named in French only; an agreement in a province of `region_only`'s region, whose
    # partner paid what was due (no arrears).
    Organisation.objects.filter(partnerships__agreement=region_only).update(name_ar="")
    provincial = factories.agreement_in_province(title_fr="Provinciale")
    paid = [(date(2024, 3, 1), "1000.00")]
    factories.partner_with_schedule(provincial, committed="1000.00", due=paid, transfers=paid, name="À jour")
    agreements = Agreement.objects.all()
    with translation.override(language):
        provinces = breakdown(agreements.filter(region=region_only.region), "province")
        assert any(row.code is None for row in provinces) and any(row.code for row in provinces)
        assert parse_html(province_breakdown_rows(provinces)) == _rendered(PROVINCE_ROW, provinces=provinces)
        partners = breakdown_by_partner(agreements, limit=100)
        assert any(row["arrears_sum"] for row in partners) and any(not row["arrears_sum"] for row in partners)
        assert any(not row["organisation__name_ar"] for row in partners)
        assert parse_html(partner_rows(partners)) == _rendered(PARTNER_ROW, partners=partners)
        categories = breakdown_by_category(agreements)
        assert len(categories) > 1
        for linked, template in CATEGORY_ROWS.items():
            written = category_rows(categories, linked=linked)
            assert parse_html(written) == _rendered(template, categories=categories)
        latest = list(
            shown_fields(agreements_with_figures(agreements.order_by("-signed_on", "-pk")), AGREEMENT_FIELDS)
        )
        assert any(a.total is None for a in latest)
        assert parse_html(latest_agreement_items(latest)) == _rendered(LATEST_ITEM, latest=latest)
