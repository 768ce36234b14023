"""The list pages' rows are written in Python (`web/pages/rows.py`): they must say what the template
markup they replace said, cell for cell, in every language, for awkward rows too (no territory, no
amount, no date, a long title with markup characters, late milestones)."""

from datetime import date

import pytest
from django.template import engines
from django.test.html import parse_html
from django.utils import translation

from shiraka.accounts.access import visible_agreements, visible_projects
from shiraka.agreements.selectors import AgreementFilters, agreement_search
from shiraka.demo.synth import synth_generate
from shiraka.portfolio.selectors import agreement_page_rows
from shiraka.projects.selectors import ProjectFilters, project_page_rows, project_search
from shiraka.projects.services import milestone_plan
from shiraka.web.pages.rows import agreement_rows, project_rows
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
