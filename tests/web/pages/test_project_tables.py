"""A project page's tables are written in Python (`web/pages/project_tables.py`): they must say what the
template markup they replace said, in every language, to a member and to the public, with rows and
without: funding with and without an amount, milestones late, on time, achieved late or not planned,
progress updates with a note, an author and photos, contracts with an organisation or a typed name,
payments standing and cancelled (by whom, and why, to members only), markup in names escaped."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.test.html import parse_html
from django.utils import translation

from shiraka.core.rules import today
from shiraka.core.uploads import PNG, safe_upload
from shiraka.projects import services as projects
from shiraka.projects.models import Contract, Milestone
from shiraka.projects.selectors import project_detail
from shiraka.web.pages.project_tables import project_tables
from tests import factories

pytestmark = pytest.mark.django_db

# The markup of web/project_detail.html before it was written in Python, each table's own (its date
# cells since kept whole: on a phone in Arabic «2026-01-25» broke at a hyphen).
TEMPLATES = {
    "funding_table": """{% load i18n shiraka %}<tbody>{% for f in fundings %}<tr><td><a href="{% url 'web:organisation' f.organisation.pk %}">{{ f.organisation }}</a></td><td class="num amount">{{ f.amount|mad }}</td></tr>{% empty %}<tr><td colspan="2" class="text-muted">{% translate "not specified" %}</td></tr>{% endfor %}</tbody>
{% if fundings %}<tfoot><tr class="fw-bold"><td>{% translate "Total" %}</td><td class="num amount">{{ funded|mad }}</td></tr></tfoot>{% endif %}""",
    "milestone_table": """{% load i18n shiraka %}<tbody>{% for m in milestones %}<tr class="{% if not m.achieved_on and m.planned_on and m.planned_on < today %}table-danger{% endif %}">
  <td>{{ m.get_kind_display }}</td><td class="text-nowrap">{{ m.planned_on|day|default:"—" }}</td><td class="text-nowrap">{{ m.achieved_on|day|default:"—" }}</td>
  <td class="small">{% if m.achieved_on and m.planned_on %}{% if m.achieved_on > m.planned_on %}{% blocktranslate count count=m.achieved_on|days_after:m.planned_on %}{{ count }} day late{% plural %}{{ count }} days late{% endblocktranslate %}{% else %}{% translate "on time" %}{% endif %}{% elif m.planned_on and m.planned_on < today %}<span class="text-danger">{% translate "late, not achieved" %}</span>{% endif %}</td>
</tr>{% empty %}<tr><td colspan="4" class="text-muted">{% translate "No milestone planned yet." %}</td></tr>{% endfor %}</tbody>""",
    "update_blocks": """{% load i18n shiraka %}{% for u in updates %}<div class="border rounded p-2 mb-2"><strong>{{ u.reported_on|day }}</strong> — {{ u.physical_progress }}&nbsp;%{% if u.author %} — {{ u.author }}{% endif %}
  {% if u.note %}<p class="mb-1">{{ u.note }}</p>{% endif %}
  {% if u.photos.all %}<div class="d-flex flex-wrap gap-2">{% for photo in u.photos.all %}<figure class="mb-0"><img src="{% url 'web:progress_photo' photo.pk %}" alt="{{ photo.caption|default:_('Site photo') }}" class="img-thumbnail" style="max-height: 140px"></figure>{% endfor %}</div>{% endif %}
</div>{% empty %}<p class="text-muted">{% translate "No progress update yet." %}</p>{% endfor %}""",
    "contract_table": """{% load i18n shiraka %}<tbody>{% for c in contracts %}<tr><td>{{ c.get_kind_display }} <bdi>{{ c.reference }}</bdi></td><td>{{ c.contractor|default:c.contractor_name }}</td><td class="text-nowrap">{{ c.signed_on|day|default:"—" }}</td>
  <td class="num amount">{{ c.amount|mad }}</td><td class="num amount">{{ c.paid|mad }}</td></tr>
  {% for pay in c.payments.all %}<tr class="small text-muted"><td></td><td colspan="2">{% if pay.is_cancelled %}<del>{% endif %}{% translate "Payment" %}{% if is_member %} <bdi>{{ pay.reference }}</bdi>{% endif %} — {{ pay.paid_on|day }}{% if pay.is_cancelled %}</del>{% include "web/_cancelled.html" with row=pay %}{% endif %}</td><td></td><td class="num amount">{% if pay.is_cancelled %}<del>{{ pay.amount|mad }}</del>{% else %}{{ pay.amount|mad }}{% endif %}</td></tr>{% endfor %}
{% empty %}<tr><td colspan="5" class="text-muted">{% translate "No contract yet." %}</td></tr>{% endfor %}</tbody>
{% if contracts %}<tfoot><tr class="fw-bold"><td colspan="3">{% translate "Budget vs paid" %}</td><td class="num amount">{{ project.budget|mad }}</td><td class="num amount">{{ paid|mad }}</td></tr></tfoot>{% endif %}""",
}  # fmt: skip


def _busy_project():
    """A project with every kind of row its tables show."""
    editor = get_user_model().objects.create_user("nadia", first_name="Nadia", last_name="<Benali>")
    agreement = factories.agreement(total="9000000.00")
    project = factories.project(agreement, budget="800000.00")
    projects.project_fund(
        project=project,
        organisation=factories.organisation("Conseil <b>régional</b>"),
        amount=Decimal("300000.50"),
    )
    projects.project_fund(project=project, organisation=factories.organisation("Commune « Aït »"))
    day = today()
    projects.milestone_plan(
        project=project,
        kind=Milestone.Kind.STUDIES,
        planned_on=day - timedelta(days=90),
        achieved_on=day - timedelta(days=60),
    )  # 30 days late
    projects.milestone_plan(
        project=project,
        kind=Milestone.Kind.TENDER,
        planned_on=day - timedelta(days=40),
        achieved_on=day - timedelta(days=41),
    )  # on time
    projects.milestone_plan(project=project, kind=Milestone.Kind.AWARD, planned_on=day - timedelta(days=1))
    projects.milestone_plan(
        project=project, kind=Milestone.Kind.WORKS_ORDER, planned_on=day + timedelta(days=9)
    )
    projects.milestone_plan(project=project, kind=Milestone.Kind.OPENING)
    projects.milestone_plan(
        project=project,
        kind=Milestone.Kind.FINAL_ACCEPTANCE,
        planned_on=day - timedelta(days=5),
        achieved_on=day - timedelta(days=4),
    )  # 1 day
    photo = safe_upload(SimpleUploadedFile("chantier.png", factories.png_bytes(), "image/png"), allowed={PNG})
    projects.progress_record(
        project=project,
        reported_on=day - timedelta(days=20),
        physical_progress=15,
        note="Fondations <coulées> & murs",
        photos=[photo],
        by=editor,
    )
    projects.progress_record(project=project, reported_on=day - timedelta(days=2), physical_progress=35)
    contract = projects.contract_sign(
        project=project,
        kind=Contract.Kind.WORKS,
        reference="12/2025/DPS-CHI",
        contractor=factories.organisation("Entreprise <Atlas>"),
        amount=Decimal("500000.00"),
        signed_on=day - timedelta(days=70),
    )
    projects.contract_sign(
        project=project,
        kind=Contract.Kind.SERVICES,
        contractor_name="Bureau d'études « Souss »",
        amount=Decimal("20000.00"),
    )
    projects.payment_record(
        contract=contract, paid_on=day - timedelta(days=30), amount=Decimal("100000.00"), reference="OP-17"
    )
    wrong = projects.payment_record(
        contract=contract, paid_on=day - timedelta(days=25), amount=Decimal("99999.99"), reference="OP-<18>"
    )
    projects.payment_cancel(
        wrong, reason="Saisi deux fois <erreur>", expected_version=wrong.version, by=editor
    )
    silent = projects.payment_record(contract=contract, paid_on=day - timedelta(days=10), amount="1.00")
    projects.payment_cancel(silent, reason="Essai", expected_version=silent.version)
    return project


def _compare(project, *, is_member: bool) -> None:
    data = project_detail(project)
    written = project_tables(project, data, is_member=is_member)
    context = {**data, "project": project, "is_member": is_member}
    for name, template in TEMPLATES.items():
        expected = engines["django"].from_string(template).render(context)
        assert parse_html(written[name]) == parse_html(expected), name


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
@pytest.mark.parametrize("is_member", [True, False])
def test_a_busy_projects_tables_say_what_the_template_said(language, is_member):
    project = _busy_project()
    with translation.override(language):
        _compare(project, is_member=is_member)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_an_empty_projects_tables_say_what_the_template_said(language):
    project = factories.project(factories.agreement(), budget="100000.00")
    with translation.override(language):
        _compare(project, is_member=True)


def test_the_project_page_shows_its_tables(client):
    project = _busy_project()
    photo = project.progress_updates.get(note__startswith="Fondations").photos.get()
    client.force_login(factories.member("viewer", username="lecteur"))
    page = client.get(f"/fr/projects/{project.reference}/").content.decode()
    assert "30 jours de retard" in page and "1 jour de retard" in page and "dans les délais" in page
    assert "Conseil &lt;b&gt;régional&lt;/b&gt;" in page and "<b>régional" not in page
    assert page.count("data-cancelled-row") == 2 and "Saisi deux fois &lt;erreur&gt;" in page
    assert f'src="/fr/files/photos/{photo.pk}/"' in page


def test_dates_read_as_written_inside_arabic_sentences(client):
    """After Arabic words a date's digits took their direction («03-12-2026» for 2026-12-03): on an
    Arabic page each date is isolated left to right, in a sentence as in a cell; a French page has
    no isolate."""
    project = _busy_project()
    client.force_login(factories.member("viewer", username="lecteur"))
    cancelled = f"\u2066{today().isoformat()}\u2069"  # the payments were cancelled today
    arabic = client.get(f"/ar/projects/{project.reference}/").content.decode()
    notes = re.findall(r"<div[^>]*data-cancelled-row>(.*?)</div>", arabic)
    assert len(notes) == 2 and all(f"أُلغي في {cancelled}" in note for note in notes), notes
    assert f"\u2066{project.progress_updated_on.isoformat()}\u2069" in arabic
    assert "\u2066" not in client.get(f"/fr/projects/{project.reference}/").content.decode()
